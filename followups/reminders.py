"""The reminder sweep: what is coming due, due, overdue and overdue long enough to escalate.

What must happen lives in Postgres, not in countdowns held by the broker: every sweep looks
at the open items as they are now and raises the reminders their state calls for. A reminder
is one row per item, level and recipient, guarded by a unique constraint and inserted with
ON CONFLICT DO NOTHING, so a retried task, a repeated sweep or two sweeps at the same moment
(two beat schedulers, a manual ``sweep_reminders``) create each reminder exactly once. After
an outage the next sweep catches up with the current state: an item found overdue raises the
"overdue" reminder, not the "coming due" it missed.

Delivery by e-mail claims unsent rows with ``select_for_update(skip_locked=True)``, so two
sweeps never mail the same reminder, and writes one outbox message per recipient
(``core.outbox``) in the claim's transaction; the mails are sent after it commits, outside any
row lock, and a mail that cannot be sent (SMTP down) waits in the outbox for the requeue job.
The mail names the case number and the kind of item, never the child's name or CPR number.
"""

import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple, cast
from uuid import UUID

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Field, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from accounts.models import Role, TeamMembership, User
from cases.deadlines import deadlines_schedule_birthdays
from cases.models import CaseStatus, Deadline
from cases.working_days import end_of_day
from core import outbox
from followups.models import FollowUp, Reminder

logger = logging.getLogger(__name__)

COMING_DUE_WITHIN = dt.timedelta(days=7)
DUE_WITHIN = dt.timedelta(days=1)
ESCALATE_AFTER = dt.timedelta(days=14)
DELIVERY_BATCH = 200
LOOKUP_CHUNK = 2000
INSERT_BATCH = 500

Level = Reminder.Level
# A later follow-up's reminder title, stored filled in and in Danish (registered with
# core.locale in followups.apps, shown through data_label).
FOLLOWUP_TITLE = gettext_noop("%(number)s. opfølgning på indsatsen")


@dataclass(frozen=True)
class Item:
    """Something with a due time that a caseworker must act on."""

    key: str
    case_id: UUID
    owner_id: int
    team_id: int
    title: str
    due_at: dt.datetime
    # Overdue long enough, it goes to the case team's leads too (not for a family's item).
    escalates: bool = True


@dataclass(frozen=True)
class SweepResult:
    created: int
    emailed: int
    deadlines_scheduled: int

    def __str__(self) -> str:
        return (
            f"reminders_created={self.created} emails_sent={self.emailed} "
            f"deadlines_scheduled={self.deadlines_scheduled}"
        )


def level_for(due_at: dt.datetime, now: dt.datetime) -> str | None:
    """The owner's level for an item due at ``due_at``: the highest one its state calls for."""
    if due_at < now:
        return Level.OVERDUE
    if due_at <= now + DUE_WITHIN:
        return Level.DUE
    if due_at <= now + COMING_DUE_WITHIN:
        return Level.COMING_DUE
    return None


def deadline_items(now: dt.datetime) -> Iterator[Item]:
    """Open statutory deadlines of open cases falling due within the horizon.

    A first follow-up's deadline is reminded as its follow-up (below), not twice.
    """
    rows = (
        Deadline.objects.filter(
            met_at=None, handled_otherwise_at=None, due_at__lte=now + COMING_DUE_WITHIN
        )
        .exclude(case__status=CaseStatus.CLOSED)
        .filter(followup__isnull=True)
        .values_list("pk", "case_id", "case__owner_id", "case__team_id", "rule__title", "due_at")
    )
    # Read at once, not through a server-side cursor: the sweep holds every item in a list
    # anyway, and the cursor's extra round trips cost more than the rows' memory.
    for pk, case_id, owner_id, team_id, title, due_at in rows:
        yield Item(f"deadline:{pk}", case_id, owner_id, team_id, title, due_at)


def followup_items(now: dt.datetime) -> Iterator[Item]:
    """Follow-ups not yet held on measures still running, due within the horizon."""
    horizon = timezone.localtime(now + COMING_DUE_WITHIN).date()
    rows = (
        FollowUp.objects.filter(held_on=None, due_on__lte=horizon, measure__ended_on=None)
        .exclude(case__status=CaseStatus.CLOSED)
        # A first follow-up whose deadline was deliberately handled otherwise is not chased.
        .filter(Q(deadline=None) | Q(deadline__handled_otherwise_at=None))
        .values_list("pk", "case_id", "case__owner_id", "case__team_id", "number", "due_on")
    )
    # Stored in Danish (shown through core.locale.data_label), and each day's end computed
    # once: per row, they were most of the time a sweep of thousands of follow-ups spent here.
    title = FOLLOWUP_TITLE
    ends: dict[dt.date, dt.datetime] = {}
    for pk, case_id, owner_id, team_id, number, due_on in rows:
        due_at = ends.get(due_on) or ends.setdefault(due_on, end_of_day(due_on))
        yield Item(f"followup:{pk}", case_id, owner_id, team_id, title % {"number": number}, due_at)


# The kinds of item the sweep looks at. Apps above followups add theirs with
# register_item_source from their AppConfig.ready() (letters: letters.reminders.letter_items).
ItemSource = Callable[[dt.datetime], Iterable[Item]]
ITEM_SOURCES: list[ItemSource] = [deadline_items, followup_items]


def register_item_source(source: ItemSource) -> None:
    """Add ``source`` (``now`` → the items it has within the horizon) to every sweep.

    For apps above followups, from their AppConfig.ready(); registering the same source again
    changes nothing.
    """
    if source not in ITEM_SOURCES:
        ITEM_SOURCES.append(source)


def _team_leads(team_ids: Iterable[int]) -> dict[int, list[int]]:
    leads: dict[int, list[int]] = defaultdict(list)
    rows = TeamMembership.objects.filter(team_id__in=set(team_ids), is_lead=True).values_list(
        "team_id", "user_id"
    )
    for team_id, user_id in rows:
        leads[team_id].append(user_id)
    return leads


def _wanted(items: list[Item], now: dt.datetime) -> list[tuple[Item, str, int]]:
    """(item, level, recipient) of the reminders the items' states call for (existing ones
    included). Plain tuples, not model instances (a repeated sweep over 10,000 items would
    otherwise spend most of its time building them)."""
    escalate = [i for i in items if i.escalates and i.due_at < now - ESCALATE_AFTER]
    leads = _team_leads(i.team_id for i in escalate)
    wanted = []
    for item in items:
        level = level_for(item.due_at, now)
        if level is None:
            continue
        wanted.append((item, level, item.owner_id))
    for item in escalate:
        for lead_id in leads.get(item.team_id, []):
            wanted.append((item, Level.ESCALATED, lead_id))
    return wanted


def _existing(keys: list[str]) -> set[tuple[str, str, int]]:
    existing: set[tuple[str, str, int]] = set()
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start : start + LOOKUP_CHUNK]
        existing.update(
            Reminder.objects.filter(item__in=chunk).values_list("item", "level", "recipient_id")
        )
    return existing


def raise_reminders(now: dt.datetime | None = None) -> int:
    """Create the reminders the open items call for; returns how many were new.

    Reminders that already exist are skipped before writing (a repeated sweep writes
    nothing); the unique constraint with ON CONFLICT DO NOTHING settles the race between two
    sweeps at the same moment (``_insert_once``).
    """
    now = now or timezone.now()
    with override(settings.LANGUAGE_CODE):
        items = [item for source in ITEM_SOURCES for item in source(now)]
    wanted = _wanted(items, now)
    if not wanted:
        return 0
    existing = _existing(sorted({item.key for item, _level, _recipient in wanted}))
    # Plain rows in INSERT_FIELDS' order, not model instances (a sweep of 10,000 items
    # raises about 14,000 reminders). str(level): the value ("overdue"), not the member.
    new = [
        (recipient_id, item.case_id, item.key, str(level), item.title[:200], item.due_at, now)
        for item, level, recipient_id in wanted
        if (item.key, level, recipient_id) not in existing
    ]
    if not new:
        return 0
    return _insert_once(new)


INSERT_FIELDS = ("recipient", "case", "item", "level", "title", "due_at", "created_at")


def _insert_once(rows: list[tuple[Any, ...]]) -> int:
    """Insert reminders (``rows`` of ``INSERT_FIELDS`` values) that no one has inserted yet;
    returns how many rows this call wrote.

    The one statement the app writes by hand, and why: ``INSERT … ON CONFLICT DO NOTHING
    RETURNING id`` on the unique constraint ``reminder_once_per_item_level``. Two sweeps at
    the same moment (two beat schedulers, a retried task) may both find a reminder missing;
    the database inserts it for one of them and skips it for the other, and RETURNING tells
    each sweep exactly what it wrote (``SweepResult.created``; tests/followups/test_sweep.py
    runs two sweeps at once). ``bulk_create(ignore_conflicts=True)`` gives the same
    exactly-once rows but cannot tell which were this sweep's, and counting afterwards would
    count the other sweep's too. The SQL is built from the model's metadata and runs through
    Django's cursor (logged and counted as any query); PostgreSQL and SQLite (≥ 3.35) both
    speak it, so the same code runs on each. Rows are inserted in the order given.
    """
    fields = [cast(Field, Reminder._meta.get_field(name)) for name in INSERT_FIELDS]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(str(field.column)) for field in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    inserted = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            params = [
                field.get_db_prep_save(value, connection)
                for values in batch
                for field, value in zip(fields, values, strict=True)
            ]
            cursor.execute(
                f"INSERT INTO {qn(Reminder._meta.db_table)} ({columns}) "  # noqa: S608
                f"VALUES {', '.join([row] * len(batch))} "
                f"ON CONFLICT DO NOTHING RETURNING {qn(str(Reminder._meta.pk.column))}",
                params,
            )
            inserted += len(cursor.fetchall())
    return inserted


def _unsent() -> QuerySet[Reminder]:
    # By recipient, so a batch holds each recipient's reminders together: one mail each,
    # not one per reminder (at 10,000 reminders in one sweep, found by ``make bench``).
    return Reminder.objects.filter(emailed_at=None).order_by("recipient_id", "created_at", "pk")


class Unsent(NamedTuple):
    """A claimed reminder with what its mail needs: plain rows, not three model instances
    each (a sweep of 10,000 items mails about 14,000 reminders)."""

    pk: int
    recipient_id: int
    email: str
    is_active: bool
    role: str
    case_id: UUID
    case_number: str
    item: str
    level: str
    title: str
    due_at: dt.datetime


UNSENT_FIELDS = (
    "pk",
    "recipient_id",
    "recipient__email",
    "recipient__is_active",
    "recipient__role",
    "case_id",
    "case__number",
    "item",
    "level",
    "title",
    "due_at",
)


class _Links:
    """What a delivery's mail lines share. ``Reminder.get_absolute_url()`` for thousands of
    reminders: ``reverse()`` once per URL name, with stand-in ids that are then replaced by
    each reminder's own (the same URLs, and a sweep's mails no longer spend most of their time
    resolving them); the levels' names and the due dates, each worked out once."""

    CASE = uuid.UUID("fedcba98-7654-4321-8fed-cba987654321")
    PK = 987654321987654321

    def __init__(self) -> None:
        self._templates: dict[str, str] = {}
        self._labels: dict[str, str] = {}
        self._dates: dict[dt.datetime, str] = {}

    def labels(self) -> dict[str, str]:
        """The levels' names, translated once (not five gettext calls per mail)."""
        if not self._labels:
            self._labels = {value: str(label) for value, label in Level.choices}
        return self._labels

    def date(self, due_at: dt.datetime) -> str:
        """22.11.2026, local time; many reminders share a due time (the end of a day)."""
        text = self._dates.get(due_at)
        if text is None:
            text = self._dates[due_at] = f"{timezone.localtime(due_at):%d.%m.%Y}"
        return text

    def _template(self, kind: str) -> str:
        template = self._templates.get(kind)
        if template is None:
            stand_in = Reminder(case_id=self.CASE, item=f"{kind}:{self.PK}")
            template = self._templates[kind] = stand_in.get_absolute_url()
        return template

    def url(self, reminder: "Unsent | Reminder") -> str:
        kind, _sep, pk = reminder.item.partition(":")
        kind = kind if kind in ("followup", "letter") else ""
        return (
            self._template(kind)
            .replace(str(self.CASE), str(reminder.case_id))
            .replace(str(self.PK), pk)
        )


def _mail_for(reminders: list[Unsent], base_url: str, links: _Links) -> tuple[str, str, str]:
    recipient_email = reminders[0].email
    if reminders[0].role == Role.FAMILY:
        return _family_mail_for(recipient_email, reminders, base_url)
    labels = links.labels()
    lines = [
        f"- {labels.get(r.level, r.level)}: {r.title}, sag {r.case_number}, "
        f"frist {links.date(r.due_at)}\n  {base_url}{links.url(r)}"
        for r in reminders
    ]
    subject = _("Familieværft: %(count)d nye påmindelser") % {"count": len(reminders)}
    body = "\n".join(
        [
            _("Du har nye påmindelser i Familieværft:"),
            "",
            *lines,
            "",
            _("Se alle påmindelser: %(url)s")
            % {"url": base_url + reverse("followups:reminder_list")},
        ]
    )
    return recipient_email, subject, body


def _family_mail_for(
    recipient_email: str, reminders: list[Unsent], base_url: str
) -> tuple[str, str, str]:
    """A family member's reminder: the review deadline and the portal, nothing else."""
    due = min(timezone.localtime(r.due_at) for r in reminders)
    subject = _("Familieværft: svarfrist for statusskrivelsen")
    body = _(
        "Husk at læse den afsluttende statusskrivelse og kommentere eller godkende den senest "
        "%(date)s. Den ligger i familieportalen:\n%(url)s"
    ) % {"date": f"{due:%d.%m.%Y}", "url": base_url + reverse("family:home")}
    return recipient_email, subject, body


def deliver_reminders() -> int:
    """E-mail the reminders not yet sent, one mail per recipient per batch; returns how many
    were handed to the outbox.

    Rows are claimed with SKIP LOCKED inside a transaction, which writes their mails to the
    outbox and marks them; the mails are sent after it commits (``outbox.send_many``, no row
    lock held), and what cannot be sent now waits in the outbox for its requeue job.
    """
    sent = 0
    base_url = settings.SITE_URL.rstrip("/")
    links = _Links()
    while True:
        with transaction.atomic(), override(settings.LANGUAGE_CODE):
            batch = [
                Unsent(*row)
                for row in _unsent()
                .select_for_update(skip_locked=True, of=("self",))
                .values_list(*UNSENT_FIELDS)[:DELIVERY_BATCH]
            ]
            if not batch:
                return sent
            by_recipient: dict[int, list[Unsent]] = defaultdict(list)
            for reminder in batch:
                by_recipient[reminder.recipient_id].append(reminder)
            # Someone without an address (or no longer active) has the reminder in the app
            # only; the row is marked all the same, so it is not tried again and again.
            mailable = [
                reminders
                for reminders in by_recipient.values()
                if reminders[0].email and reminders[0].is_active
            ]
            messages = outbox.emails_queue(_mail_for(rs, base_url, links) for rs in mailable)
            Reminder.objects.filter(pk__in=[r.pk for r in batch]).update(emailed_at=timezone.now())
            sent += sum(len(rs) for rs in mailable)
        outbox.send_many(message.pk for message in messages)


def sweep(now: dt.datetime | None = None) -> SweepResult:
    """One sweep: schedule the age deadlines, raise reminders, deliver them."""
    now = now or timezone.now()
    scheduled = deadlines_schedule_birthdays(today=timezone.localtime(now).date())
    created = raise_reminders(now)
    emailed = deliver_reminders()
    result = SweepResult(created=created, emailed=emailed, deadlines_scheduled=scheduled)
    logger.info("reminder sweep: %s", result)
    return result


# --- reading them ----------------------------------------------------------------------------


def reminder_mark_read(*, reminder: Reminder) -> Reminder:
    """Mark one reminder read; conditional, so a double click keeps the first time."""
    Reminder.objects.filter(pk=reminder.pk, read_at=None).update(read_at=timezone.now())
    reminder.refresh_from_db(fields=["read_at"])
    return reminder


def reminders_mark_all_read(*, user: User) -> int:
    """Mark all of ``user``'s unread reminders read; returns how many."""
    return Reminder.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())
