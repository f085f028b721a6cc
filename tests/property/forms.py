"""Posting hypothesis-generated data to a form page and judging the answer.

For every POST form of the app (enumerated from the persona matrices' URL confs), a test
posts a payload that starts from the matrix's valid payload, replaces or drops a few fields
with hostile values (empty, NUL bytes, unicode, very long, huge and negative numbers,
impossible dates such as 31.02.2026, lists where one value is expected) and checks:

* never a 5xx and never an exception out of the view;
* a success (a redirect, or a 200 that changed something) changes only tables that the valid
  payload changes too: nothing is saved that the form does not stand for;
* a refusal (200/400/422 without changes) shows a Danish error message, and leaves every row
  of every app table as it was: not a single half-saved record, not even an ``updated_at``.

The field names come from the Django forms the view binds, recorded while the valid payload
is posted (``FormRecorder``), so a field added to a form is fuzzed without editing the tests.
Every example runs in a savepoint that is rolled back, so all examples start from the same
rows.
"""

import datetime as dt
import html
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django import forms as django_forms
from django.apps import apps
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.http import QueryDict
from django.test import Client
from django.utils.translation import trans_real
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from access.models import AccessLogEntry
from accounts.models import ApiToken

APP_LABELS = (
    "core",
    "accounts",
    "access",
    "cases",
    "plans",
    "network",
    "followups",
    "letters",
    "file_access",
)
# Written by every request by design (the access log of the POST itself; a token's last use).
VOLATILE: dict[type[models.Model], set[str]] = {ApiToken: {"last_used_at"}}
IGNORED_MODELS: set[type[models.Model]] = {AccessLogEntry}


# --- every row of every app table, as one fingerprint per table ------------------------------


@cache
def _fingerprint_sql() -> str:
    parts = []
    qn = connection.ops.quote_name
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label not in APP_LABELS or meta.proxy or model in IGNORED_MODELS:
            continue
        skip = VOLATILE.get(model, set())
        columns = [qn(f.column) for f in meta.concrete_fields if f.name not in skip]
        row = f"ROW({', '.join(columns)})::text"
        parts.append(
            f"SELECT '{meta.db_table}', count(*), "  # noqa: S608 - model metadata, quoted
            f"md5(coalesce(string_agg({row}, '|' ORDER BY {row}), '')) FROM {qn(meta.db_table)}"
        )
    return " UNION ALL ".join(parts)


def fingerprint() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of all rows, per app table (the access log left out)."""
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        return {table: (count, digest) for table, count, digest in cursor.fetchall()}


def changed_tables(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {table for table in before if before[table] != after[table]}


# --- the forms a view binds ------------------------------------------------------------------


@dataclass
class FormRecorder:
    """Records every Django form built while it is active (by wrapping BaseForm.__init__)."""

    forms: list[django_forms.BaseForm] = field(default_factory=list)

    keys_read: set[str] = field(default_factory=set)
    # Every ValidationError made, by a form or a service (a service's refusal may be shown
    # outside any form, e.g. in the status line of a session's draft).
    validation_errors: list[ValidationError] = field(default_factory=list)

    @contextmanager
    def active(self) -> Iterator["FormRecorder"]:
        """Record the forms built and the keys read from any QueryDict (request.POST)."""
        original = django_forms.BaseForm.__init__
        recorder = self
        readers = {name: getattr(QueryDict, name) for name in ("get", "getlist", "__getitem__")}

        def init(form: django_forms.BaseForm, *args: Any, **kwargs: Any) -> None:
            original(form, *args, **kwargs)
            recorder.forms.append(form)

        def reading(method: Callable[..., Any]) -> Callable[..., Any]:
            def read(qd: QueryDict, key: Any, *args: Any, **kwargs: Any) -> Any:
                if isinstance(key, str):
                    recorder.keys_read.add(key)
                return method(qd, key, *args, **kwargs)

            return read

        original_error = ValidationError.__init__

        def error_init(error: ValidationError, *args: Any, **kwargs: Any) -> None:
            original_error(error, *args, **kwargs)
            recorder.validation_errors.append(error)

        django_forms.BaseForm.__init__ = init  # type: ignore[method-assign]
        ValidationError.__init__ = error_init  # type: ignore[method-assign]
        for name, method in readers.items():
            setattr(QueryDict, name, reading(method))
        try:
            yield self
        finally:
            django_forms.BaseForm.__init__ = original  # type: ignore[method-assign]
            ValidationError.__init__ = original_error  # type: ignore[method-assign]
            for name, method in readers.items():
                setattr(QueryDict, name, method)

    def field_names(self) -> set[str]:
        """The fields of the forms built, and every other key the view read."""
        fields = {form.add_prefix(name) for form in self.forms for name in form.fields}
        return fields | self.keys_read - {"csrfmiddlewaretoken"}

    def service_messages(self) -> list[str]:
        return [str(m) for error in self.validation_errors for m in error.messages]

    def error_messages(self) -> list[str]:
        return [
            str(message)
            for form in self.forms
            if form.is_bound and form._errors  # only forms that were validated
            for messages in form.errors.values()
            for message in messages
        ]


# --- hostile values --------------------------------------------------------------------------

MALFORMED = [
    "31.02.2026",
    "2026-02-31",
    "29.02.2025",
    "0000-00-00",
    "00.00.0000",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-13-01",
    "1.1.1",
    "24:00",
    "25:61",
    "2026-03-29T02:30",
    "2026-02-31T10:00",
    "99999-01-01T00:00",
    "T",
    "-",
    "0",
    "-1",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "1e309",
    "NaN",
    "inf",
    "1,5",
    "٣",
    "０",
    "²",
    "①",
    "1\u200b",
    "None",
    "null",
    "true",
    "on",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\x00",
    "a\x00b",
    "\ud7ff\ue000\U0010fffd",
    "Ærø Å ÿ 👪",
]

scalar = st.one_of(
    st.sampled_from(MALFORMED),
    st.text(max_size=20),  # any unicode, control characters and NUL bytes included
    st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=3),  # "٣", "²"
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(
        lambda d: d.isoformat()
    ),
    st.integers(min_value=201, max_value=70_000).map(lambda n: "æ" * n),
)
hostile = st.one_of(
    scalar,
    st.just(""),
    st.lists(scalar, min_size=2, max_size=3),  # a list where one value is expected
)


@st.composite
def payloads(draw: st.DrawFn, base: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """``base`` with a few fields replaced or left out: mostly the form's fields ``names``,
    sometimes any key of the payload (a view may read request.POST itself)."""
    fields, others = sorted(names), sorted(set(base) - names)
    chosen: set[str] = set()
    if fields:
        chosen |= draw(st.sets(st.sampled_from(fields), max_size=min(3, len(fields))))
    if others and (not fields or draw(st.integers(0, 2)) == 0):
        chosen |= draw(st.sets(st.sampled_from(others), max_size=min(3, len(others))))
    if draw(st.integers(0, 9)) == 0:
        chosen = set(fields or others)  # now and then every field at once
    data = dict(base)
    for key in sorted(chosen):
        if draw(st.integers(0, 5)) == 0:
            data.pop(key, None)
        else:
            data[key] = draw(hostile)
    return data


# --- Danish, not English ---------------------------------------------------------------------


@cache
def _english_messages() -> list[re.Pattern[str]]:
    """Django's own English messages (the msgids of its Danish catalogue), as patterns.

    The app's msgids are Danish, so an error that matches one of these is one Django (or a
    library) produced and nobody translated.
    """
    catalog = trans_real.translation("da")._catalog  # type: ignore[attr-defined]
    patterns = []
    for msgid in catalog.keys():  # noqa: SIM118 - Django's TranslationCatalog has no __iter__
        text = msgid[1] if isinstance(msgid, tuple) else msgid
        if not isinstance(text, str):
            continue
        literal = re.sub(r"%\(\w+\)[sdr]|%[sdr]", "", text)
        if len(literal) < 12 or " " not in literal.strip():
            continue
        escaped = re.escape(text)
        escaped = re.sub(r"%\\\((\w+)\\\)[sdr]|%[sdr]", ".*", escaped)
        patterns.append(re.compile(rf"^{escaped}$", re.S))
    return patterns


ENGLISH_WORDS = re.compile(
    r"\b(this field|is required|enter a|ensure|must be|invalid|not allowed|select a valid|"
    r"please|error|value)\b",
    re.I,
)


def assert_danish(message: str, label: str) -> None:
    assert message.strip(), f"{label}: an empty error message"
    assert not ENGLISH_WORDS.search(message), f"{label}: English error {message!r}"
    assert not any(p.match(message) for p in _english_messages()), (
        f"{label}: an untranslated Django message {message!r}"
    )


# --- one example -----------------------------------------------------------------------------

SUCCESS_REDIRECTS = (301, 302, 303)
REFUSALS = (200, 400, 404, 422)


@dataclass
class Outcome:
    status: int
    changed: set[str]
    form_errors: list[str]
    messages: list[str]
    content: str
    service_errors: list[str] = field(default_factory=list)


def post(client: Client, url: str, data: Any, **extra: Any) -> tuple[Outcome, FormRecorder]:
    """POST ``data`` inside a savepoint that is rolled back; what happened, and the forms."""
    recorder = FormRecorder()
    with transaction.atomic():
        before = fingerprint()
        with recorder.active():
            try:
                response = client.post(url, data, **extra)
            except Exception as error:  # the test client re-raises what became a 500
                raise AssertionError(f"POST {url} raised {error!r} for {data!r}") from error
        after = fingerprint()
        request = getattr(response, "wsgi_request", None)
        messages = [str(m) for m in get_messages(request)] if request is not None else []
        transaction.set_rollback(True)
    content = response.content.decode(errors="replace") if hasattr(response, "content") else ""
    outcome = Outcome(
        status=response.status_code,
        changed=changed_tables(before, after),
        form_errors=recorder.error_messages(),
        messages=messages,
        content=content,
        service_errors=recorder.service_messages(),
    )
    return outcome, recorder


def judge(
    outcome: Outcome,
    *,
    allowed: set[str],
    label: str,
    reveals: bool = False,
    draft_tables: frozenset[str] | set[str] = frozenset(),
) -> None:
    """The rules of the module docstring, for one answer. A form that ``reveals`` something
    (the CPR number) saves nothing: its success is a 200 without changes."""
    assert outcome.status < 500, f"{label}: {outcome.status}"
    if reveals and outcome.status == 200 and not outcome.form_errors:
        assert not outcome.changed, f"{label}: changed {outcome.changed}"
        return
    succeeded = outcome.status in SUCCESS_REDIRECTS or (outcome.status == 200 and outcome.changed)
    if succeeded:
        assert outcome.changed <= allowed, (
            f"{label}: changed {sorted(outcome.changed - allowed)}, which the valid payload "
            f"does not touch"
        )
        return
    assert outcome.status in REFUSALS, f"{label}: {outcome.status}"
    half_saved = outcome.changed - set(draft_tables)
    assert not half_saved, f"{label}: refused ({outcome.status}) but changed {half_saved}"
    if outcome.status == 404:
        return  # a junk id in the payload: the app's own Danish 404 page
    visible = html.unescape(outcome.content)
    # A service's refusal counts where it is shown (not every ValidationError made is).
    shown = [m for m in outcome.service_errors if m in visible]
    errors = outcome.form_errors + outcome.messages + shown
    assert errors, f"{label}: refused ({outcome.status}) without saying why"
    for message in errors:
        assert_danish(message, label)
    assert any(message in visible for message in errors), (
        f"{label}: none of the errors {errors!r} is shown on the page"
    )


@dataclass
class Target:
    """One form: where it posts, as whom, a payload that works, and what must hold first."""

    url: str
    client: Client
    data: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)
    reveals: bool = False
    before_each: Callable[[], Any] | None = None
    # Tables a refusal may still write: a session's draft keeps what was typed (by design).
    draft_tables: set[str] = field(default_factory=set)


def learn(target: Target, label: str) -> tuple[set[str], set[str]]:
    """Post the valid payload, and again with every checkbox of the form ticked (any value
    ticks one): the tables a success may change, and the fields the view reads."""
    if target.before_each is not None:
        target.before_each()
    outcome, recorder = post(target.client, target.url, target.data, **target.extra)
    assert outcome.status < 500, f"{label}: the valid payload gave {outcome.status}"
    allowed = set(outcome.changed)
    checkboxes = {
        form.add_prefix(name)
        for form in recorder.forms
        for name, form_field in form.fields.items()
        if isinstance(form_field, django_forms.BooleanField)
    }
    if checkboxes:
        ticked = {**target.data, **dict.fromkeys(checkboxes, "on")}
        outcome, _ = post(target.client, target.url, ticked, **target.extra)
        allowed |= outcome.changed
    return allowed, recorder.field_names()


# Examples per form: modest, so the whole directory stays within its time budget (about
# 70 forms). PROPERTY_FORM_EXAMPLES=100 makes a deeper run by hand.
EXAMPLES = int(os.environ.get("PROPERTY_FORM_EXAMPLES", "10"))


def fuzz(target: Target, label: str) -> None:
    """Learn what the valid payload does, then post EXAMPLES hostile variants of it."""
    allowed, names = learn(target, label)
    allowed |= target.draft_tables  # what a draft keeps, a success may write too

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.data())
    def run(data: st.DataObject) -> None:
        payload = data.draw(payloads(target.data, names), label="payload")
        if target.before_each is not None:
            target.before_each()
        outcome, _ = post(target.client, target.url, payload, **target.extra)
        seen[f"{outcome.status} {'changed' if outcome.changed else 'unchanged'}"] += 1
        judge(
            outcome,
            allowed=allowed,
            label=f"{label} {payload!r}"[:3000],
            reveals=target.reveals,
            draft_tables=target.draft_tables,
        )

    seen: Counter[str] = Counter()
    if os.environ.get("PROPERTY_SWEEP"):
        sweep(target, label, allowed, names)
    run()
    if os.environ.get("PROPERTY_STATS"):
        print(f"\n{label}: {dict(seen)}")


# A few values that have broken forms before; PROPERTY_SWEEP=1 posts each into every field.
SWEEP_VALUES: list[Any] = [
    "a\x00b",
    "²",
    "æ" * 70_000,
    "9223372036854775808",
    "-1",
    "31.02.2026",
    "",
    ["1", "2"],
]


def sweep(target: Target, label: str, allowed: set[str], names: set[str]) -> None:
    """Every field of the form, one at a time, with every value of SWEEP_VALUES; all the
    failures in one report."""
    failures = []
    for name in sorted(names or set(target.data)):
        for value in SWEEP_VALUES:
            if target.before_each is not None:
                target.before_each()
            payload = {**target.data, name: value}
            try:
                outcome, _ = post(target.client, target.url, payload, **target.extra)
                judge(
                    outcome,
                    allowed=allowed,
                    label=f"{label} {name}={str(value)[:40]!r}",
                    reveals=target.reveals,
                    draft_tables=target.draft_tables,
                )
            except AssertionError as failure:
                failures.append(str(failure).splitlines()[0][:300])
    assert not failures, "\n".join(failures)
