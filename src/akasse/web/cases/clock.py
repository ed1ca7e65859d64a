"""The case system's clock: one `today`/`now` per operation, passed down to services and the rule interpreter.

settings.AKASSE_TODAY (YYYY-MM-DD) pins the date, so that the demo can run inside the trial period.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


def today() -> dt.date:
    """settings.AKASSE_TODAY when set, else today's date in Copenhagen."""
    pinned = getattr(settings, "AKASSE_TODAY", "")
    if not pinned:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError:
        raise ImproperlyConfigured(f"AKASSE_TODAY: {pinned!r} is not a date (expected YYYY-MM-DD)") from None


def now() -> dt.datetime:
    """The current instant (timezone-aware); audit and event timestamps use the real time even when pinned."""
    return timezone.now()
