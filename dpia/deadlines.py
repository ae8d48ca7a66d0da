"""The prior-consultation clock: the regulator's legal time limit, suspended while an information
request is open (GDPR Art. 36(2): 8 weeks, extendable by 6; LED Art. 28(5): 6 weeks, extendable
by a month)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

EXTENSION_DAYS = {"gdpr": 42, "led": 31}


@dataclass(frozen=True)
class Clock:
    deadline: dt.date
    days_left: int
    suspended: bool
    suspended_days: int


def base_deadline(submitted: dt.date, weeks: int) -> dt.date:
    return submitted + dt.timedelta(weeks=weeks)


def clock(*, deadline: dt.date, extended_days: int, requests: list[tuple[dt.date, dt.date | None]],
          today: dt.date) -> Clock:
    """`requests` are (requested on, answered on or None) for each information request."""
    suspended_days = sum(((answered or today) - requested).days for requested, answered in requests)
    effective = deadline + dt.timedelta(days=extended_days + suspended_days)
    open_request = any(answered is None for _, answered in requests)
    return Clock(deadline=effective, days_left=(effective - today).days, suspended=open_request,
                 suspended_days=suspended_days)
