"""Numbers and durations as case reports write them ("Six", "thirty-seven", "1.5", "a")."""

from __future__ import annotations

import math
import re

__all__ = ["DURATION_UNIT", "NUMBER", "duration_months", "parse_number"]

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_WORD = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
# a number: digits, number words ("thirty-seven", "twenty five"), "a"/"an", "one and a half"
NUMBER = (
    rf"(?:\d+(?:[.,]\d+)?|(?:{_WORD})(?:[- ](?:{'|'.join(_UNITS)}))?(?: and a half)?|an?|half an?|a half)"
)
DURATION_UNIT = r"(?:days?|weeks?|wks?|months?|mos?\.?|mths?|years?|yrs?)"
_MONTHS_PER = {"d": 1 / 30.44, "w": 1 / 4.345, "m": 1.0, "y": 12.0}


def parse_number(text: str) -> float | None:
    """The value of a number as written.

    >>> parse_number("thirty-seven"), parse_number("Six"), parse_number("1.5"), parse_number("a")
    (37.0, 6.0, 1.5, 1.0)
    >>> parse_number("one and a half")
    1.5
    """
    t = text.strip().lower().replace(",", ".")
    half = 0.0
    if t.endswith(" and a half"):
        half = 0.5
        t = t[: -len(" and a half")]
    if t in ("a half", "half a", "half an"):
        return 0.5
    if t in ("a", "an"):
        return 1.0 + half
    try:
        return float(t) + half
    except ValueError:
        pass
    parts = re.split(r"[- ]", t)
    total = 0
    for p in parts:
        if p in _TENS:
            total += _TENS[p]
        elif p in _UNITS:
            total += _UNITS[p]
        else:
            return None
    return float(total) + half


def duration_months(number: str, unit: str, *, upper_bound: bool = False) -> float | None:
    """A duration in months, rounded to whole months (up, for "within N weeks").

    >>> duration_months("15", "months"), duration_months("2", "years")
    (15.0, 24.0)
    >>> duration_months("4", "weeks", upper_bound=True)
    1.0
    """
    value = parse_number(number)
    if value is None:
        return None
    key = unit.strip().lower()[0]
    months = value * _MONTHS_PER.get(key, 1.0)
    if key == "m" or key == "y":
        return round(months, 1) if months != int(months) else float(months)
    return float(math.ceil(months)) if upper_bound else float(max(round(months), 0))
