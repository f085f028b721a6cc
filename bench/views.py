"""The floor: bare Django views in the same gunicorn and middleware as the app, each fetching
the rows its page shows with one hand-written SQL query and rendering a minimal template.

The page/floor ratio is the benchmark's main figure: what the app's own code (permissions,
ORM, access log, templates) costs on top of what any Django page showing the same rows would.

Two reference views place that cost (``python -m bench.parts``, README "Benchmark"): the
floor's rows read through the ORM into the floor's template (what the ORM costs alone), and an
empty page on the app's ``base.html`` (what every page's header costs).
"""

import json
from typing import Any

from django.db import connection
from django.db.models import F, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from cases.models import Case, Deadline

PAGE = 25

MY_CASES_SQL = """
SELECT c.id, c.number, c.status, ci.first_name, ci.last_name, ci.birth_date,
       nd.due_at, nd.title
FROM cases_case c
JOIN cases_citizen ci ON ci.id = c.citizen_id
LEFT JOIN LATERAL (
    SELECT d.due_at, r.title FROM cases_deadline d
    JOIN cases_deadlinerule r ON r.id = d.rule_id
    WHERE d.case_id = c.id AND d.met_at IS NULL AND d.handled_otherwise_at IS NULL
    ORDER BY d.due_at, d.id LIMIT 1
) nd ON true
WHERE c.owner_id = %s AND c.status <> 'closed'
ORDER BY nd.due_at ASC NULLS LAST, c.number
LIMIT %s
"""

CASE_SQL = """
SELECT c.number, c.status, c.opened_at, ci.first_name, ci.last_name, ci.cpr,
       u.first_name || ' ' || u.last_name, t.name,
       (SELECT json_agg(json_build_object('title', r.title, 'due_at', d.due_at,
                                          'met_at', d.met_at) ORDER BY d.due_at, d.id)
        FROM cases_deadline d JOIN cases_deadlinerule r ON r.id = d.rule_id
        WHERE d.case_id = c.id),
       (SELECT json_agg(json_build_object('basis', lb.paragraph, 'start', m.start_date,
                                          'purpose', m.purpose))
        FROM cases_measure m JOIN cases_legalbasis lb ON lb.id = m.legal_basis_id
        WHERE m.case_id = c.id AND m.ended_on IS NULL),
       (SELECT json_agg(n) FROM (SELECT jn.created_at, jn.text FROM cases_journalnote jn
                                 WHERE jn.case_id = c.id
                                 ORDER BY jn.created_at DESC, jn.id DESC LIMIT 3) n)
FROM cases_case c
JOIN cases_citizen ci ON ci.id = c.citizen_id
JOIN accounts_user u ON u.id = c.owner_id
JOIN accounts_team t ON t.id = c.team_id
WHERE c.id = %s AND c.owner_id = %s
"""


ORM_FLOOR_ROWS = (
    "id",
    "number",
    "status",
    "citizen__first_name",
    "citizen__last_name",
    "citizen__birth_date",
    "next_due",
    "next_title",
)


def _user_id(request: HttpRequest) -> int | None:
    return request.user.pk if request.user.is_authenticated else None


@require_GET
def floor_my_cases(request: HttpRequest) -> HttpResponse:
    uid = _user_id(request)
    if uid is None:
        return redirect("login")
    with connection.cursor() as cursor:
        cursor.execute(MY_CASES_SQL, [uid, PAGE])
        rows = cursor.fetchall()
    return render(request, "bench/floor_my_cases.html", {"rows": rows})


@require_GET
def floor_case(request: HttpRequest, case_id: Any) -> HttpResponse:
    uid = _user_id(request)
    if uid is None:
        return redirect("login")
    with connection.cursor() as cursor:
        cursor.execute(CASE_SQL, [case_id, uid])
        row = cursor.fetchone()
    if row is None:
        raise Http404

    def as_list(value: Any) -> list[Any]:
        return (json.loads(value) if isinstance(value, str) else value) or []

    context = {
        "row": row,
        "deadlines": as_list(row[8]),
        "measures": as_list(row[9]),
        "notes": as_list(row[10]),
    }
    return render(request, "bench/floor_case.html", context)


@require_GET
def floor_my_cases_orm(request: HttpRequest) -> HttpResponse:
    """``floor_my_cases``'s query written with the ORM, into the same template."""
    uid = _user_id(request)
    if uid is None:
        return redirect("login")
    next_deadline = Deadline.objects.filter(
        case=OuterRef("pk"), met_at=None, handled_otherwise_at=None
    ).order_by("due_at", "id")
    rows = (
        Case.objects.filter(owner_id=uid)
        .exclude(status="closed")
        .annotate(
            next_due=Subquery(next_deadline.values("due_at")[:1]),
            next_title=Subquery(next_deadline.values("rule__title")[:1]),
        )
        .order_by(F("next_due").asc(nulls_last=True), "number")
        .values_list(*ORM_FLOOR_ROWS)[:PAGE]
    )
    return render(request, "bench/floor_my_cases.html", {"rows": list(rows)})


@require_GET
def empty_page(request: HttpRequest) -> HttpResponse:
    """A page on the app's base.html with nothing in it: the header every page pays for."""
    if _user_id(request) is None:
        return redirect("login")
    return render(request, "bench/empty_page.html", {"nav": "my_cases"})
