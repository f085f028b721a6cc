"""Network meetings: planning them with the people the child chose, the minutes, attendance
and decisions written during the meeting, and a decision turned into a plan responsibility."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from access.rules import Need
from cases.models import Case
from cases.pages import FORM_METHODS, case_page
from network import invitations, selectors, services
from network.forms import DecisionForm, DecisionToPlanForm, MeetingForm, RecordForm
from network.models import Meeting, MeetingDecision, MeetingInvitee
from network.views.common import form_data, object_or_404, render_form_page, tab_context, user_of
from plans.models import Goal

WORK = gettext_lazy("planlægge og skrive møder i netværket")


def meetings_url(case: Case) -> str:
    return reverse("network:meeting_list", kwargs={"case_id": case.pk})


def meeting_of(request: HttpRequest, case: Case, meeting_id: int) -> Meeting:
    meeting = object_or_404(request, case, Meeting.objects.filter(case=case), meeting_id)
    meeting.case = case
    return meeting


@case_page()
def meeting_list(request: HttpRequest, case: Case) -> HttpResponse:
    upcoming, earlier = selectors.meetings(case)
    context = {**tab_context(request, case), "upcoming": upcoming, "earlier": earlier}
    return render(request, "network/meeting_list.html", context)


def _meeting_form(request: HttpRequest, case: Case, meeting: Meeting | None = None) -> MeetingForm:
    members = list(selectors.active_members(case))
    invited: dict[int, str] = {}
    # Most meetings planned here are network meetings: the type is chosen already.
    initial: dict[str, Any] = {"kind": Meeting.Kind.NETWORK_MEETING}
    if meeting is not None:
        invitees = list(meeting.invitees.select_related("member"))
        invited = {inv.member_id: inv.child_wish for inv in invitees}
        initial = {f: getattr(meeting, f) for f in ("kind", "starts_at", "place", "purpose")}
        # People no longer on the map but invited earlier stay choosable on this meeting.
        members += [inv.member for inv in invitees if inv.member.removed_at]
    return MeetingForm(
        form_data(request), initial=initial, members=members, invited=invited, id_prefix="moede"
    )


@case_page(Need.GOALS, what=WORK, methods=FORM_METHODS)
def meeting_create(request: HttpRequest, case: Case) -> HttpResponse:
    form = _meeting_form(request, case)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                case=case, user=user_of(request), **form.service_arguments()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Mødet er planlagt."))
            return redirect(meeting)
    return render_form_page(
        request,
        case,
        title=_("Planlæg møde"),
        partial="network/meeting_detail.html#meeting_form",
        context={"form": form, "action": request.path, "submit": _("Planlæg mødet")},
        back_url=meetings_url(case),
        back_label=_("Tilbage til møderne"),
    )


@case_page(Need.GOALS, what=WORK, methods=FORM_METHODS)
def meeting_edit(request: HttpRequest, case: Case, meeting_id: int) -> HttpResponse:
    meeting = meeting_of(request, case, meeting_id)
    form = _meeting_form(request, case, meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, **form.service_arguments())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Mødet er ændret."))
            return redirect(meeting)
    return render_form_page(
        request,
        case,
        title=_("Ret mødet"),
        partial="network/meeting_detail.html#meeting_form",
        context={"form": form, "action": request.path, "submit": _("Gem")},
        back_url=meeting.get_absolute_url(),
        back_label=_("Tilbage til mødet"),
    )


def detail_context(
    request: HttpRequest,
    case: Case,
    meeting: Meeting,
    *,
    record_form: RecordForm | None = None,
    decision_form: DecisionForm | None = None,
) -> dict[str, Any]:
    invitees = list(
        MeetingInvitee.objects.filter(meeting=meeting)
        .select_related("member")
        .order_by("member__name", "id")
    )
    decisions = list(
        MeetingDecision.objects.filter(meeting=meeting)
        .select_related("member", "responsibility")
        .order_by("position", "id")
    )
    context = {
        **tab_context(request, case),
        "meeting": meeting,
        "invitees": invitees,
        "decisions": decisions,
    }
    # Who is still to be invited is read only where the button could be shown.
    context["may_invite"] = (
        context["can_edit"]
        and meeting.is_upcoming
        and case.is_open
        and any(r.will_get_one for r in invitations.recipients(meeting))
    )
    if context["can_edit"] and meeting.has_started:
        initial = {
            "minutes": meeting.minutes,
            "attended": [str(i.pk) for i in invitees if i.attended],
            "held": meeting.status == Meeting.Status.HELD,
        }
        context["record_form"] = record_form or RecordForm(
            initial=initial, meeting=meeting, id_prefix="referat"
        )
    if context["can_edit"]:
        context["decision_form"] = decision_form or DecisionForm(
            members=list(selectors.active_members(case)), id_prefix="beslutning"
        )
    return context


@case_page()
def meeting_detail(request: HttpRequest, case: Case, meeting_id: int) -> HttpResponse:
    meeting = meeting_of(request, case, meeting_id)
    return render(request, "network/meeting_detail.html", detail_context(request, case, meeting))


@case_page(Need.GOALS, what=WORK, methods=FORM_METHODS)
def meeting_record(request: HttpRequest, case: Case, meeting_id: int) -> HttpResponse:
    meeting = meeting_of(request, case, meeting_id)
    if request.method != "POST":
        return redirect(f"{meeting.get_absolute_url()}#referat")
    form = RecordForm(request.POST, meeting=meeting, id_prefix="referat")
    if form.is_valid():
        try:
            services.meeting_record(meeting=meeting, **form.service_arguments())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Referatet er gemt."))
            return redirect(f"{meeting.get_absolute_url()}#referat")
    context = detail_context(request, case, meeting, record_form=form)
    return render(request, "network/meeting_detail.html", context)


@case_page(Need.GOALS, what=WORK, methods=FORM_METHODS)
def meeting_invite(request: HttpRequest, case: Case, meeting_id: int) -> HttpResponse:
    """Who gets an invitation by e-mail and who cannot (GET), then send them (POST): the
    rules are ``network.invitations``'s."""
    meeting = meeting_of(request, case, meeting_id)
    problems: list[str] = []
    if request.method == "POST":
        try:
            count = invitations.invitations_send(meeting=meeting, user=user_of(request))
        except ValidationError as error:
            problems = list(error.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "Invitationen er sendt til %(count)d person.",
                    "Invitationerne er sendt til %(count)d personer.",
                    count,
                )
                % {"count": count},
            )
            return redirect(meeting)
    return render_form_page(
        request,
        case,
        title=_("Send invitationer"),
        partial="network/meeting_detail.html#invite_confirm",
        context={
            "meeting": meeting,
            "recipients": invitations.recipients(meeting),
            "problems": problems,
            "action": request.path,
            "cancel_url": meeting.get_absolute_url(),
        },
        back_url=meeting.get_absolute_url(),
        back_label=_("Tilbage til mødet"),
    )


@case_page(Need.GOALS, what=WORK, methods=FORM_METHODS)
def meeting_decision_add(request: HttpRequest, case: Case, meeting_id: int) -> HttpResponse:
    meeting = meeting_of(request, case, meeting_id)
    if request.method != "POST":
        return redirect(f"{meeting.get_absolute_url()}#beslutninger")
    form = DecisionForm(
        request.POST, members=list(selectors.active_members(case)), id_prefix="beslutning"
    )
    if form.is_valid():
        try:
            services.meeting_decision_add(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Beslutningen er skrevet."))
            return redirect(f"{meeting.get_absolute_url()}#beslutninger")
    context = detail_context(request, case, meeting, decision_form=form)
    return render(request, "network/meeting_detail.html", context)


def decision_of(request: HttpRequest, case: Case, decision_id: int) -> MeetingDecision:
    decision = object_or_404(
        request,
        case,
        MeetingDecision.objects.filter(meeting__case=case).select_related(
            "meeting", "member__user"
        ),
        decision_id,
    )
    decision.meeting.case = case
    return decision


@case_page(Need.GOALS, what=WORK, methods=FORM_METHODS)
def meeting_decision_remove(request: HttpRequest, case: Case, decision_id: int) -> HttpResponse:
    decision = decision_of(request, case, decision_id)
    back = f"{decision.meeting.get_absolute_url()}#beslutninger"
    if request.method == "POST":
        try:
            services.meeting_decision_remove(decision=decision)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Beslutningen er fjernet."))
        return redirect(back)
    return render_form_page(
        request,
        case,
        title=_("Fjern beslutning"),
        partial="network/meeting_detail.html#confirm_decision_remove",
        context={"decision": decision, "action": request.path, "cancel_url": back},
        back_url=back,
        back_label=_("Tilbage til mødet"),
    )


@case_page(Need.GOALS, what=WORK, methods=FORM_METHODS)
def meeting_decision_to_plan(request: HttpRequest, case: Case, decision_id: int) -> HttpResponse:
    """Turn a decision into "who does what" for one of the plan's goals."""
    decision = decision_of(request, case, decision_id)
    back = f"{decision.meeting.get_absolute_url()}#beslutning-{decision.pk}"
    goals = list(
        Goal.objects.filter(plan__case=case, status=Goal.Status.OPEN)
        .select_related("plan")
        .order_by("position", "id")
    )
    form = DecisionToPlanForm(form_data(request), goals=goals, id_prefix="til-plan")
    if request.method == "POST" and form.is_valid():
        goal = form.cleaned_data["goal"]
        goal.plan.case = case
        try:
            services.meeting_decision_to_responsibility(decision=decision, goal=goal)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Beslutningen er nu et ansvar i planen."))
            return redirect(back)
    return render_form_page(
        request,
        case,
        title=_("Gør beslutningen til et ansvar i planen"),
        partial="network/meeting_detail.html#to_plan_form",
        context={"form": form, "decision": decision, "goals": goals, "action": request.path},
        back_url=back,
        back_label=_("Tilbage til mødet"),
    )
