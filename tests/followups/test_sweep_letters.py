"""Closing letters waiting for the family's review, as the reminder sweep sees them."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from demo import factories as f
from followups import reminders
from followups.models import Reminder

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(case, personas):
    return f.letter_in_review(case.measures.get(), personas.therapist, personas.family_user)


def _levels(letter):
    return sorted(
        Reminder.objects.filter(item=f"letter:{letter.pk}").values_list(
            "recipient__username", "level"
        )
    )


def test_nothing_while_the_review_deadline_is_far(letter):
    reminders.sweep()
    assert _levels(letter) == []


def test_the_family_is_reminded_before_the_deadline_and_the_therapist_after(letter, personas):
    personas.family_user.email = "forælder@example.org"
    personas.family_user.save(update_fields=["email"])
    due = dt.datetime.combine(
        letter.review_due_on, dt.time(12), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(due - dt.timedelta(days=5), tick=False):
        reminders.sweep()
    assert _levels(letter) == [("parent", "coming_due")]
    (family_mail,) = [m for m in mail.outbox if m.to == ["forælder@example.org"]]
    assert "familie" in family_mail.body and letter.case.citizen.first_name not in family_mail.body
    assert "paamindelser" not in family_mail.body  # the staff inbox is not the family's

    with time_machine.travel(due + dt.timedelta(days=2), tick=False):
        reminders.sweep()
        reminders.sweep()
    assert _levels(letter) == [
        ("parent", "coming_due"),
        ("parent", "overdue"),
        ("therapist", "overdue"),
    ]

    with time_machine.travel(due + dt.timedelta(days=30), tick=False):
        reminders.sweep()
        reminders.sweep()
    # Left unsent for weeks, the team lead hears of it, once.
    assert _levels(letter) == [
        ("lead", "escalated"),
        ("parent", "coming_due"),
        ("parent", "overdue"),
        ("therapist", "overdue"),
    ]


def test_an_approved_letter_raises_nothing(letter, personas, monkeypatch):
    from letters import services as services_letters
    from letters import tasks

    monkeypatch.setattr(tasks.render_closing_letter, "delay", lambda pk: None)
    services_letters.letter_approve(letter=letter, user=personas.family_user)
    due = dt.datetime.combine(
        letter.review_due_on, dt.time(12), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(due + dt.timedelta(days=2), tick=False):
        reminders.sweep()
    assert _levels(letter) == []
