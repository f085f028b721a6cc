"""The staff pages of a closing status letter (afsluttende statusskrivelse), under the
Indsatser tab: start, write, send to the family for review, revise, send without approval,
compare versions, follow the rendering and download the PDF.

Every view is wrapped in ``letter_page`` (``cases.pages.case_page``), which loads the case
(the read is logged, an outsider gets a logged 404) and the letter or measure through the case
(``case_object_or_404``: an id of another case is a logged 404), then checks the letter right:
anyone who may see the case reads; the therapists assigned to the letter's measure write; the
case's owner may also send a letter without the family's approval. The services in
letters/services.py do every change and check the same rules again.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from access.log import Action, access_log_record
from access.rules import Need
from cases.models import Case, Measure
from cases.pages import (
    FORM_METHODS,
    READ_METHODS,
    access_of,
    case_context,
    case_object_or_404,
    case_page,
    form_data,
    render_case_form,
    user_of,
)
from letters import services as letters
from letters.forms import (
    SECTION_HELP,
    LetterEditForm,
    LetterReviewForm,
    LetterSendWithoutApprovalForm,
)
from letters.models import (
    ClosingLetter,
    ClosingLetterComment,
    ClosingLetterVersion,
    LetterRendering,
    LetterSection,
)

TAB = "measures"
POST_ONLY = ("POST",)


WHAT = {
    Need.LETTER_WRITE: _("skrive statusskrivelsen – det gør behandlerne på indsatsen"),
    Need.LETTER_SEND: _(
        "sende statusskrivelsen uden godkendelse – det gør behandlerne på indsatsen eller "
        "sagens sagsbehandler"
    ),
}


def letter_or_measure(
    request: HttpRequest, case: Case, kwargs: dict[str, Any]
) -> tuple[ClosingLetter | Measure, Measure]:
    """The letter (``letter_id``) or the measure (``measure_id``) of the URL, through the case
    (``case_page``'s loader): the object the view is given, and the measure whose letter
    rights the page needs."""
    if "letter_id" in kwargs:
        letter = case_object_or_404(
            request,
            case,
            ClosingLetter.objects.select_related("measure__legal_basis", "author", "approved_by"),
            kwargs.pop("letter_id"),
        )
        letter.case = case
        letter.measure.case = case
        return letter, letter.measure
    measure = case_object_or_404(
        request, case, Measure.objects.select_related("legal_basis"), kwargs.pop("measure_id")
    )
    measure.case = case
    return measure, measure


def letter_page(
    need: str = Need.READ, *, methods: tuple[str, ...] = READ_METHODS
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """``case_page`` for a letter page: the view is called as ``view(request, case, obj)``."""
    return case_page(
        need, what=WHAT.get(need, ""), methods=methods, load=letter_or_measure, tab=TAB
    )


def detail_url(letter: ClosingLetter) -> str:
    return reverse(
        "letters:closing_letter_detail", kwargs={"case_id": letter.case_id, "letter_id": letter.pk}
    )


def _page(
    request: HttpRequest, template: str, case: Case, letter: ClosingLetter, **context: Any
) -> HttpResponse:
    return render_case_form(
        request,
        template,
        case,
        tab=TAB,
        context={
            "letter": letter,
            "measure": letter.measure,
            "can_write": access_of(request).can_write_letter(letter.measure),
            **context,
        },
    )


# --- what the detail page shows --------------------------------------------------------------


@dataclass(frozen=True)
class SectionView:
    key: str
    label: str
    text: str
    comments: list[ClosingLetterComment]


NEXT_STEP = {
    ClosingLetter.Status.DRAFT: _(
        "Brevet er en kladde. Behandleren skriver det færdigt og sender det til familien, "
        "som læser det i familieportalen og kommenterer eller godkender det."
    ),
    ClosingLetter.Status.IN_REVIEW: _(
        "Familien læser brevet. Kommenterer de, kan behandleren lave en ny version; godkender "
        "de, dannes PDF'en, og brevet sendes til familien og sagsbehandleren."
    ),
    ClosingLetter.Status.APPROVED: _(
        "Brevet er godkendt (eller sendes med en begrundelse). PDF'en dannes nu; når den er "
        "klar, sendes brevet til familien og sagsbehandleren. Indsatsen ophører først med "
        "sagsbehandlerens afgørelse om ophør."
    ),
    ClosingLetter.Status.SENT: _(
        "Brevet er sendt til familien og sagsbehandleren. PDF'en kan ikke ændres. Indsatsen "
        "ophører med sagsbehandlerens afgørelse om ophør."
    ),
}


def rendering_of(letter: ClosingLetter) -> LetterRendering | None:
    if letter.approved_version_id is None:
        return None
    return LetterRendering.objects.filter(version_id=letter.approved_version_id).first()


def detail_context(request: HttpRequest, case: Case, letter: ClosingLetter) -> dict[str, Any]:
    """Everything the detail page shows, in a fixed number of queries however many versions
    and comments the letter has."""
    versions = list(
        letter.versions.select_related("created_by")
        .annotate(comment_count=Count("comments"))
        .order_by("number")
    )
    current = versions[-1]
    reviewed = [v for v in versions if v.sent_for_review_at is not None]
    review_version = reviewed[-1] if reviewed else None
    comments = list(
        ClosingLetterComment.objects.filter(version__letter=letter)
        .select_related("author", "version")
        .order_by("version__number", "created_at", "id")
    )
    latest_comments = [c for c in comments if review_version and c.version_id == review_version.pk]
    by_section: dict[str, list[ClosingLetterComment]] = {}
    for comment in latest_comments:
        by_section.setdefault(comment.section, []).append(comment)
    sections = [
        SectionView(
            key=key,
            label=str(label),
            text=current.sections.get(key, ""),
            comments=by_section.get(key, []),
        )
        for key, label in LetterSection.choices
    ]
    earlier_comments = [c for c in comments if c not in latest_comments]
    can_write = access_of(request).can_write_letter(letter.measure)
    status = letter.status
    return {
        "letter_page": "detail",
        "letter": letter,
        "measure": letter.measure,
        "versions": versions,
        "current": current,
        "review_version": review_version,
        "sections": sections,
        "letter_comments": by_section.get("", []),
        "earlier_comments": earlier_comments,
        "reviewers": list(letter.reviewers.select_related("citizen")),
        "rendering": rendering_of(letter),
        "next_step": NEXT_STEP[ClosingLetter.Status(status)],
        "can_write": can_write,
        "can_edit": can_write and status == ClosingLetter.Status.DRAFT,
        "can_revise": can_write and status == ClosingLetter.Status.IN_REVIEW,
        "can_send_without_approval": status == ClosingLetter.Status.IN_REVIEW
        and access_of(request).can_send_letter(letter.measure),
    }


# --- pages -----------------------------------------------------------------------------------


@letter_page(Need.LETTER_WRITE, methods=POST_ONLY)
def closing_letter_start(request: HttpRequest, case: Case, measure: Measure) -> HttpResponse:
    """The measure's letter, prefilled from the case (or the letter it already has)."""
    try:
        letter = letters.letter_start(measure=measure, user=user_of(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(measure.get_absolute_url())
    messages.success(request, _("Statusskrivelsen er oprettet og forudfyldt fra sagen."))
    return redirect("letters:closing_letter_edit", case_id=case.pk, letter_id=letter.pk)


@letter_page()
def closing_letter_detail(request: HttpRequest, case: Case, letter: ClosingLetter) -> HttpResponse:
    return render_case_form(
        request,
        "cases/letter_detail.html",
        case,
        tab=TAB,
        context=detail_context(request, case, letter),
    )


@letter_page()
def closing_letter_rendering(
    request: HttpRequest, case: Case, letter: ClosingLetter
) -> HttpResponse:
    """The rendering state alone: polled by the detail page while the PDF is being made."""
    context = {
        **case_context(request, case, tab=TAB),
        "letter": letter,
        "rendering": rendering_of(letter),
    }
    response = render(request, "cases/letter_detail.html#rendering", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@letter_page()
def closing_letter_pdf(request: HttpRequest, case: Case, letter: ClosingLetter) -> HttpResponse:
    """The stored PDF, exactly as rendered; 404 until it exists. The download is logged."""
    rendering = rendering_of(letter)
    if rendering is None or rendering.status != LetterRendering.Status.DONE or not rendering.file:
        raise Http404
    version = letter.approved_version
    assert version is not None
    access_log_record(
        user=request.user,
        action=Action.VIEW,
        case=case,
        target=f"Statusskrivelse {letter.pk} version {version.number}: PDF hentet",
    )
    response = FileResponse(
        rendering.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"statusskrivelse-{case.number}-v{version.number}.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)  # a streaming response; the decorators type HttpResponse


@letter_page(Need.LETTER_WRITE, methods=FORM_METHODS)
def closing_letter_edit(request: HttpRequest, case: Case, letter: ClosingLetter) -> HttpResponse:
    version = letters.letter_latest_version(letter)
    editable = letter.status == ClosingLetter.Status.DRAFT and not version.is_frozen
    if not editable:
        if request.method == "POST":
            messages.error(request, _("Brevet kan ikke ændres nu: start en ny version."))
            return redirect(detail_url(letter))
        return _page(request, "cases/letter_edit.html", case, letter, form=None, version=version)
    initial = {**version.sections, "change_note": version.change_note}
    form = LetterEditForm(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            letters.letter_update_draft(
                letter=letter,
                user=user_of(request),
                sections=form.sections(),
                change_note=form.cleaned_data["change_note"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Statusskrivelsen er gemt."))
            if "review" in request.POST:
                return redirect(
                    "letters:closing_letter_review", case_id=case.pk, letter_id=letter.pk
                )
            return redirect(detail_url(letter))
    fields = [(form[key], SECTION_HELP[LetterSection(key)]) for key in LetterSection.values]
    response = _page(
        request,
        "cases/letter_edit.html",
        case,
        letter,
        form=form,
        version=version,
        section_fields=fields,
    )
    response["Cache-Control"] = "no-store"  # the back button must not show an old draft
    return response


@letter_page(Need.LETTER_WRITE, methods=POST_ONLY)
def closing_letter_autosave(
    request: HttpRequest, case: Case, letter: ClosingLetter
) -> HttpResponse:
    """htmx, as the therapist types (templates/cases/letter_edit.html): save the version being
    written and answer the small status fragment. The same checks as "Gem": a section too
    long, or a letter no longer a draft, saves nothing and says why."""
    version = letters.letter_latest_version(letter)
    problems: list[str] = []
    saved = False
    if letter.status != ClosingLetter.Status.DRAFT or version.is_frozen:
        problems.append(str(_("Brevet kan ikke ændres nu: start en ny version.")))
    else:
        form = LetterEditForm(request.POST)
        if not form.is_valid():
            problems = [
                f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}"
                for name, errors in form.errors.items()
                if name in form.fields
            ]
        else:
            try:
                version = letters.letter_update_draft(
                    letter=letter,
                    user=user_of(request),
                    sections=form.sections(),
                    change_note=form.cleaned_data["change_note"],
                )
            except ValidationError as error:
                problems = list(error.messages)
            else:
                saved = True
    response = render(
        request,
        "cases/letter_edit.html#status",
        {"letter": letter, "version": version, "saved": saved, "problems": problems},
    )
    patch_vary_headers(response, ["HX-Request"])
    response["Cache-Control"] = "no-store"
    return response


@letter_page(Need.LETTER_WRITE, methods=FORM_METHODS)
def closing_letter_review(request: HttpRequest, case: Case, letter: ClosingLetter) -> HttpResponse:
    version = letters.letter_latest_version(letter)
    if letter.status != ClosingLetter.Status.DRAFT:
        if request.method == "POST":
            messages.error(request, _("Brevet er allerede sendt til familien."))
            return redirect(detail_url(letter))
        return _page(request, "cases/letter_review.html", case, letter, form=None, version=version)
    candidates = letters.letter_reviewer_candidates(letter)
    form = LetterReviewForm(form_data(request), candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            letters.letter_send_for_review(
                letter=letter,
                user=user_of(request),
                reviewers=list(form.cleaned_data["reviewers"]),
                review_due_on=form.cleaned_data["review_due_on"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Brevet er sendt til familien til gennemsyn."))
            return redirect(detail_url(letter))
    sections = [(str(label), version.sections.get(key, "")) for key, label in LetterSection.choices]
    return _page(
        request,
        "cases/letter_review.html",
        case,
        letter,
        form=form,
        version=version,
        candidates=candidates,
        preview=sections,
        child_age=letters.CHILD_REVIEWER_AGE,
    )


@letter_page(Need.LETTER_WRITE, methods=POST_ONLY)
def closing_letter_revise(request: HttpRequest, case: Case, letter: ClosingLetter) -> HttpResponse:
    try:
        version = letters.letter_revise(letter=letter, user=user_of(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(detail_url(letter))
    messages.success(
        request,
        _("Version %(number)d er startet. Den tidligere version er bevaret.")
        % {"number": version.number},
    )
    return redirect("letters:closing_letter_edit", case_id=case.pk, letter_id=letter.pk)


@letter_page(Need.LETTER_SEND, methods=FORM_METHODS)
def closing_letter_send_without_approval(
    request: HttpRequest, case: Case, letter: ClosingLetter
) -> HttpResponse:
    if letter.status != ClosingLetter.Status.IN_REVIEW:
        if request.method == "POST":
            messages.error(request, _("Kun et brev, familien har haft til gennemsyn, kan sendes."))
            return redirect(detail_url(letter))
        return _page(request, "cases/letter_send_without_approval.html", case, letter, form=None)
    form = LetterSendWithoutApprovalForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            letters.letter_send_without_approval(
                letter=letter, user=user_of(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Brevet sendes uden godkendelse. PDF'en dannes nu."))
            return redirect(detail_url(letter))
    return _page(
        request,
        "cases/letter_send_without_approval.html",
        case,
        letter,
        form=form,
        review_version=letters.letter_review_version(letter),
    )


@letter_page()
def closing_letter_compare(request: HttpRequest, case: Case, letter: ClosingLetter) -> HttpResponse:
    """?fra=<number>&til=<number>; by default the last two versions."""
    versions = {v.number: v for v in letter.versions.select_related("created_by")}
    numbers = sorted(versions)
    default_old = str(numbers[-2]) if len(numbers) > 1 else str(numbers[0])
    old_value = request.GET.get("fra", default_old)
    new_value = request.GET.get("til", str(numbers[-1]))
    old: ClosingLetterVersion | None = None
    new: ClosingLetterVersion | None = None
    if (old_value + new_value).isascii() and old_value.isdigit() and new_value.isdigit():
        old, new = versions.get(int(old_value)), versions.get(int(new_value))
    problem: Any = ""
    if len(numbers) < 2:
        problem = _("Brevet har kun én version endnu.")
    elif old is None or new is None:
        problem = _("Vælg to versioner at sammenligne.")
    diffs = letters.letter_compare(old, new) if old is not None and new is not None else []
    return _page(
        request,
        "cases/letter_compare.html",
        case,
        letter,
        numbers=numbers,
        old_value=old_value,
        new_value=new_value,
        old_version=old,
        new_version=new,
        problem=problem,
        diffs=diffs,
        any_change=any(d.changed for d in diffs),
    )
