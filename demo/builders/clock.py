"""The demo's time and chance: one "now", one seeded generator, and moments on working days.

Every builder draws from the same ``Clock.rng`` in a fixed order (plans, follow-ups and network
maps have generators of their own, seeded per case), so a run at the same moment builds the
same world. Times are kept in the past: the demo's history has happened.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils import timezone

from cases.working_days import is_working_day


def workday_back(day: dt.date) -> dt.date:
    """``day``, or the working day before it."""
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def workday_forward(day: dt.date) -> dt.date:
    """``day``, or the working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


@dataclass
class Clock:
    rng: random.Random
    now: dt.datetime
    today: dt.date = field(init=False)

    def __post_init__(self) -> None:
        self.today = timezone.localdate(self.now)

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        """A moment on ``day``, never later than a few minutes ago."""
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
        return min(moment, self.now - dt.timedelta(minutes=5))

    def days_ago(self, low: int, high: int) -> dt.date:
        return workday_back(self.today - dt.timedelta(days=self.rng.randint(low, high)))

    def office_time(self, day: dt.date) -> dt.datetime:
        return self.at(day, self.rng.randint(8, 14), self.rng.choice((0, 10, 25, 40, 55)))
