"""Which channels are down now: the consoles' outage banner, from the fold alone.

An outage belongs to the alarm that found it (`channel_outage`); it is shown while that
alarm runs, on every console, since every console folds the same log.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..state import IncidentState
from ..vocabulary import ChannelName

ORDER = tuple(c.value for c in ChannelName)


def channels_down(states: Iterable[IncidentState]) -> tuple[str, ...]:
    """Channels in outage in any running alarm, in fallback order (app, sms, voice)."""
    down = {c for s in states if s.outages and s.alarm_open for c in s.outages}
    return tuple(c for c in ORDER if c in down)
