"""Incident messages from the dispatch system: NENA EIDO 1.0 JSON and the GMS adapter's JSON.

`parse_message` reads either into one typed `IntakeMessage` or raises `IntakeInvalid`
(an `InvalidInput` naming the JSON path); `error_body` is the service's 400 answer;
`merge.decide` tells new incident, duplicate and update apart; `DeadLetters` keeps what
was refused. Nothing here has side effects: the service and the console wire it up.
"""

from .deadletter import DeadLetter, DeadLetters
from .fields import IntakeInvalid, error_body
from .merge import Change, Decision, decide
from .message import CivicAddress, Hint, IntakeMessage, Location, Triage, Unit
from .parse import parse_message
from .triage import TABLE as TRIAGE_TABLE
from .triage import classify

__all__ = [
    "TRIAGE_TABLE",
    "Change",
    "CivicAddress",
    "DeadLetter",
    "DeadLetters",
    "Decision",
    "Hint",
    "IntakeInvalid",
    "IntakeMessage",
    "Location",
    "Triage",
    "Unit",
    "classify",
    "decide",
    "error_body",
    "parse_message",
]
