"""The delivery policy: which message goes to whom, on which channel, when.

A pure function of an incident's folded state and the time (`plan`), so it is the same
on every node: the node that takes over after a failover folds the same log and finds
the same messages sent, acknowledged, failed and due. Nothing here sends; the dispatcher
writes `message_sent` for what is due *before* it hands the message to a gateway, so a
message is never sent twice on one channel (at most once per channel; the fallback to
the next channel is what makes the alert arrive at least once).

Per responder who is still ringing (alerted, no acknowledgement, no answer):
- T0 (the alert): the first channel that can reach them: app push, else SMS, else voice;
- T0 + `sms_after_s` (20 s) without a receipt: SMS;
- T0 + `voice_after_s` (60 s): a voice call, for the `voice_nearest` nearest of them;
- a message that failed, or a channel this alarm gave up on (outage), makes the next
  channel due at once.
Everything stops when the responder is reached or answers, at the cancellation, when the
target is met and when the alarm ends. A cancellation (and the "not needed" after a late
accept, and the coordinator's role while the alarm is open) follows every channel the alert
went out on; on a channel in outage it takes the next one that works.

An outage of a channel in one alarm: at least `outage_failures` of its alerts failed and
that is at least `outage_failure_share` of them (HTTP errors, timeouts); or, for app push,
more than `outage_unacknowledged_share` of the pushes at least `outage_after_s` old are
unacknowledged (a push service that accepts messages and delivers nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..errors import InvalidInput
from ..state import IncidentState, ResponderState, message_key
from ..vocabulary import ChannelName, MessageKind

ORDER: tuple[str, ...] = tuple(c.value for c in ChannelName)  # app, sms, voice
ALERT, CANCEL, NOT_NEEDED = MessageKind.ALERT.value, MessageKind.CANCEL.value, MessageKind.NOT_NEEDED.value
COORDINATOR = MessageKind.COORDINATOR.value
# Which channels can reach a responder, in fallback order (from the registry and the directory).
Reach = Callable[[str], Sequence[str]]


@dataclass(frozen=True)
class DeliveryPolicy:
    # Issue 12 / HartslagNu practice (app first, then SMS, then a voice message): SMS when the
    # app has not confirmed within 20 s, a voice call at 60 s for the nearest still unreached.
    sms_after_s: float = 20.0
    voice_after_s: float = 60.0
    voice_nearest: int = 10
    # Issue 12: an outage is more than half an alarm's pushes unacknowledged after 20 s, or errors.
    outage_after_s: float = 20.0
    outage_unacknowledged_share: float = 0.5
    outage_min_messages: int = 3      # two silent phones are two phones, not a provider down
    outage_failures: int = 3
    outage_failure_share: float = 0.5
    # A cancellation older than this is not sent any more (a node starting on an old log).
    follow_up_window_s: float = 600.0
    modes: frozenset[str] = frozenset({"live", "test"})  # never training: it has no path to a phone

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any], where: str = "policy") -> DeliveryPolicy:
        values: dict[str, Any] = {}
        defaults = cls()
        for key, value in raw.items():
            if key not in cls.__dataclass_fields__:
                raise InvalidInput(f"{where}.{key}: unknown setting")
            if key == "modes":
                if not isinstance(value, list) or not set(value) <= {"live", "test"}:
                    raise InvalidInput(f"{where}.modes: a list of 'live' and 'test' (training never reaches a phone)")
                values[key] = frozenset(value)
                continue
            whole = isinstance(getattr(defaults, key), int)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 86_400:
                raise InvalidInput(f"{where}.{key}: expected a number 0..86400")
            if whole and value != int(value):
                raise InvalidInput(f"{where}.{key}: expected a whole number")
            values[key] = int(value) if whole else float(value)
        policy = cls(**values)
        for share in ("outage_unacknowledged_share", "outage_failure_share"):
            if not 0 < getattr(policy, share) <= 1:
                raise InvalidInput(f"{where}.{share}: expected a share above 0, at most 1")
        if policy.voice_after_s < policy.sms_after_s:
            raise InvalidInput(f"{where}: voice_after_s comes before sms_after_s")
        return policy


@dataclass(frozen=True, slots=True)
class Send:
    incident: str
    responder: str
    channel: str
    kind: str
    attempt: int
    why: str  # first | no_receipt | failed | outage | nearest_unreached | follows_alert
    reason: str = ""  # a cancellation's reason (target_reached, dispatcher, closed, live_alarm)

    @property
    def key(self) -> str:
        """The idempotency key: one message per incident × responder × channel × kind."""
        return f"{self.incident}/{message_key(self.responder, self.channel, self.kind)}"


@dataclass(frozen=True, slots=True)
class OutageFound:
    incident: str
    channel: str
    reason: str  # errors | unacknowledged
    detail: Mapping[str, int]


@dataclass
class Plan:
    sends: list[Send] = field(default_factory=list)
    outages: list[OutageFound] = field(default_factory=list)
    next_due: datetime | None = None

    def later(self, t: datetime) -> None:
        if self.next_due is None or t < self.next_due:
            self.next_due = t


def plan(s: IncidentState, now: datetime, policy: DeliveryPolicy, reach: Reach) -> Plan:
    """What is due for incident `s` at `now`, and when to look again."""
    out = Plan()
    if s.mode not in policy.modes or s.alert_time is None:
        return out
    if s.alarm_open:
        out.outages = _outages(s, now, policy, out)
    down = set(s.outages) | {o.channel for o in out.outages}
    if s.alarm_open and s.target_met_at is None:
        _alerts(s, now, policy, reach, down, out)
    _follow_ups(s, now, policy, reach, down, out)
    return out


def _attempts(s: IncidentState, responder: str, kind: str) -> int:
    return sum(1 for c in ORDER if message_key(responder, c, kind) in s.messages)


def _alerts(s: IncidentState, now: datetime, policy: DeliveryPolicy, reach: Reach, down: set[str], out: Plan) -> None:
    assert s.alert_time is not None
    t0 = s.alert_time
    offsets = {"sms": timedelta(seconds=policy.sms_after_s), "voice": timedelta(seconds=policy.voice_after_s)}
    # Voice as a fallback is for the nearest few only (a phone call to a hundred people is
    # neither cheap nor kind); a responder whose only channel is voice is called at T0.
    called = sum(1 for m in s.messages.values() if m.channel == "voice" and m.kind == ALERT and m.why != "first")
    budget = policy.voice_nearest - called
    ringing = sorted((r for r in s.responders.values() if r.state == "alerted" and not r.reached),
                     key=lambda r: (r.distance_m, r.id))
    for r in ringing:
        step = _next_step(s, r, reach(r.id), down, t0, offsets)
        if step is None:
            continue
        channel, due, why = step
        if channel == "voice" and why != "first":
            if budget <= 0:
                continue
            budget -= 1  # the nearest ones keep their place even before their call is due
            why = "nearest_unreached" if why == "no_receipt" else why
        if due <= now:
            out.sends.append(Send(s.id, r.id, channel, ALERT, _attempts(s, r.id, ALERT) + 1, why))
        else:
            out.later(due)


def _next_step(s: IncidentState, r: ResponderState, chain: Sequence[str], down: set[str], t0: datetime,
               offsets: Mapping[str, timedelta]) -> tuple[str, datetime, str] | None:
    """The next channel for this responder's alert: (channel, due, why), or None."""
    alive = False    # an alert on a working channel is out, waiting for its receipt
    why = "first"
    for c in chain:
        m = s.messages.get(message_key(r.id, c, ALERT))
        if m is not None:
            if m.failed_at is None and c not in down:
                alive = True
            elif not alive:
                why = "failed" if m.failed_at is not None else "outage"
            continue
        if c in down:
            if not alive and why == "first" and c == chain[0]:
                why = "outage"
            continue
        if not alive:
            return c, t0, why  # nothing working reached them yet: this channel, now
        return c, t0 + offsets.get(c, timedelta(0)), "no_receipt"
    return None


def _follow_ups(s: IncidentState, now: datetime, policy: DeliveryPolicy, reach: Reach, down: set[str],
                out: Plan) -> None:
    window = timedelta(seconds=policy.follow_up_window_s)
    for r in s.responders.values():
        if not r.channels:
            continue  # no alert went out: there is nothing to take back
        wanted: list[tuple[str, str]] = []
        if r.cancelled_at is not None and now - r.cancelled_at <= window:
            wanted.append((CANCEL, r.cancel_reason))
        if r.state == "oversupply" and r.answered_at is not None and now - r.answered_at <= window:
            wanted.append((NOT_NEEDED, ""))
        if coordinating(s, r.id) and r.answered_at is not None and now - r.answered_at <= window:
            wanted.append((COORDINATOR, ""))  # assigned in the commit of their accept
        for kind, reason in wanted:
            attempt = _attempts(s, r.id, kind)
            for channel in _follow(s, r, reach(r.id), down):
                if message_key(r.id, channel, kind) not in s.messages:
                    attempt += 1
                    out.sends.append(Send(s.id, r.id, channel, kind, attempt, "follows_alert", reason))


def coordinating(s: IncidentState, responder: str) -> bool:
    """Is the coordinator's role still worth telling: theirs, on the way or there, alarm open."""
    r = s.responders.get(responder)
    return (s.coordinator == responder and r is not None and s.alarm_open
            and r.state in ("accepted", "arrived"))


def _follow(s: IncidentState, r: ResponderState, chain: Sequence[str], down: set[str]) -> list[str]:
    """The channels a follow-up goes on: those the alert used and that worked, a channel in
    outage replaced by the next working one."""
    out: list[str] = []
    for c in r.channels:
        m = s.messages.get(message_key(r.id, c, ALERT))
        if m is None or m.failed_at is not None:
            continue
        if c not in down:
            target: str | None = c
        else:
            target = next((x for x in chain if x not in down and ORDER.index(x) > ORDER.index(c)), None)
        if target is not None and target not in out:
            out.append(target)
    return out


def _outages(s: IncidentState, now: datetime, policy: DeliveryPolicy, out: Plan) -> list[OutageFound]:
    found: list[OutageFound] = []
    after = timedelta(seconds=policy.outage_after_s)
    for channel in ORDER:
        if channel in s.outages:
            continue
        alerts = [m for m in s.messages.values() if m.channel == channel and m.kind == ALERT]
        if not alerts:
            continue
        failed = sum(1 for m in alerts if m.failed_at is not None)
        if failed >= policy.outage_failures and failed >= policy.outage_failure_share * len(alerts):
            found.append(OutageFound(s.id, channel, "errors", {"failed": failed, "sent": len(alerts)}))
            continue
        if channel != "app":
            continue  # only the app confirms receipt; an SMS or a call is judged by errors alone
        old = [m for m in alerts if m.failed_at is None and m.sent_at + after <= now]
        young = [m.sent_at + after for m in alerts if m.failed_at is None and m.sent_at + after > now]
        silent = sum(1 for m in old if not s.responders[m.responder].reached)
        if len(old) >= policy.outage_min_messages and silent > policy.outage_unacknowledged_share * len(old):
            found.append(OutageFound(s.id, channel, "unacknowledged", {"unacknowledged": silent, "sent": len(old)}))
        elif young:
            out.later(min(young))
    return found
