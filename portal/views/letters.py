"""The closing status letter in the family portal: read it, see what changed, comment per
section, approve it (once, after a confirmation), preview it as PDF, download the sent PDF.

Every view loads the case with ``portal.pages.family_case_page`` (the family's own child,
read logged; anything else a logged 404; a case at the notification stage does not exist for
the family) and the letter through the case (``family_letter_view``). Who sees what:

* a family member chosen as reviewer: the letter from the first time it is sent for review;
  comments and approves while it is in review;
* any other family member of the child: the letter once it is sent (and its PDF).

Anything else is a logged 404. The template gets the child's first name and the letter, never
the case object, so no CPR number or case number can slip into the page.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from access.log import Action, access_log_record
from access.refusals import access_log_denied
from accounts.models import User
from cases.models import Case
from cases.pages import FORM_METHODS, READ_METHODS
from letters import services as letters
from letters.contacts import caseworker_contact, contact_of
from letters.models import (
    ClosingLetter,
    ClosingLetterComment,
    ClosingLetterVersion,
    LetterRendering,
    LetterSection,
)
from letters.pdf import Block, render_letter_preview, text_blocks
from portal.forms import LetterApproveForm, LetterCommentForm
from portal.pages import family_case_page

Status = ClosingLetter.Status
POST_ONLY = ("POST",)
NO_STORE = "private, no-store"


@dataclass
class FamilyLetter:
    """What a family letter view is given: the case (never passed to a template), the letter
    and whether the user is one of its chosen reviewers."""

    case: Case
    letter: ClosingLetter
    is_reviewer: bool

    @property
    def can_review(self) -> bool:
        return self.is_reviewer and self.letter.status == Status.IN_REVIEW


def family_letter_view(
    *, reviewer_only: bool = False, methods: tuple[str, ...] = READ_METHODS
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Load the family's case and the letter; ``reviewer_only`` views (comment, approve,
    preview) are for the chosen reviewers alone. The view is called as ``view(request, fl)``."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def with_letter(
            request: HttpRequest, case: Case, letter_id: int, **kwargs: Any
        ) -> HttpResponse:
            letter = (
                ClosingLetter.objects.select_related(
                    "measure__legal_basis",
                    "measure__provider_team__unit",
                    "author",
                    "approved_by",
                    "approved_version",
                )
                .filter(case=case, pk=letter_id)
                .first()
            )
            is_reviewer = (
                letter is not None
                and letter.reviewers.filter(user_id=cast(User, request.user).pk).exists()
            )
            # Reviewers are chosen when the letter is first sent for review, so a reviewer
            # never sees a first draft; the rest of the family sees the letter once sent.
            visible = letter is not None and (letter.status == Status.SENT or is_reviewer)
            if letter is None or not visible or (reviewer_only and not is_reviewer):
                access_log_denied(request, case=case)
                raise Http404
            letter.case = case
            return view(request, FamilyLetter(case, letter, is_reviewer), **kwargs)

        wrapper = family_case_page(methods=methods)(with_letter)
        wrapper.family_letter_access = "review" if reviewer_only else "read"  # type: ignore[attr-defined]
        return wrapper

    return decorator


def letter_context(fl: FamilyLetter, version: ClosingLetterVersion | None) -> dict[str, Any]:
    """What every family letter page shows: the child's first name, never the case; the
    measure with its legal basis as a small note; the signature (the therapist's name and
    title, the provider once) and how to reach the caseworker and the therapist."""
    letter = fl.letter
    author = letter.author
    provider = letters.provider_name(letter.measure.provider_team)
    owner = fl.case.owner
    contacts = [caseworker_contact(owner, organisation=fl.case.team.unit.name)]
    if author.pk != owner.pk:
        contacts.append(contact_of(author, organisation=provider))
    return {
        "nav": "family",
        "case_id": fl.case.pk,
        "child": fl.case.citizen.first_name,
        "letter": letter,
        "measure_title": letter.measure.legal_basis.title,
        "legal_reference": letter.measure.legal_basis.reference,
        "version": version,
        "signature": {
            "name": author.get_full_name() or author.get_username(),
            "title": author.title,
            "provider": provider,
        },
        "contacts": contacts,
    }


def detail_url(fl: FamilyLetter) -> str:
    return reverse(
        "family:letter_detail", kwargs={"case_id": fl.case.pk, "letter_id": fl.letter.pk}
    )


# --- what the page shows ---------------------------------------------------------------------


@dataclass
class SectionView:
    key: str
    label: str
    text: str
    comments: list[ClosingLetterComment]
    form: LetterCommentForm | None = None
    diff: letters.SectionDiff | None = None
    # The text as paragraphs and bulleted lists, as the PDF prints it (letters.pdf.text_blocks).
    blocks: list[Block] = field(default_factory=list)


@dataclass
class EarlierComments:
    version: ClosingLetterVersion
    comments: list[tuple[str, ClosingLetterComment]] = field(default_factory=list)


def _version_commented_on(
    frozen: list[ClosingLetterVersion], shown: ClosingLetterVersion, commented: set[int]
) -> ClosingLetterVersion | None:
    """The version to compare with: the latest earlier one the user commented on, else the
    one before (which they were also given to read)."""
    earlier = [v for v in frozen if v.number < shown.number]
    with_comment = [v for v in earlier if v.pk in commented]
    if with_comment:
        return with_comment[-1]
    return earlier[-1] if earlier else None


def detail_context(
    request: HttpRequest, fl: FamilyLetter, *, bound: LetterCommentForm | None = None
) -> dict[str, Any]:
    user = cast(User, request.user)
    letter = fl.letter
    frozen = list(letter.versions.exclude(sent_for_review_at=None).order_by("number"))
    sent = letter.status in (Status.APPROVED, Status.SENT) and letter.approved_version is not None
    shown = letter.approved_version if sent else (frozen[-1] if frozen else None)
    if shown is None:  # a sent letter always has a version
        raise Http404
    mine = list(
        ClosingLetterComment.objects.filter(version__letter=letter, author=user)
        .select_related("version")
        .order_by("version__number", "created_at", "id")
    )
    on_shown: dict[str, list[ClosingLetterComment]] = {}
    for comment in mine:
        if comment.version_id == shown.pk:
            on_shown.setdefault(comment.section, []).append(comment)
    base = None
    if fl.is_reviewer:
        base = _version_commented_on(frozen, shown, {c.version_id for c in mine})
    diffs = {d.section: d for d in letters.letter_compare(base, shown)} if base else {}

    def form_for(section: str) -> LetterCommentForm | None:
        if not fl.can_review:
            return None
        if bound is not None and bound.section == section:
            return bound
        return LetterCommentForm(section=section)

    labels = dict(LetterSection.choices)
    sections = [
        SectionView(
            key=key,
            label=str(label),
            text=shown.sections.get(key, ""),
            comments=on_shown.get(key, []),
            form=form_for(key),
            diff=diffs.get(key) if key in diffs and diffs[key].changed else None,
            blocks=text_blocks(shown.sections.get(key, "")),
        )
        for key, label in LetterSection.choices
    ]
    earlier: dict[int, EarlierComments] = {}
    for comment in mine:
        if comment.version_id != shown.pk:
            group = earlier.setdefault(comment.version_id, EarlierComments(comment.version))
            label = str(labels.get(comment.section, _("Hele brevet")))
            group.comments.append((label, comment))
    rendering = None
    if letter.status == Status.SENT and letter.approved_version_id:
        rendering = LetterRendering.objects.filter(
            version_id=letter.approved_version_id, status=LetterRendering.Status.DONE
        ).first()
    return {
        **letter_context(fl, shown),
        "is_reviewer": fl.is_reviewer,
        "can_review": fl.can_review,
        "sections": sections,
        "letter_comments": on_shown.get("", []),
        "letter_form": form_for(""),
        "compared_with": base,
        "any_change": any(s.diff for s in sections),
        "earlier_comments": list(earlier.values()),
        "rendering": rendering,
    }


# --- pages -----------------------------------------------------------------------------------


def _detail_page(
    request: HttpRequest, fl: FamilyLetter, *, bound: LetterCommentForm | None = None
) -> HttpResponse:
    response = render(
        request, "family/letter_detail.html", detail_context(request, fl, bound=bound)
    )
    response["Cache-Control"] = NO_STORE
    return response


@family_letter_view()
def letter_detail(request: HttpRequest, fl: FamilyLetter) -> HttpResponse:
    return _detail_page(request, fl)


@family_letter_view(reviewer_only=True, methods=POST_ONLY)
def letter_comment(request: HttpRequest, fl: FamilyLetter) -> HttpResponse:
    if not fl.can_review:
        messages.error(request, _("Brevet er ikke til gennemsyn lige nu."))
        return redirect(detail_url(fl))
    section = request.POST.get("section", "")
    if section not in LetterSection.values:
        section = ""
    form = LetterCommentForm(request.POST, section=section)
    if form.is_valid():
        try:
            letters.letter_comment(
                letter=fl.letter,
                user=cast(User, request.user),
                section=section,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Tak. Din kommentar er sendt til behandleren."))
            return redirect(detail_url(fl) + f"#afsnit-{section or 'hele'}")
    return _detail_page(request, fl, bound=form)


@family_letter_view(reviewer_only=True, methods=FORM_METHODS)
def letter_approve(request: HttpRequest, fl: FamilyLetter) -> HttpResponse:
    """A confirmation page, then the approval: it cannot be undone."""
    if not fl.can_review:
        if request.method == "POST":
            messages.error(request, _("Brevet er ikke til gennemsyn lige nu."))
        return redirect(detail_url(fl))
    form = LetterApproveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            letters.letter_approve(letter=fl.letter, user=cast(User, request.user))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Tak. Du har godkendt brevet. Det sendes til jer og kommunen om lidt."),
            )
        return redirect(detail_url(fl))
    version = letters.letter_review_version(fl.letter)
    context = {**letter_context(fl, version), "form": form}
    response = render(request, "family/letter_approve.html", context)
    response["Cache-Control"] = NO_STORE  # the letter's text, like the letter page itself
    return response


@family_letter_view(reviewer_only=True)
def letter_preview_pdf(request: HttpRequest, fl: FamilyLetter) -> HttpResponse:
    """The version under review as it will look on paper, made now and not stored."""
    version = letters.letter_review_version(fl.letter)
    if version is None:
        raise Http404
    pdf = render_letter_preview(version)
    access_log_record(
        user=request.user,
        action=Action.VIEW,
        case=fl.case,
        target=(
            f"Statusskrivelse {fl.letter.pk} version {version.number}: "
            "udkast vist som PDF i familieportalen"
        ),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="statusskrivelse-udkast-v{version.number}.pdf"'
    )
    response["Cache-Control"] = NO_STORE
    response["X-Content-Type-Options"] = "nosniff"
    return response


@family_letter_view()
def letter_pdf(request: HttpRequest, fl: FamilyLetter) -> HttpResponse:
    """The PDF that was sent, exactly as stored; 404 until the letter is sent. Logged."""
    letter = fl.letter
    version = letter.approved_version
    if letter.status != Status.SENT or version is None:
        raise Http404
    rendering = LetterRendering.objects.filter(
        version=version, status=LetterRendering.Status.DONE
    ).first()
    if rendering is None or not rendering.file:
        raise Http404
    access_log_record(
        user=request.user,
        action=Action.VIEW,
        case=fl.case,
        target=(
            f"Statusskrivelse {letter.pk} version {version.number}: PDF hentet i familieportalen"
        ),
    )
    response = FileResponse(
        rendering.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"statusskrivelse-v{version.number}.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = NO_STORE
    return cast(HttpResponse, response)
