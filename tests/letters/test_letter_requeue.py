"""Stuck letter renderings are queued again by the periodic job (and only those)."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from demo import factories as f
from letters import render_once, tasks
from letters.models import LetterRendering

pytestmark = pytest.mark.django_db

Status = LetterRendering.Status


@pytest.fixture
def queued(monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(tasks.render_closing_letter, "delay", lambda pk: sent.append(pk))
    return sent


def _rendering(version, **fields):
    rendering = LetterRendering.objects.create(version=version)
    LetterRendering.objects.filter(pk=rendering.pk).update(**fields)
    return rendering


def test_only_stuck_renderings_are_queued_again(case, personas, queued):
    now = timezone.now()
    version = f.closing_letter_version(case.measures.get(), personas.therapist)
    lost = _rendering(version, status=Status.QUEUED, queued_at=now - dt.timedelta(minutes=30))

    assert tasks.requeue_stalled_renderings() == 1
    assert queued == [lost.pk]


def test_fresh_done_and_busy_renderings_are_left_alone(case, personas, queued):
    now = timezone.now()
    fresh = f.closing_letter_version(case.measures.get(), personas.therapist)
    _rendering(fresh, status=Status.QUEUED, queued_at=now)

    assert tasks.stalled_renderings(now) == []
    rendering = LetterRendering.objects.get()
    LetterRendering.objects.filter(pk=rendering.pk).update(
        status=Status.RENDERING, started_at=now - dt.timedelta(minutes=1)
    )
    assert tasks.stalled_renderings(now) == []
    LetterRendering.objects.filter(pk=rendering.pk).update(
        started_at=now - dt.timedelta(minutes=11)
    )
    assert tasks.stalled_renderings(now) == [rendering.pk]
    LetterRendering.objects.filter(pk=rendering.pk).update(status=Status.FAILED, attempts=3)
    assert tasks.stalled_renderings(now) == [rendering.pk]
    LetterRendering.objects.filter(pk=rendering.pk).update(
        attempts=render_once.REQUEUE_MAX_ATTEMPTS
    )
    assert tasks.stalled_renderings(now) == []


def test_the_requeue_is_scheduled_and_has_a_command(case, personas, queued, capsys):
    entry = settings.CELERY_BEAT_SCHEDULE["requeue-letter-renderings"]
    assert entry["task"] == tasks.requeue_stalled_renderings.name

    version = f.closing_letter_version(case.measures.get(), personas.therapist)
    _rendering(version, status=Status.FAILED, attempts=1)
    call_command("requeue_letters")

    assert "sat i kø igen: 1" in capsys.readouterr().out
    assert len(queued) == 1
