"""The therapist's session log: the case's "Sessioner" tab, the phone-first form whose draft
is saved on the server as the therapist types, and hours used against the planned taper.

Every view is wrapped in ``cases.pages.case_page``, which loads the case (the read is
logged, an outsider gets a logged 404) and, for writing (``Need.SESSIONS``), checks that the
user is staff assigned to one of the case's measures (others who see the case get a logged
403). A session is only looked up through the case, and a draft is only opened by the
therapist who started it.
"""

import datetime as dt
from collections import Counter
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from access.rules import Need
from accounts.models import User
from cases.models import Case, Measure
from cases.pages import (
    FORM_METHODS,
    case_context,
    case_object_or_404,
    case_page,
    forbidden,
    render_tab,
)
from followups import charts_hours
from followups import sessions as services
from followups.forms_session import SessionForm
from followups.models import Session

TAB = "sessions"
EDIT_PAGE = "followups/session_edit.html"


def session_forbidden(request: HttpRequest, case: Case, *, need: str) -> HttpResponse:
    """The user may see the case but not write this session: log the refusal, say who may."""
    return forbidden(request, case, what="", need=need, tab=TAB)


def user_of(request: HttpRequest) -> User:
    return cast(User, request.user)


def own_draft(request: HttpRequest, case: Case, session_id: int) -> Session | HttpResponse:
    """The session of the URL, if it is the user's own; a 404 for another case's session."""
    session = case_object_or_404(
        request, case, Session.objects.select_related("measure__legal_basis"), session_id
    )
    if session.therapist_id != request.user.pk:
        return session_forbidden(request, case, need="author")
    session.case = case
    return session


# --- the tab -------------------------------------------------------------------------------


def measure_hours(measures: list[Measure]) -> list[dict[str, Any]]:
    """Per measure: the months' planned and used hours, the warning and the charts. Two
    queries however many sessions and measures."""
    today = timezone.localdate()
    used = services.used_minutes_by_month(measures)
    steps = services.hours_steps_by_measure(measures)
    # Measures under the same paragraph from the same day get a number in their heading, so
    # each section (a landmark) has a name of its own.
    same = Counter((m.legal_basis_id, m.start_date) for m in measures)
    seen: Counter[tuple[int, dt.date]] = Counter()
    result = []
    for measure in measures:
        key = (measure.legal_basis_id, measure.start_date)
        seen[key] += 1
        number = seen[key] if same[key] > 1 else None
        last_used = max(used[measure.pk], default=None)
        end = measure.ended_on or today
        if last_used is not None and last_used > end:
            end = last_used  # a session logged after the end still counts
        rows = charts_hours.hours_rows(
            start=measure.start_date,
            end=end,
            steps=[charts_hours.Step(s.weeks, s.hours_per_week) for s in steps[measure.pk]],
            used_minutes=used[measure.pk],
            planned_until=measure.planned_end_date,
            today=today,
        )
        title = str(_("Timer pr. måned: %(measure)s") % {"measure": measure.legal_basis.reference})
        prefix = f"timer-{measure.pk}"
        result.append(
            {
                "measure": measure,
                "number": number,
                "rows": rows,
                "has_plan": bool(steps[measure.pk]),
                "warning": charts_hours.taper_warning(rows, today=today),
                "title": title,
                "svg": charts_hours.hours_chart_svg(title=title, rows=rows, id_prefix=prefix),
                "svg_narrow": charts_hours.hours_chart_svg(
                    title=title, rows=rows, width=330, height=280, id_prefix=f"{prefix}-smal"
                ),
            }
        )
    return result


@case_page()
def case_sessions(request: HttpRequest, case: Case) -> HttpResponse:
    user = user_of(request)
    page = Paginator(services.logged_sessions(case), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    measures = list(case.measures.select_related("legal_basis").order_by("start_date", "id"))
    my_measures = list(services.session_measures(case=case, user=user)) if case.is_open else []
    for session in page:
        session.method_labels = [  # type: ignore[attr-defined]
            Session.Method(m).label for m in session.methods if m in Session.Method.values
        ]
    context = {
        "page_obj": page,
        "drafts": list(services.drafts_of(case, user)),
        "my_measures": my_measures,
        "hours": measure_hours(measures),
    }
    return render_tab(request, "followups/case_sessions.html", case, tab=TAB, context=context)


@case_page()
def session_hours(request: HttpRequest, case: Case, measure_id: int) -> HttpResponse:
    measure = case_object_or_404(
        request, case, Measure.objects.select_related("legal_basis"), measure_id
    )
    context = {**case_context(request, case, tab=TAB), "item": measure_hours([measure])[0]}
    return render(request, "followups/session_hours.html", context)


# --- writing -------------------------------------------------------------------------------


@case_page(Need.SESSIONS, methods=FORM_METHODS)
def session_new(request: HttpRequest, case: Case) -> HttpResponse:
    """GET: choose the measure (when there are several); POST: start a draft and open it."""
    user = user_of(request)
    measures = list(services.session_measures(case=case, user=user)) if case.is_open else []
    error = ""
    if request.method == "POST":
        chosen = next((m for m in measures if str(m.pk) == request.POST.get("measure")), None)
        if chosen is None and len(measures) == 1:
            chosen = measures[0]
        if chosen is None:
            error = str(_("Vælg indsatsen, sessionen hører til."))
        else:
            try:
                session = services.session_start(case=case, user=user, measure=chosen)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                return redirect("followups:session_edit", case_id=case.pk, session_id=session.pk)
    context = {**case_context(request, case, tab=TAB), "measures": measures, "error": error}
    return render(request, "followups/session_new.html", context, status=400 if error else 200)


def session_form(
    request: HttpRequest, case: Case, session: Session, data: Any = None
) -> SessionForm:
    user = user_of(request)
    measures = services.session_measures(case=case, user=user)
    form = SessionForm(
        data,
        initial=None if data is not None else SessionForm.initial_for(session),
        measures=measures,
        members=services.family_members_of(case),
        goals=services.goals_of(case),
        therapists=services.second_therapist_choices(case=case, user=user),
    )
    return form


def status_context(
    session: Session, *, saved: bool = False, problems: list[str] | None = None
) -> dict[str, Any]:
    return {"session": session, "saved": saved, "problems": problems or []}


@case_page(Need.SESSIONS, methods=FORM_METHODS)
def session_edit(request: HttpRequest, case: Case, session_id: int) -> HttpResponse:
    """The draft's form. POST ("Registrér session"): keep what was typed as the draft, then
    log it; errors per field, everything typed kept."""
    session = own_draft(request, case, session_id)
    if isinstance(session, HttpResponse):
        return session
    if not session.is_draft:
        messages.info(request, _("Sessionen er allerede registreret."))
        return redirect(sessions_url(case, session))
    user = user_of(request)
    if request.method == "POST":
        form = session_form(request, case, session, request.POST)
        form.is_valid()
        try:
            session = services.session_draft_save(
                case=case, user=user, session=session, data=form.session_data()
            )
        except ValidationError as error:
            form.add_service_error(error)
        if not form.errors:
            try:
                services.session_log(case=case, user=user, session=session)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Sessionen er registreret."))
                return redirect(sessions_url(case, session))
        session.refresh_from_db()
        return render_edit(request, case, session, form, status=400)
    return render_edit(request, case, session, session_form(request, case, session))


def render_edit(
    request: HttpRequest, case: Case, session: Session, form: SessionForm, *, status: int = 200
) -> HttpResponse:
    context = {
        **case_context(request, case, tab=TAB),
        "session": session,
        "form": form,
        "durations": [str(m) for m in (30, 45, 60, 90)],
        **status_context(session),
    }
    response = render(request, EDIT_PAGE, context, status=status)
    response["Cache-Control"] = "no-store"  # the back button must not show an old draft
    return response


@case_page(Need.SESSIONS, methods=FORM_METHODS)
def session_autosave(request: HttpRequest, case: Case, session_id: int) -> HttpResponse:
    """htmx, as the therapist types: save the draft, answer the small status fragment."""
    session = own_draft(request, case, session_id)
    if isinstance(session, HttpResponse):
        return session
    problems: list[str] = []
    saved = False
    if request.method == "POST" and session.is_draft:
        form = session_form(request, case, session, request.POST)
        form.is_valid()
        problems = [
            f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}"
            for name, errors in form.errors.items()
            if name in form.fields
        ]
        try:
            session = services.session_draft_save(
                case=case, user=user_of(request), session=session, data=form.session_data()
            )
        except ValidationError as error:
            problems += error.messages
        except PermissionDenied:
            return session_forbidden(request, case, need="author")
        else:
            saved = True
    response = render(
        request,
        "followups/session_edit.html#status",
        status_context(session, saved=saved, problems=problems),
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@case_page(Need.SESSIONS, methods=FORM_METHODS)
def session_delete(request: HttpRequest, case: Case, session_id: int) -> HttpResponse:
    session = own_draft(request, case, session_id)
    if isinstance(session, HttpResponse):
        return session
    if not session.is_draft:
        messages.info(request, _("Registrerede sessioner kan ikke slettes."))
        return redirect(sessions_url(case, session))
    if request.method == "POST":
        services.session_delete_draft(case=case, user=user_of(request), session=session)
        messages.success(request, _("Kladden er slettet."))
        return redirect("followups:case_sessions", case_id=case.pk)
    context = {**case_context(request, case, tab=TAB), "session": session}
    return render(request, "followups/session_delete.html", context)


def sessions_url(case: Case, session: Session) -> str:
    url = reverse("followups:case_sessions", kwargs={"case_id": case.pk})
    return f"{url}#session-{session.pk}"
