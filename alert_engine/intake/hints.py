"""Words in a caution, note or triage text that suggest an exclusion criterion (§5.1).

A hint carries the words and the sentence they came from, so the dispatcher sees why it
is there; it never excludes on its own. The word lists are Dutch (what a Dutch call-taker
types in GMS) and English (EIDO registries, ProQA texts). "Geen geweld" still gives a
hint, marked `negated`, because dropping it would hide the sentence from the dispatcher.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..exclusion.criteria import Criterion
from ..exclusion.road_notation import Strength, find_road
from .message import Hint

_WORDS: dict[Criterion, str] = {
    "suicide": (
        r"su[iï]cid\w*|zelfdoding|zelfmoord|verhang\w*|opgehangen|hanging|hanged|"
        r"voor\s+de\s+trein|levensmoe\w*|overdosis\s+met\s+opzet"
    ),
    "trauma": (
        r"trauma\w*|ongeval\w*|ongeluk\w*|aanrijding\w*|vko|botsing\w*|bekneld\w*|beknelling|"
        r"val\s+van\s+(grote\s+)?hoogte|van\s+hoogte\s+gevallen|hoog[- ]?energetisch\w*|"
        r"steekwond\w*|schotwond\w*|accident\w*|crash\w*|collision\w*|fall\s+from\s+height|"
        r"gunshot\w*|stab\s+wound\w*|penetrating|entrapment|trapped"
    ),
    "violence": (
        r"geweld\w*|vecht\w*|steekpartij\w*|neergestoken|gestoken|schietpartij\w*|"
        r"geschoten|beschoten|vuurwapen\w*|wapen\w*|mes|messen|pistool|bedreig\w*|"
        r"agressie\w*|agressief\w*|mishandel\w*|politie|onveilig\w*|"
        r"violen\w*|assault\w*|weapon\w*|firearm\w*|gun|guns|knife|knives|stabbing|"
        r"shooting|shots\s+fired|fight\w*|threat\w*|hostile|aggressi\w*|unsafe"
    ),
    "motorway": (
        r"snelweg\w*|autosnelweg\w*|rijksweg\w*|vluchtstrook|hectometer\w*|hmp|afrit|oprit|"
        r"toerit|knooppunt|motorway\w*|highway\w*|freeway\w*|hard\s+shoulder"
    ),
    "infant": r"zuigeling\w*|baby|baby's|pasgeboren\w*|wiegendood|newborn\w*|infant\w*",
}
_PATTERNS = {c: re.compile(rf"(?<!\w)(?:{w})(?!\w)", re.IGNORECASE) for c, w in _WORDS.items()}
# A denial within the same clause, at most two words before: "geen sprake van geweld".
_NEGATION = re.compile(r"(?:^|\W)(?:geen|niet|zonder|no|not|without)\W+(?:\w+\W+){0,3}$", re.I)
_CLAUSE_END = re.compile(r"[.;!?\n]")
SHOWN = 200  # how much of a long note a hint repeats


def find(text: str, field: str) -> list[Hint]:
    """At most one hint per criterion for one text (the first mention)."""
    hints = []
    road = find_road(text)
    # A road number ("A12 hmp 6,4 Re") says more than a word; "bij de A12" (beside the
    # road) is for the exclusion module to weigh, not a hint.
    if road is not None and road.is_motorway and road.strength is not Strength.NEARBY:
        hints.append(Hint("motorway", road.text, clip_sentence(text, SHOWN), field))
    for criterion, pattern in _PATTERNS.items():
        match = pattern.search(text)
        if match is None or any(h.criterion == criterion for h in hints):
            continue
        hints.append(
            Hint(criterion, match.group(), _around(text, match), field, _negated(text, match))
        )
    return hints


def find_all(texts: Iterable[tuple[str, str]]) -> tuple[Hint, ...]:
    """Hints for (text, field) pairs, in order, without repeating one criterion per field."""
    seen: set[tuple[Criterion, str]] = set()
    found: list[Hint] = []
    for text, field in texts:
        for hint in find(text, field):
            if (hint.criterion, hint.field) not in seen:
                seen.add((hint.criterion, hint.field))
                found.append(hint)
    return tuple(found)


def _negated(text: str, match: re.Match[str]) -> bool:
    before = text[: match.start()]
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    # Only the end of the clause matters (at most four words), and a short window keeps
    # the search linear however long the note is.
    return _NEGATION.search(before[clause_start:][-60:]) is not None


def _around(text: str, match: re.Match[str]) -> str:
    """The text around a match, cut to SHOWN characters for display."""
    if len(text) <= SHOWN:
        return text
    start = max(0, min(match.start() - SHOWN // 2, len(text) - SHOWN))
    window = text[start : start + SHOWN]
    return ("…" if start else "") + window + ("…" if start + SHOWN < len(text) else "")


def clip_sentence(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
