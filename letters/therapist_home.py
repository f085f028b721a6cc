"""The closing letters' panel on the therapist's start page (followups.therapist_home):
"Breve der venter på familien".

letters sits above followups, so the start page does not read letters: LettersConfig.ready()
registers ``letters_awaiting_family`` with ``followups.therapist_home.register_panel``.
"""

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from cases.models import CaseStatus
from followups.therapist_home import Panel, PanelItem
from letters.models import ClosingLetter, ClosingLetterComment, ClosingLetterVersion

PANEL_KEY = "breve"


def _date(day: dt.date | dt.datetime) -> str:
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date()
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def letters_awaiting_family(user: User, today: dt.date) -> Panel:
    """The closing letters of the measures ``user`` is assigned to that are with the family
    for review (to comment on or approve), the answer due soonest first: one query.

    With each: the version under review (the latest; a revision is a new draft), when it was
    sent, the answer's due date and how many comments the family has written on it.
    """
    latest = ClosingLetterVersion.objects.filter(letter=OuterRef("pk")).order_by("-number")
    latest_of_outer = ClosingLetterVersion.objects.filter(letter=OuterRef(OuterRef("pk"))).order_by(
        "-number"
    )
    comments = (
        ClosingLetterComment.objects.filter(version=Subquery(latest_of_outer.values("pk")[:1]))
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        ClosingLetter.objects.filter(
            status=ClosingLetter.Status.IN_REVIEW, measure__assignments__user_id=user.pk
        )
        .exclude(case__status=CaseStatus.CLOSED)
        .annotate(
            version_number=Subquery(latest.values("number")[:1]),
            version_sent_at=Subquery(latest.values("sent_for_review_at")[:1]),
            comment_count=Coalesce(Subquery(comments, output_field=IntegerField()), 0),
        )
        .values_list(
            "pk",
            "case_id",
            "case__citizen_id",
            "case__citizen__first_name",
            "case__citizen__last_name",
            "measure__legal_basis__law",
            "measure__legal_basis__paragraph",
            "review_due_on",
            "version_number",
            "version_sent_at",
            "comment_count",
        )
        .order_by("review_due_on", "pk")
    )
    link_text = _("Åbn statusskrivelsen")
    items = []
    for (
        pk,
        case_id,
        citizen_id,
        first_name,
        last_name,
        law,
        paragraph,
        due_on,
        version_number,
        sent_at,
        comment_count,
    ) in rows:
        facts = [(_("Indsats"), f"{law} {paragraph}")]  # LegalBasis.reference
        if version_number is not None and sent_at is not None:
            version = {"number": version_number, "date": _date(sent_at)}
            facts.append((_("Til gennemsyn"), _("version %(number)s, sendt %(date)s") % version))
        if due_on is not None:
            facts.append((_("Familiens svarfrist"), _date(due_on)))
        comments_text = (
            ngettext("%(n)s kommentar", "%(n)s kommentarer", comment_count) % {"n": comment_count}
            if comment_count
            else _("Ingen endnu")
        )
        facts.append((_("Kommentarer fra familien"), comments_text))
        late = due_on is not None and due_on < today
        items.append(
            PanelItem(
                case_id=case_id,
                citizen_id=citizen_id,
                heading=f"{first_name} {last_name}",  # Citizen.full_name
                url=reverse(
                    "letters:closing_letter_detail",
                    kwargs={"case_id": case_id, "letter_id": pk},
                ),
                link_text=link_text,
                facts=tuple(facts),
                alert=_(
                    "Svarfristen er overskredet. Du kan sende brevet uden familiens godkendelse "
                    "med en begrundelse."
                )
                if late
                else "",
            )
        )
    return Panel(
        key=PANEL_KEY,
        title=_("Breve der venter på familien"),
        empty_text=_("Ingen statusskrivelser ligger til gennemsyn hos familien."),
        items=items,
    )
