"""The reminder sweep: levels, exactly once (repeated, concurrent, after an outage), what it
leaves alone, the e-mails it sends and its query count as the data grows."""

import datetime as dt
import re
import threading
import uuid
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.deadlines import deadline_handle_otherwise
from cases.models import CaseStatus, Deadline, DeadlineRule
from demo import factories as f
from followups import reminders
from followups.models import FollowUp, Reminder

CPH = ZoneInfo("Europe/Copenhagen")
NOW = dt.datetime(2026, 6, 10, 8, 0, tzinfo=CPH)
Level = Reminder.Level


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://familievaerft.example"


@pytest.fixture
def staff(personas):
    for user in (personas.owner, personas.team_lead, personas.colleague):
        user.email = f"{user.username}@kommune.example"
        user.save(update_fields=["email"])
    return personas


def deadline(case, due_at: dt.datetime, code: str = "receipt") -> Deadline:
    return Deadline.objects.create(
        case=case, rule=DeadlineRule.objects.get(code=code), due_at=due_at
    )


def reminders_of(item) -> set[tuple[str, str]]:
    key = f"{'followup' if isinstance(item, FollowUp) else 'deadline'}:{item.pk}"
    return set(Reminder.objects.filter(item=key).values_list("level", "recipient__username"))


def sweep_at(moment: dt.datetime) -> reminders.SweepResult:
    with time_machine.travel(moment, tick=False):
        return reminders.sweep()


# --- levels ----------------------------------------------------------------------------------


def test_level_for_each_state():
    assert reminders.level_for(NOW + dt.timedelta(days=8), NOW) is None
    assert reminders.level_for(NOW + dt.timedelta(days=7), NOW) == Level.COMING_DUE
    assert reminders.level_for(NOW + dt.timedelta(days=2), NOW) == Level.COMING_DUE
    assert reminders.level_for(NOW + dt.timedelta(hours=24), NOW) == Level.DUE
    assert reminders.level_for(NOW, NOW) == Level.DUE
    assert reminders.level_for(NOW - dt.timedelta(seconds=1), NOW) == Level.OVERDUE


def test_each_state_raises_its_level_and_long_overdue_escalates_to_the_team_lead(staff, case):
    later = deadline(case, NOW + dt.timedelta(days=10))
    coming = deadline(case, NOW + dt.timedelta(days=5))
    due = deadline(case, NOW + dt.timedelta(hours=12))
    overdue = deadline(case, NOW - dt.timedelta(days=2))
    long_overdue = deadline(case, NOW - dt.timedelta(days=20))

    result = sweep_at(NOW)

    assert reminders_of(later) == set()
    assert reminders_of(coming) == {(Level.COMING_DUE, "owner")}
    assert reminders_of(due) == {(Level.DUE, "owner")}
    assert reminders_of(overdue) == {(Level.OVERDUE, "owner")}
    assert reminders_of(long_overdue) == {(Level.OVERDUE, "owner"), (Level.ESCALATED, "lead")}
    assert result.created == 5
    reminder = Reminder.objects.get(item=f"deadline:{due.pk}")
    assert reminder.case == case
    assert reminder.title == due.rule.title
    assert reminder.due_at == due.due_at
    assert reminder.read_at is None and reminder.emailed_at is not None


def test_one_deadline_is_reminded_once_per_step_as_it_nears_and_passes(staff, case):
    item = deadline(case, NOW)
    steps = [
        (NOW - dt.timedelta(days=6), {(Level.COMING_DUE, "owner")}),
        (NOW - dt.timedelta(days=5), set()),  # still coming due: nothing new
        (NOW - dt.timedelta(hours=12), {(Level.DUE, "owner")}),
        (NOW + dt.timedelta(days=1), {(Level.OVERDUE, "owner")}),
        (NOW + dt.timedelta(days=10), set()),
        (NOW + dt.timedelta(days=15), {(Level.ESCALATED, "lead")}),
        (NOW + dt.timedelta(days=40), set()),
    ]
    seen: set[tuple[str, str]] = set()
    for moment, expected_new in steps:
        mails_before = len(mail.outbox)
        result = sweep_at(moment)
        now_seen = reminders_of(item)
        assert now_seen - seen == expected_new, moment
        assert result.created == len(expected_new)
        assert len(mail.outbox) - mails_before == len(expected_new)
        seen = now_seen
    assert [m.to for m in mail.outbox] == [
        ["owner@kommune.example"],
        ["owner@kommune.example"],
        ["owner@kommune.example"],
        ["lead@kommune.example"],
    ]


def test_a_repeated_sweep_creates_nothing_and_mails_nothing(staff, case):
    deadline(case, NOW - dt.timedelta(days=20))
    deadline(case, NOW + dt.timedelta(days=3))
    first = sweep_at(NOW)
    assert first.created == 3 and first.emailed == 3
    assert len(mail.outbox) == 2  # one mail to the owner with two, one to the lead

    again = sweep_at(NOW)
    later = sweep_at(NOW + dt.timedelta(minutes=15))
    assert (again.created, again.emailed) == (0, 0)
    assert (later.created, later.emailed) == (0, 0)
    assert Reminder.objects.count() == 3
    assert len(mail.outbox) == 2


def test_catch_up_after_an_outage_raises_the_current_level_only(staff, case):
    seen_before = deadline(case, NOW + dt.timedelta(days=5))
    never_seen = deadline(case, NOW + dt.timedelta(days=6))
    sweep_at(NOW - dt.timedelta(days=2))  # before the second came into view
    assert reminders_of(seen_before) == {(Level.COMING_DUE, "owner")}
    assert reminders_of(never_seen) == set()

    # Broker and worker down for three weeks; the next sweep looks at the state as it is now.
    sweep_at(NOW + dt.timedelta(days=10))
    assert reminders_of(seen_before) == {(Level.COMING_DUE, "owner"), (Level.OVERDUE, "owner")}
    assert reminders_of(never_seen) == {(Level.OVERDUE, "owner")}
    sweep_at(NOW + dt.timedelta(days=30))
    assert reminders_of(never_seen) == {(Level.OVERDUE, "owner"), (Level.ESCALATED, "lead")}
    assert not Reminder.objects.filter(level=Level.DUE).exists()


# --- what the sweep leaves alone -------------------------------------------------------------


def test_closed_cases_met_and_handled_deadlines_raise_nothing(staff, case, org):
    closed_case = f.CaseFactory(owner=staff.owner, team=org.team_a, status=CaseStatus.CLOSED)
    deadline(closed_case, NOW - dt.timedelta(days=30))
    met = deadline(case, NOW - dt.timedelta(days=30))
    Deadline.objects.filter(pk=met.pk).update(met_at=NOW - dt.timedelta(days=31))
    handled = deadline(case, NOW - dt.timedelta(days=30))
    deadline_handle_otherwise(deadline=handled, user=staff.owner, reason="Anonym underretter.")

    result = sweep_at(NOW)
    assert result.created == 0
    assert not Reminder.objects.exists()
    assert mail.outbox == []


def test_followups_are_reminded_and_their_deadline_not_twice(staff, case):
    measure = case.measures.get()
    first_deadline = deadline(case, NOW - dt.timedelta(days=3), code="first_followup")
    first = FollowUp.objects.create(
        case=case,
        measure=measure,
        number=1,
        due_on=(NOW - dt.timedelta(days=3)).date(),
        deadline=first_deadline,
    )
    second = FollowUp.objects.create(
        case=case, measure=measure, number=2, due_on=(NOW + dt.timedelta(days=4)).date()
    )
    held = FollowUp.objects.create(
        case=case,
        measure=measure,
        number=3,
        due_on=(NOW - dt.timedelta(days=3)).date(),
        held_on=(NOW - dt.timedelta(days=4)).date(),
        decision=FollowUp.Decision.CONTINUE,
    )
    sweep_at(NOW)
    assert reminders_of(first) == {(Level.OVERDUE, "owner")}
    assert reminders_of(second) == {(Level.COMING_DUE, "owner")}
    assert reminders_of(held) == set()
    assert reminders_of(first_deadline) == set()
    reminder = Reminder.objects.get(item=f"followup:{first.pk}")
    assert reminder.title == "1. opfølgning på indsatsen"
    assert reminder.get_absolute_url() == first.get_absolute_url()


def test_followups_of_ended_measures_or_handled_deadlines_raise_nothing(staff, case):
    measure = case.measures.get()
    handled = deadline(case, NOW - dt.timedelta(days=3), code="first_followup")
    FollowUp.objects.create(
        case=case, measure=measure, number=1, due_on=NOW.date(), deadline=handled
    )
    deadline_handle_otherwise(deadline=handled, user=staff.owner, reason="Ny indsats i stedet.")
    ended = f.MeasureFactory(case=case, ended_on=NOW.date() - dt.timedelta(days=30))
    FollowUp.objects.create(case=case, measure=ended, number=1, due_on=NOW.date())
    assert sweep_at(NOW).created == 0


# --- the e-mails -----------------------------------------------------------------------------


def test_mails_name_the_case_and_the_kind_of_item_never_the_child(staff, case):
    receipt = deadline(case, NOW - dt.timedelta(days=20))
    followup = FollowUp.objects.create(
        case=case, measure=case.measures.get(), number=2, due_on=NOW.date()
    )
    sweep_at(NOW)
    assert {tuple(m.to) for m in mail.outbox} == {
        ("owner@kommune.example",),
        ("lead@kommune.example",),
    }
    owner_mail = next(m for m in mail.outbox if m.to == ["owner@kommune.example"])
    assert owner_mail.subject == "Familieværft: 2 nye påmindelser"
    assert case.number in owner_mail.body
    assert receipt.rule.title in owner_mail.body
    assert "2. opfølgning på indsatsen" in owner_mail.body
    assert f"https://familievaerft.example{followup.get_absolute_url()}" in owner_mail.body
    citizen = case.citizen
    for message in mail.outbox:
        text = message.subject + message.body
        assert citizen.cpr not in text
        assert f"{citizen.cpr[:6]}-{citizen.cpr[6:]}" not in text
        assert citizen.first_name not in text
        assert citizen.last_name not in text
        assert not re.search(r"\b\d{6}-?\d{4}\b", text)


@pytest.mark.parametrize("item", ["deadline:7", "followup:42", "letter:3", "letter_sent:5"])
def test_mail_links_are_the_reminders_own_urls(item):
    """The mails reverse() once per URL name and put the ids in: the same URL each time."""
    reminder = Reminder(case_id=uuid.uuid4(), item=item)
    links = reminders._Links()
    assert links.url(reminder) == reminder.get_absolute_url()
    other = Reminder(case_id=uuid.uuid4(), item=item.replace(item.split(":")[1], "99"))
    assert links.url(other) == other.get_absolute_url() != reminder.get_absolute_url()


def test_no_mail_to_someone_without_an_address_but_the_reminder_is_there(personas, case):
    deadline(case, NOW - dt.timedelta(days=1))
    result = sweep_at(NOW)
    assert result.created == 1 and result.emailed == 0
    assert mail.outbox == []
    assert Reminder.objects.get().emailed_at is not None  # not tried again by every sweep
    assert sweep_at(NOW + dt.timedelta(minutes=15)).emailed == 0


def test_a_failed_mail_waits_in_the_outbox_and_is_sent_when_smtp_is_back(staff, case, settings):
    """SMTP unreachable (a closed port, a short timeout): the reminder is raised and its mail
    waits in the outbox, failed with the reason; once SMTP answers again the requeue job sends
    it, and the next sweeps mail nothing twice."""
    from core import tasks as outbox_tasks
    from core.models import OutboxMessage

    deadline(case, NOW - dt.timedelta(days=1))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _closed_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
    result = sweep_at(NOW)
    assert (result.created, result.emailed) == (1, 1)
    assert mail.outbox == []
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.FAILED and message.attempts == 1
    assert "ConnectionRefusedError" in message.reason and "Prøves igen" in message.reason
    assert Reminder.objects.get().emailed_at is not None  # handed to the outbox, not lost

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert sweep_at(NOW + dt.timedelta(minutes=15)).emailed == 0  # the sweep sends no copy
    with time_machine.travel(NOW + dt.timedelta(minutes=15), tick=False):
        assert outbox_tasks.requeue_outbox() == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 2
    assert [m.to for m in mail.outbox] == [["owner@kommune.example"]]


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the management command ------------------------------------------------------------------


def test_sweep_reminders_command(staff, case):
    deadline(case, NOW - dt.timedelta(days=20))
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("sweep_reminders", stdout=out)
    assert out.getvalue().strip() == "Påmindelser oprettet: 2, mails sendt: 2, nye frister: 0"
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("sweep_reminders", stdout=out)
    assert out.getvalue().strip() == "Påmindelser oprettet: 0, mails sendt: 0, nye frister: 0"
    assert Reminder.objects.count() == 2


# --- query count -----------------------------------------------------------------------------


def _items(org, owners, count: int) -> None:
    rule = DeadlineRule.objects.get(code="receipt")
    cases = [
        f.CaseFactory(
            owner=owners[i % len(owners)],
            team=org.team_a,
            status=CaseStatus.MEASURE,
        )
        for i in range(count)
    ]
    Deadline.objects.bulk_create(
        [
            Deadline(case=c, rule=rule, due_at=NOW - dt.timedelta(days=20 + i % 3))
            for i, c in enumerate(cases)
        ]
    )
    measure = f.MeasureFactory(case=cases[0], provider_team=org.family_house)
    FollowUp.objects.bulk_create(
        [FollowUp(case=cases[0], measure=measure, number=n, due_on=NOW.date()) for n in (1, 2)]
    )


def _sweep_queries(org, owners, count: int) -> int:
    Reminder.objects.all().delete()
    FollowUp.objects.all().delete()
    Deadline.objects.all().delete()
    _items(org, owners, count)
    with CaptureQueriesContext(connection) as queries:
        result = sweep_at(NOW)
    assert result.created == 2 * count + 2  # overdue to the owner, escalated to the lead
    return len(queries)


def test_sweep_query_count_does_not_grow_with_the_items(staff, org, monkeypatch):
    other = f.UserFactory(username="owner2", email="owner2@kommune.example")
    f.add_member(org.team_a, other)
    owners = [staff.owner, other]
    small = _sweep_queries(org, owners, 10)
    large = _sweep_queries(org, owners, 150)
    # 302 reminders are mailed in two batches of 200 (claim, mark sent, and the savepoint
    # around each; the batch's outbox messages written in one statement and claimed in one
    # transaction; then one update per mail sent, one mail per recipient): that is all the
    # growth there is.
    assert large - small <= 4 + 5 + 1, (small, large)
    monkeypatch.setattr(reminders, "DELIVERY_BATCH", 1000)
    assert _sweep_queries(org, owners, 200) == small
    # One query per kind of item (deadlines, follow-ups, letters); the outbox's insert, claim
    # and one update for each of the three mails.
    assert small <= 16 + 5 + 3


# --- two sweeps at the same moment on Postgres -----------------------------------------------


def _run_concurrently(*targets):
    barrier = threading.Barrier(len(targets))
    results: list = [None] * len(targets)
    errors: list[BaseException] = []

    def run(index, target):
        try:
            barrier.wait(timeout=10)
            results[index] = target()
        except BaseException as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


# serialized_rollback: an earlier transactional test flushed the rule table of the data
# migrations; this brings it back.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_the_same_moment_create_and_mail_each_reminder_once(staff, org):
    if connection.vendor != "postgresql":
        pytest.skip("needs Postgres row locks")
    other = f.UserFactory(username="owner2", email="owner2@kommune.example")
    f.add_member(org.team_a, other)
    _items(org, [staff.owner, other], 60)
    # Young people (cases opened a month ago) whose ungeplan and after-18 deadlines both
    # sweeps want to schedule: 18 on 05.12.2026 (the decision due 05.06.2026, overdue),
    # 16 on 06.03.2026 (ungeplan due 06.06.2026, overdue), 16 on 15.03.2026 (ungeplan due
    # 15.06.2026, coming due), 16 on 01.08.2026 (ungeplan due 01.11.2026, within the horizon).
    births = (dt.date(2008, 12, 5), dt.date(2010, 3, 6), dt.date(2010, 3, 15), dt.date(2010, 8, 1))
    for born in births:
        f.CaseFactory(
            citizen=f.CitizenFactory(cpr=f.fictitious_cpr(born)),
            owner=staff.owner,
            team=org.team_a,
            status=CaseStatus.MEASURE,
            opened_at=NOW - dt.timedelta(days=30),
        )

    with time_machine.travel(NOW, tick=False):
        first, second = _run_concurrently(reminders.sweep, reminders.sweep)

    assert first.deadlines_scheduled + second.deadlines_scheduled == 4
    assert Deadline.objects.filter(rule__code="ungeplan").count() == 3
    assert Deadline.objects.filter(rule__code="after_18").count() == 1
    total = Reminder.objects.count()
    # 60 overdue receipts: owner + lead; 2 follow-ups due; 2 overdue age decisions; one
    # ungeplan coming due.
    assert total == 60 * 2 + 2 + 2 + 1
    assert first.created + second.created == total
    assert first.emailed + second.emailed == total
    assert not Reminder.objects.filter(emailed_at=None).exists()
    mailed = [line for m in mail.outbox for line in m.body.splitlines() if line.startswith("- ")]
    assert len(mailed) == total

    # And a third sweep afterwards finds nothing to do.
    with time_machine.travel(NOW, tick=False):
        third = reminders.sweep()
    assert (third.created, third.emailed, third.deadlines_scheduled) == (0, 0, 0)
