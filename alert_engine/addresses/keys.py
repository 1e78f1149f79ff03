"""Match keys for Dutch street and place names: how dispatchers type them vs the BAG.

"Kerkstr. 3", "kerkstraat 3", "Kerk straat 3" and "Kerkstraat 3" must find the same
street; "Den Haag" is the BAG's "'s-Gravenhage"; "ij" and "y" are the same letter in
Dutch names typed on a phone or a foreign keyboard.
"""

from __future__ import annotations

import re

from ..gazetteer import normalise

# Abbreviations at the end of a word (BAG writes them out).
_SUFFIXES = (("str", "straat"), ("ln", "laan"), ("pln", "plein"), ("pl", "plein"), ("sngl", "singel"),
             ("kd", "kade"), ("wg", "weg"), ("gr", "gracht"), ("dk", "dijk"))
# Abbreviated whole words.
_WORDS = {"burg": "burgemeester", "st": "sint", "v": "van", "vd": "van der", "prof": "professor",
          "dr": "doctor", "mr": "meester", "jhr": "jonkheer", "gen": "generaal", "pr": "prins",
          "kon": "koning"}
# Places with a second name in common use -> the BAG's woonplaats.
PLACE_ALIASES = {
    "denhaag": "sgravenhage",
    "thehague": "sgravenhage",
    "haag": "sgravenhage",
    "denbosch": "shertogenbosch",
    "bosch": "shertogenbosch",
}


def _word(token: str) -> str:
    if token in _WORDS:
        return _WORDS[token]
    for short, full in _SUFFIXES:
        if token.endswith(short) and len(token) > len(short) + 2 and not token.endswith(full):
            return token[: -len(short)] + full
    return token


def street_key(text: str) -> str:
    """"Burg. de Withstr." -> "burgemeesterdewithstraat" (spaces gone: "Grote Markt" = "Grotemarkt")."""
    words = [_word(t) for t in normalise(text).split()]
    return _ij("".join(words))


def place_key(text: str) -> str:
    key = _ij("".join(normalise(text).split()))
    return PLACE_ALIASES.get(key, key)


def _ij(key: str) -> str:
    return re.sub("ij", "y", key)
