"""The journal tab: notes newest first, adding a note, and correcting one."""

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from access.rules import Need
from accounts.models import User
from cases import services
from cases.forms.case import JournalCorrectionForm, JournalNoteForm
from cases.models import Case
from cases.pages import (
    FORM_METHODS,
    access_of,
    case_object_or_404,
    case_page,
    forbidden,
    render_case_form,
    render_tab,
)
from cases.selectors import case as selectors

NOTES_PER_PAGE = 25


def journal_url(case: Case, note_id: int) -> str:
    """A link to one note that opens the journal page the note is on."""
    url = reverse("cases:case_journal", kwargs={"case_id": case.pk})
    return f"{url}?notat={note_id}#notat-{note_id}"


@case_page(Need.AUTHORITY_FILE, methods=FORM_METHODS)
def case_journal(request: HttpRequest, case: Case) -> HttpResponse:
    form = JournalNoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not access_of(request).can_write_journal:
            return forbidden(request, case, what=_("skrive i journalen"), need=Need.JOURNAL)
        if form.is_valid():
            try:
                services.journal_note_add(
                    case=case, author=cast(User, request.user), text=form.cleaned_data["text"]
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Journalnotatet er gemt."))
                return redirect("cases:case_journal", case_id=case.pk)
    note_id = request.GET.get("notat", "")
    page_number = request.GET.get("page") or selectors.page_of_note(
        case,
        int(note_id) if note_id.isascii() and note_id.isdigit() else None,
        per_page=NOTES_PER_PAGE,
    )
    page = Paginator(selectors.notes_of(case), NOTES_PER_PAGE).get_page(page_number)
    context = {
        "form": form,
        "page_obj": page,
        "can_write_journal": access_of(request).can_write_journal,
    }
    return render_tab(request, "cases/case_journal.html", case, tab="journal", context=context)


@case_page(Need.AUTHORITY_FILE, what=_("rette journalnotater"), methods=FORM_METHODS)
def journal_note_correct(request: HttpRequest, case: Case, note_id: int) -> HttpResponse:
    note = case_object_or_404(request, case, selectors.notes_of(case), note_id)
    form = JournalCorrectionForm(
        request.POST if request.method == "POST" else None, initial={"text": note.text}
    )
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.journal_note_correct(
                note=note, author=cast(User, request.user), text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Rettelsen er gemt. Det oprindelige notat er bevaret og vist som rettet."),
            )
            return redirect(journal_url(case, correction.pk))
    context = {"form": form, "note": note}
    return render_case_form(
        request, "cases/case_journal_correct.html", case, tab="journal", context=context
    )
