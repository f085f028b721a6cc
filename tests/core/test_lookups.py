"""``core.lookups``: ``field__in_array=<queryset>`` is ``field__in`` written for PostgreSQL's
planner as ``= ANY(ARRAY(<subquery>))``."""

import pytest
from django.db import connection
from django.db.models import IntegerField, UUIDField
from django.db.models.sql.where import WhereNode

from cases.models import Case, Measure, MeasureAssignment
from core.lookups import InArray
from demo import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(org, personas):
    """Three cases of the owner, one of a colleague, and one more through an assignment."""
    mine = [f.CaseFactory(owner=personas.owner, team=org.team_a) for _ in range(3)]
    f.CaseFactory(owner=personas.colleague, team=org.team_b)
    assigned = f.CaseFactory(owner=personas.colleague, team=org.team_b)
    f.assign(f.MeasureFactory(case=assigned, provider_team=org.family_house), personas.therapist)
    return mine, assigned


def ids(queryset) -> set:
    return set(queryset.values_list("pk", flat=True))


def sql(queryset) -> str:
    compiled, _params = queryset.query.sql_with_params()
    return compiled


def test_registered_on_uuid_and_integer_fields_by_the_core_app():
    assert UUIDField.get_lookups()["in_array"] is InArray
    assert IntegerField.get_lookups()["in_array"] is InArray
    assert Case._meta.pk.get_lookup("in_array") is InArray
    assert Measure._meta.pk.get_lookup("in_array") is InArray  # a BigAutoField


def test_postgresql_gets_any_array_and_the_rows_of_in(cases, personas):
    owned = Case.objects.filter(owner=personas.owner).values("id")
    in_array = Case.objects.filter(id__in_array=owned)
    assert connection.vendor == "postgresql", "make test runs the suite on PostgreSQL"
    assert "= ANY(ARRAY(SELECT" in sql(in_array)
    assert " IN (SELECT" not in sql(in_array)
    assert ids(in_array) == ids(Case.objects.filter(id__in=owned)) == {c.pk for c in cases[0]}
    measures = Measure.objects.filter(assignments__user=personas.therapist).values("id")
    assert "= ANY(ARRAY(SELECT" in sql(Measure.objects.filter(id__in_array=measures))
    assigned = (
        MeasureAssignment.objects.filter(user=personas.therapist)
        .order_by()
        .values("measure__case_id")
    )
    either = Case.objects.filter(id__in_array=owned) | Case.objects.filter(id__in_array=assigned)
    assert sql(either).count("= ANY(ARRAY(") == 2


def test_a_union_of_subqueries_and_an_or_of_lookups(cases, personas):
    owned = Case.objects.filter(owner=personas.therapist).values("id")  # none
    assigned = (
        MeasureAssignment.objects.filter(user=personas.therapist)
        .order_by()
        .values("measure__case_id")
    )
    union = Case.objects.filter(owner=personas.owner).order_by().values("id").union(assigned)
    assert ids(Case.objects.filter(id__in_array=union)) == ids(Case.objects.filter(id__in=union))
    assert ids(Case.objects.filter(id__in_array=union)) == {c.pk for c in cases[0]} | {cases[1].pk}
    either = Case.objects.filter(id__in_array=owned) | Case.objects.filter(id__in_array=assigned)
    assert ids(either) == {cases[1].pk}


def test_a_queryset_without_values_selects_its_primary_key(cases, personas):
    owned = Case.objects.filter(owner=personas.owner)
    assert ids(Case.objects.filter(id__in_array=owned)) == {c.pk for c in cases[0]}


def test_an_integer_primary_key_and_an_empty_subquery(cases, personas):
    measures = Measure.objects.filter(assignments__user=personas.therapist).values("id")
    assert ids(Measure.objects.filter(id__in_array=measures)) == ids(
        Measure.objects.filter(id__in=measures)
    )
    nobody = Case.objects.filter(owner=personas.family_user).values("id")
    assert not Case.objects.filter(id__in_array=nobody).exists()


def test_a_list_of_values_is_written_as_in(cases):
    wanted = [cases[0][0].pk, cases[1].pk]
    listed = Case.objects.filter(id__in_array=wanted)
    assert " IN (" in sql(listed) and "ARRAY" not in sql(listed)
    assert ids(listed) == set(wanted)
    assert not Case.objects.filter(id__in_array=[]).exists()  # as __in: no query needed


def test_other_databases_get_in(cases, personas):
    """The generic SQL (SQLite for ``make run``): what the compiler uses when the connection
    has no ``as_<vendor>`` method of the lookup."""
    owned = Case.objects.filter(owner=personas.owner).values("id")
    query = Case.objects.filter(id__in_array=owned).query
    compiler = query.get_compiler(using="default")
    where: WhereNode = query.where
    (lookup,) = where.children
    assert isinstance(lookup, InArray)
    generic, _params = lookup.as_sql(compiler, connection)
    assert " IN (SELECT" in generic and "ARRAY" not in generic
