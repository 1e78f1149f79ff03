"""The one table that turns a dispatch system's triage code or text into "suspected arrest".

Dutch MKA's use ProQA (MPDS, codes like 09-E-01) or the Nederlandse Triage Standaard
(NTS, urgency U0 … U5 and presenting complaints such as "Reanimatie volwassene"); an
EIDO's `incidentTypeInternalCode` is whatever the local system uses. So a code is first
read as MPDS or NTS, and the text (and a code that is neither) is read for words.

Rows are tried in order. The first row with a verdict (`suspected` True or False)
decides; every matching code row adds its hints (a hanging, a stabbing: exclusion
criteria to check). No row matched: not suspected, and the dispatcher decides. Each
row says where it comes from; docs/intake.md repeats the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..exclusion.criteria import Criterion
from .message import Hint, Triage


@dataclass(frozen=True)
class TriageRow:
    id: str
    on: Literal["mpds", "nts", "text"]  # the normalised MPDS code, the NTS code, or text
    pattern: re.Pattern[str]
    suspected: bool | None  # None: the row only adds hints
    hints: tuple[Criterion, ...]
    why: str


def _row(
    id: str, on: Literal["mpds", "nts", "text"], pattern: str, suspected: bool | None,
    hints: tuple[Criterion, ...], why: str,
) -> TriageRow:  # fmt: skip
    return TriageRow(id, on, re.compile(pattern, re.IGNORECASE), suspected, hints, why)


# fmt: off
TABLE: tuple[TriageRow, ...] = (
    # -- MPDS (ProQA); protocol numbers and levels from the IAED's MPDS. ----------------
    _row("mpds-09-obvious-death", "mpds", r"09-[BO]-\d\d", False, (),
         "MPDS protocol 9 at BRAVO or OMEGA level codes obvious or expected death "
         "(unquestionable death, DNR): no resuscitation, so no responders (the dispatcher "
         "can still alert)."),
    _row("mpds-09-E-03-hanging", "mpds", r"09-E-03", True, ("suicide",),
         "MPDS 9-E-3 Hanging is an arrest; a hanging is usually an (attempted) suicide, "
         "which Kwaliteitskader §5.1 excludes, so it is a hint to check."),
    _row("mpds-09", "mpds", r"09-[A-E]-\d\d", True, (),
         "MPDS protocol 9, Cardiac or Respiratory Arrest/Death: ECHO (not breathing at all, "
         "breathing uncertain, hanging, strangulation, suffocation, underwater) and DELTA "
         "(ineffective breathing) are arrests; the protocol is only entered for one."),
    _row("mpds-31-E-01", "mpds", r"31-E-01", True, (),
         "MPDS 31-E-1 Unconscious/Fainting with ineffective breathing: unresponsive and not "
         "breathing normally is cardiac arrest (ERC Guidelines 2021, NRR)."),
    _row("mpds-assault", "mpds", r"04-[A-EO]-\d\d", None, ("violence", "trauma"),
         "MPDS protocol 4 Assault/Sexual Assault: a possibly unsafe situation (§5.1)."),
    _row("mpds-psychiatric", "mpds", r"25-[A-EO]-\d\d", None, ("suicide",),
         "MPDS protocol 25 Psychiatric/Abnormal Behaviour/Suicide Attempt (§5.1)."),
    _row("mpds-penetrating", "mpds", r"27-[A-EO]-\d\d", None, ("violence", "trauma"),
         "MPDS protocol 27 Stab/Gunshot/Penetrating Trauma: violence and severe trauma (§5.1)."),
    _row("mpds-trauma", "mpds", r"(17|29|30)-[A-EO]-\d\d", None, ("trauma",),
         "MPDS protocols 17 Falls, 29 Traffic/Transportation Incidents, 30 Traumatic "
         "Injuries: severe (accident) trauma to check (§5.1)."),
    # -- NTS -------------------------------------------------------------------------
    _row("nts-U0", "nts", r"U0", True, (),
         "NTS urgency U0 is 'uitval ABCD - resuscitatie (reanimatie)' (de-nts.nl, "
         "Basisprincipes NTS)."),
    # -- Words, for texts and for local codes (Dutch and English) ---------------------
    _row("text-obvious-death", "text",
         r"\b(obvious|expected|unquestionable)\s+death\b|\bevident\s+(dood|overleden)\b|\blijkvinding\b",
         False, (),
         "Obvious or expected death in words (ProQA's texts, Dutch 'evident overleden'): "
         "no resuscitation. Tried before the arrest words: 'ARREST/DEATH: OBV DEATH'."),
    _row("text-reanimation", "text",
         r"\brea\b|\breanim\w*|\bresusc\w*|\bcirculatiestilstand\b|\bhartstilstand\b|"
         r"\bcardiac\s+arrest\b|\barrest\b|\bOHCA\b",
         True, (),
         "NTS presenting complaints 'Reanimatie volwassene / kind / drenkeling-verstikking', "
         "the MKA's 'REA', and ProQA's 'CARDIAC OR RESP ARREST' texts."),
    _row("text-not-breathing", "text",
         r"\bgeen\s+(normale\s+)?ademhaling\b|\bademt\s+niet\b|\b(abnormale|agonale)\s+ademhaling\b|"
         r"\bniet\s+normaal\s+ademen\b|\bgaspen\b|\bgasping\b|\bnot\s+breathing\b|"
         r"\bineffective\s+breathing\b|\bagonal\b",
         True, (),
         "'Bewusteloos, geen (normale) ademhaling': unresponsive and not breathing normally "
         "is how a dispatcher recognises cardiac arrest (ERC Guidelines 2021, NRR), and "
         "ProQA's 'NOT BREATHING AT ALL' / 'INEFFECTIVE BREATHING'."),
)
# fmt: on

# ProQA writes 09-E-01, 9-E-1, 09E01 or 9E1, sometimes with a suffix letter (09-E-01a).
_MPDS = re.compile(r"0?(\d{1,2})\s*[-. ]?\s*([ABCDEOΩ])\s*[-. ]?\s*0?(\d{1,2})\s*[A-Z]?", re.I)
_NTS = re.compile(r"(?:NTS\s*[-: ]?\s*)?U\s*([0-5])", re.I)


def normalise(code: str) -> tuple[Literal["mpds", "nts"] | None, str | None]:
    """("mpds", "09-E-01") / ("nts", "U0") / (None, None) for a code that is neither."""
    code = code.strip()
    if found := _MPDS.fullmatch(code):
        protocol, level, number = found.groups()
        level = "O" if level in "Ωω" else level.upper()
        return "mpds", f"{int(protocol):02d}-{level}-{int(number):02d}"
    if found := _NTS.fullmatch(code):
        return "nts", f"U{found.group(1)}"
    return None, None


def classify(code: str | None, text: str | None) -> Triage:
    """Apply the table to a code and/or text (see the module docstring for the order)."""
    system, normal = normalise(code) if code else (None, None)
    words = " ".join(t for t in (text, code if system is None else None) if t)
    verdict: TriageRow | None = None
    for row in TABLE:
        if row.suspected is None:
            continue  # hint rows: see code_hints
        if row.on == "text":
            hit = bool(words) and row.pattern.search(words) is not None
        else:
            hit = row.on == system and row.pattern.fullmatch(normal or "") is not None
        if hit:
            verdict = row
            break
    return Triage(
        code=code,
        text=text,
        suspected_cardiac_arrest=bool(verdict and verdict.suspected),
        rule=verdict.id if verdict else "none",
        normalised=normal,
    )


def hints_for(code: str | None, text: str | None, field: str) -> list[Hint]:
    """The hints the code rows give (MPDS 9-E-3 Hanging: suicide), as `Hint`s on `field`."""
    system, normal = normalise(code) if code else (None, None)
    if normal is None:
        return []
    shown = " ".join(p for p in (code, text) if p)
    found: list[Hint] = []
    for row in TABLE:
        if row.on == system and row.pattern.fullmatch(normal):
            found += [
                Hint(c, normal, shown, field)
                for c in row.hints
                if all(h.criterion != c for h in found)
            ]
    return found


def row(row_id: str) -> TriageRow:
    return next(r for r in TABLE if r.id == row_id)
