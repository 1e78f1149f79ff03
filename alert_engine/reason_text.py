"""Numbers in the reasons a dispatcher reads: Dutch decimal comma, English decimal point."""

from __future__ import annotations


def decimal_en(value: float, places: int = 2) -> str:
    """0.5 -> "0.5", 67.0 -> "67": no trailing zeros a reader has to skip."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def decimal_nl(value: float, places: int = 2) -> str:
    return decimal_en(value, places).replace(".", ",")


def years_nl(value: float) -> str:
    return f"{decimal_nl(value)} jaar"


def years_en(value: float) -> str:
    text = decimal_en(value)
    return f"{text} year" if text == "1" else f"{text} years"


def metres(value: float) -> str:
    return f"{round(value)} m"
