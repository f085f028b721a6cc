"""The case's Afgørelser: the list, a decision's page (everything it says, its party hearings,
their answers and the complaints), and the forms that draft, send to hearing, record answers,
decide, and register and reconsider a complaint. Reading is for the authority's staff (a
provider gets a 404, ``Need.AUTHORITY_FILE``); writing is for the case's owner or team lead
(``Need.AUTHORITY``). The rules and the access log are ``cases.decisions``'s."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.rules import Need
from cases import decisions
from cases.forms.decisions import (
    AnkestyrelsenResultForm,
    ComplaintForm,
    ComplaintReconsiderForm,
    DecisionDraftForm,
    DecisionKindForm,
    DecisionMakeForm,
    HearingAnswerForm,
    HearingSendForm,
)
from cases.models import Case, Complaint, Decision, PartyHearing
from cases.pages import (
    FORM_METHODS,
    case_object_or_404,
    case_page,
    form_data,
    render_case_form,
    render_tab,
    service_form_page,
    user_of,
)
from core.forms import ServiceForm

TAB = "decisions"
WHAT = gettext_lazy("træffe afgørelser på sagen")
FORM_TEMPLATE = "cases/case_decision_form.html"


def _decision(request: HttpRequest, case: Case, decision_id: int) -> Decision:
    return case_object_or_404(
        request,
        case,
        Decision.objects.select_related(
            "legal_basis", "measure__legal_basis", "decided_by", "provider_team"
        ).prefetch_related("therapists"),
        decision_id,
    )


def _saved_or_form(
    request: HttpRequest,
    case: Case,
    decision: Decision | None,
    form: ServiceForm,
    save: Callable[[dict[str, Any]], Any],
    *,
    heading: Any,
    intro: Any = "",
    submit: Any,
    done: Any,
) -> HttpResponse:
    """Run ``save`` with the form's data on a valid POST and go to the decision's page; show
    the form again, with the service's refusal, otherwise (``cases.pages.service_form_page``)."""
    return service_form_page(
        request,
        case,
        form,
        save,
        template=FORM_TEMPLATE,
        tab=TAB,
        done=done,
        success_url=lambda saved: (decision or saved).get_absolute_url(),
        context={"decision": decision, "heading": heading, "intro": intro, "submit": submit},
    )


@case_page(Need.AUTHORITY_FILE, tab=TAB)
def case_decisions(request: HttpRequest, case: Case) -> HttpResponse:
    items = (
        Decision.objects.filter(case=case)
        .select_related("legal_basis", "measure__legal_basis", "decided_by")
        .order_by("-created_at", "-id")
    )
    return render_tab(
        request, "cases/case_decisions.html", case, tab=TAB, context={"decisions": items}
    )


@case_page(Need.AUTHORITY_FILE, tab=TAB)
def decision_detail(request: HttpRequest, case: Case, decision_id: int) -> HttpResponse:
    decision = _decision(request, case, decision_id)
    hearings = list(decision.hearings.prefetch_related("answers").select_related("sent_by"))
    complaints = list(decision.complaints.select_related("new_decision"))
    return render_case_form(
        request,
        "cases/case_decision_detail.html",
        case,
        tab=TAB,
        context={
            "decision": decision,
            "hearings": hearings,
            "hearing_over": decisions.hearing_is_over(hearings[0]) if hearings else True,
            "complaints": complaints,
            "complaint_days": decisions.COMPLAINT_DAYS,
        },
    )


DRAFT_TEMPLATE = "cases/case_decision_draft.html"
KIND_INTRO: dict[Decision.Kind, Any] = {
    Decision.Kind.MEASURE_ORDER: gettext_lazy(
        "Indsatsen iværksættes, når afgørelsen er truffet: først da får behandlerne adgang, og "
        "planen og fristerne oprettes. Afgørelsen skal angive formålet og den forventede "
        "varighed (Barnets Lov § 32, stk. 3)."
    ),
    Decision.Kind.MEASURE_CHANGE: gettext_lazy(
        "Udfyld kun det, der ændres. Ændringen gælder fra den dato, du angiver, når "
        "afgørelsen er truffet."
    ),
    Decision.Kind.MEASURE_END: gettext_lazy(
        "Indsatsen afsluttes, når afgørelsen er truffet. Et afsluttende statusbrev til familien "
        "afslutter ikke indsatsen."
    ),
}


def _draft_page(
    request: HttpRequest,
    case: Case,
    decision: Decision | None,
    form: DecisionDraftForm,
    save: Callable[[dict[str, Any]], Decision],
    *,
    heading: Any,
    submit: Any,
    done: Any,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, done)
            return redirect(saved.get_absolute_url())
    return render_case_form(
        request,
        DRAFT_TEMPLATE,
        case,
        tab=TAB,
        context={
            "form": form,
            "decision": decision,
            "kind_label": Decision.Kind(form.kind).label,
            "heading": heading,
            "intro": KIND_INTRO.get(Decision.Kind(form.kind), ""),
            "submit": submit,
        },
    )


@case_page(Need.AUTHORITY, what=WHAT, methods=FORM_METHODS, tab=TAB)
def decision_create(request: HttpRequest, case: Case) -> HttpResponse:
    """A new decision: first its kind (``?art=``), then the draft with the fields that kind
    needs; a decision on a measure may name it (``?indsats=``)."""
    # A POST always names its kind (the draft form carries it); one without it is told so.
    if request.method == "POST":
        chooser = DecisionKindForm(request.POST)
    else:
        # The chooser's own GET submit carries "valgt": without a kind ticked it says so.
        submitted = "art" in request.GET or "valgt" in request.GET
        chooser = DecisionKindForm(request.GET if submitted else None)
    if not chooser.is_valid():
        return render_case_form(
            request,
            "cases/case_decision_kind.html",
            case,
            tab=TAB,
            context={"form": chooser, "heading": _("Ny afgørelse")},
        )
    kind = chooser.cleaned_data["art"]
    initial: dict[str, Any] = {}
    measure_id = request.GET.get("indsats", "")
    if measure_id.isdigit():
        initial["measure"] = int(measure_id)
    if kind == Decision.Kind.MEASURE_END:
        initial["ends_on"] = timezone.localdate()
    form = DecisionDraftForm(form_data(request), case=case, kind=kind, initial=initial)
    return _draft_page(
        request,
        case,
        None,
        form,
        lambda data: decisions.decision_draft_create(
            case=case, user=user_of(request), kind=kind, **data
        ),
        heading=_("Ny afgørelse: %(kind)s") % {"kind": Decision.Kind(kind).label},
        submit=_("Gem udkast"),
        done=_("Udkastet til afgørelsen er gemt."),
    )


@case_page(Need.AUTHORITY, what=WHAT, methods=FORM_METHODS, tab=TAB)
def decision_edit(request: HttpRequest, case: Case, decision_id: int) -> HttpResponse:
    decision = _decision(request, case, decision_id)
    if decision.is_decided:
        messages.error(request, _("Afgørelsen er truffet og kan ikke længere ændres."))
        return redirect(decision.get_absolute_url())
    form = DecisionDraftForm(
        form_data(request),
        case=case,
        kind=decision.kind,
        initial=DecisionDraftForm.initial_from(decision),
    )
    return _draft_page(
        request,
        case,
        decision,
        form,
        lambda data: decisions.decision_draft_update(
            decision=decision, user=user_of(request), **data
        ),
        heading=_("Redigér udkast: %(kind)s") % {"kind": decision.get_kind_display()},
        submit=_("Gem udkast"),
        done=_("Udkastet er gemt."),
    )


@case_page(Need.AUTHORITY, what=WHAT, methods=FORM_METHODS, tab=TAB)
def hearing_send(request: HttpRequest, case: Case, decision_id: int) -> HttpResponse:
    decision = _decision(request, case, decision_id)
    form = HearingSendForm(form_data(request))
    return _saved_or_form(
        request,
        case,
        decision,
        form,
        lambda data: decisions.hearing_send(decision=decision, user=user_of(request), **data),
        heading=_("Send i partshøring"),
        intro=_(
            "Parterne får udkastet og en frist til at svare (Forvaltningsloven § 19). Fristen "
            "skal være mindst %(days)d dage."
        )
        % {"days": decisions.HEARING_MIN_DAYS},
        submit=_("Send i høring"),
        done=_("Afgørelsen er sendt i partshøring."),
    )


@case_page(Need.AUTHORITY, what=WHAT, methods=FORM_METHODS, tab=TAB)
def hearing_answer_record(
    request: HttpRequest, case: Case, decision_id: int, hearing_id: int
) -> HttpResponse:
    decision = _decision(request, case, decision_id)
    hearing = case_object_or_404(
        request,
        case,
        PartyHearing.objects.filter(decision=decision),
        hearing_id,
        case_field="decision__case",
    )
    form = HearingAnswerForm(form_data(request), parties=hearing.party_names)
    return _saved_or_form(
        request,
        case,
        decision,
        form,
        lambda data: decisions.hearing_answer_record(
            hearing=hearing, user=user_of(request), **data
        ),
        heading=_("Registrér høringssvar"),
        submit=_("Gem svar"),
        done=_("Høringssvaret er registreret."),
    )


@case_page(Need.AUTHORITY, what=WHAT, methods=FORM_METHODS, tab=TAB)
def decision_make(request: HttpRequest, case: Case, decision_id: int) -> HttpResponse:
    decision = _decision(request, case, decision_id)
    form = DecisionMakeForm(
        form_data(request),
        initial={
            "reasons": decision.reasons,
            "hearing_waived_reason": decision.hearing_waived_reason,
            "acting_first_ground": decision.acting_first_ground,
        },
    )
    return _saved_or_form(
        request,
        case,
        decision,
        form,
        lambda data: decisions.decision_make(decision=decision, user=user_of(request), **data),
        heading=_("Træf afgørelse"),
        intro=_(
            "Afgørelsen træffes kun, når barnet er hørt, begrundelsen er skrevet, og en "
            "partshøring er afsluttet eller der er skrevet, hvorfor den ikke afventes."
        ),
        submit=_("Træf afgørelse"),
        done=_("Afgørelsen er truffet."),
    )


@case_page(Need.AUTHORITY, what=WHAT, methods=FORM_METHODS, tab=TAB)
def complaint_register(request: HttpRequest, case: Case, decision_id: int) -> HttpResponse:
    decision = _decision(request, case, decision_id)
    form = ComplaintForm(form_data(request))
    return _saved_or_form(
        request,
        case,
        decision,
        form,
        lambda data: decisions.complaint_register(decision=decision, user=user_of(request), **data),
        heading=_("Registrér klage"),
        intro=_(
            "Kommunen genvurderer afgørelsen senest 4 uger efter, at klagen er modtaget. En "
            "klage, der er modtaget mere end 4 uger efter afgørelsen, registreres og markeres "
            "som modtaget efter klagefristen."
        ),
        submit=_("Registrér klage"),
        done=_("Klagen er registreret."),
    )


def _complaint(
    request: HttpRequest, case: Case, decision: Decision, complaint_id: int
) -> Complaint:
    return case_object_or_404(
        request,
        case,
        Complaint.objects.filter(decision=decision).select_related("decision"),
        complaint_id,
        case_field="decision__case",
    )


@case_page(Need.AUTHORITY, what=WHAT, methods=FORM_METHODS, tab=TAB)
def complaint_reconsider(
    request: HttpRequest, case: Case, decision_id: int, complaint_id: int
) -> HttpResponse:
    decision = _decision(request, case, decision_id)
    complaint = _complaint(request, case, decision, complaint_id)
    form = ComplaintReconsiderForm(form_data(request), complaint=complaint)
    return _saved_or_form(
        request,
        case,
        decision,
        form,
        lambda data: decisions.complaint_reconsider(
            complaint=complaint, user=user_of(request), **data
        ),
        heading=_("Genvurdér klagen"),
        intro=_(
            "Fastholdes afgørelsen, sendes klagen til Ankestyrelsen. Ændres den, træffes først "
            "en ny afgørelse på sagen, som vælges her."
        ),
        submit=_("Gem genvurdering"),
        done=_("Genvurderingen er registreret."),
    )


@case_page(Need.AUTHORITY, what=WHAT, methods=FORM_METHODS, tab=TAB)
def complaint_ankestyrelsen_result(
    request: HttpRequest, case: Case, decision_id: int, complaint_id: int
) -> HttpResponse:
    decision = _decision(request, case, decision_id)
    complaint = _complaint(request, case, decision, complaint_id)
    form = AnkestyrelsenResultForm(form_data(request))
    return _saved_or_form(
        request,
        case,
        decision,
        form,
        lambda data: decisions.complaint_ankestyrelsen_result(
            complaint=complaint, user=user_of(request), **data
        ),
        heading=_("Registrér Ankestyrelsens afgørelse"),
        submit=_("Gem"),
        done=_("Ankestyrelsens afgørelse er registreret."),
    )
