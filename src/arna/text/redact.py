"""Taking personal data out of text that the public will see.

Patterns, not guesses about names: IINs/BINs (12 digits), Kazakhstan phone numbers in any
spelling, e-mail addresses. Names of private persons inside free text are not detected here.

Numbers are read as *chains*: digits joined by short runs of separators (spaces of any width,
dashes of every kind, brackets, dots, slashes), with an optional leading "+". A chain is masked
when its digits, however they are grouped, make

- a phone: 11 digits after "+" or starting with 8 or 7 (+7/8/7 and the 10 national digits),
  or 10 digits starting with 7 (a Kazakhstan number without its prefix: mobile 7xx or a city
  number whose 3-5 digit area code starts with 7);
- an IIN/BIN: 12 digits.

A longer chain (a date next to a phone, an IIN next to a phone) is searched for every run of
whole groups that makes one of them; a run never cuts a date (31.12.2024) in two.

What stays readable: numbers of up to 9 digits (dates, house numbers, KATO codes, "15 000"),
amounts grouped in thousands ("7 500 000 000"), lists of years, dates next to other numbers. Twelve
digits grouped as an amount or holding a date ("100 000 000 000", "12.05.2024 1500") are masked
only when they have a valid IIN/BIN check digit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from arna.core.iin import iin_check_digit

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)

# Spaces of every width (not line breaks), zero-width ones and the soft hyphen.
_SPACES = " \t\u00a0\u00ad\u1680\u2000-\u200b\u202f\u205f\u2060\u3000\ufeff"
# Hyphen-minus, hyphen, non-breaking hyphen, figure dash, en/em dash, horizontal bar, minus...
_DASHES = r"\-\u02d7\u2010-\u2015\u2043\u2212\ufe58\ufe63\uff0d"
_OTHERS = r"()\[\]{}.\u00b7\u2024\u2027/\\\u2044\u2215\uff08\uff09\uff0e\uff0f"
_SEP = f"[{_SPACES}{_DASHES}{_OTHERS}]"
# At most 4 separators between two digits: "8 (7252)", "850502 - 400120", "+7 ) - 701".
CHAIN = re.compile(rf"(?:\+{_SEP}{{0,3}}|\()?\d(?:{_SEP}{{1,4}}\d|\d)*")
_GROUP = re.compile(r"\d+")
_THOUSANDS_SEPS = frozenset(" \u00a0\u2007\u2009\u202f.")

REDACTED = {"email": "[e-mail]", "phone": "[phone]", "iin": "[IIN]"}


@dataclass(frozen=True)
class _Group:
    start: int  # offsets inside the chain
    end: int
    digits: str
    before: str  # the separators before it ("" for the first group)


def redact(text: str) -> str:
    """The text with every e-mail, phone and IIN/BIN replaced by a placeholder."""
    text = EMAIL.sub(REDACTED["email"], text)
    return CHAIN.sub(_redact_chain, text)


def _redact_chain(match: re.Match[str]) -> str:
    chain = match.group()
    groups = _groups(chain)
    spans = _found(groups, plus=chain.startswith("+"))
    if not spans:
        return chain
    out, at = [], 0
    for start, end, kind in _merged(spans):
        if start == groups[0].start:  # "+7 (", "(7172)": the prefix goes with the number
            lead, inside = chain[:start], chain[start:end]
            closes = inside.count(")") > inside.count("(")
            start = lead.rindex("(") + 1 if "(" in lead and not closes else 0
        out.append(chain[at:start])
        out.append(REDACTED[kind])
        at = end
    out.append(chain[at:])
    return "".join(out)


def _groups(chain: str) -> list[_Group]:
    groups, last = [], 0
    for m in _GROUP.finditer(chain):
        groups.append(_Group(m.start(), m.end(), m.group(), chain[last : m.start()]))
        last = m.end()
    return groups


def _is_date(day: str, month: str, year: str) -> bool:
    return (
        len(day) <= 2
        and len(month) <= 2
        and len(year) == 4
        and 1 <= int(day) <= 31
        and 1 <= int(month) <= 12
        and year[:2] in ("19", "20")
    )


def _date_at(groups: Sequence[_Group], i: int) -> bool:
    """Whether groups i..i+2 are a date (31.12.2024, 31/12/2024, 2024-12-31) standing apart
    from the digits around it (another separator before and after it)."""
    if i + 2 >= len(groups):
        return False
    a, b, c = groups[i : i + 3]
    sep = b.before
    if sep not in (".", "/", "-") or c.before != sep:
        return False
    if (i > 0 and a.before == sep) or (i + 3 < len(groups) and groups[i + 3].before == sep):
        return False
    return _is_date(a.digits, b.digits, c.digits) or _is_date(c.digits, b.digits, a.digits)


def _looks_innocent(groups: Sequence[_Group]) -> bool:
    """An amount grouped in thousands ("7 500 000 000") or a list of years ("2019 2020 2021")."""
    if len(groups) < 2:
        return False
    seps = {g.before for g in groups[1:]}
    thousands = (
        len(seps) == 1
        and seps <= _THOUSANDS_SEPS
        and 1 <= len(groups[0].digits) <= 3
        and all(len(g.digits) == 3 for g in groups[1:])
    )
    years = all(len(g.digits) == 4 and g.digits[:2] in ("19", "20") for g in groups)
    return thousands or years


def _kind(groups: Sequence[_Group], *, plus: bool, dated: bool) -> str | None:
    """What a run of whole groups is: "phone", "iin" or None (`dated`: a date is among them)."""
    digits = "".join(g.digits for g in groups)
    innocent = not plus and _looks_innocent(groups)
    if len(digits) == 12:
        valid = iin_check_digit(digits[:11]) == int(digits[11])
        return "iin" if valid or not (innocent or dated) else None
    if innocent:
        return None
    if len(digits) == 11 and (plus or digits[0] in "78"):
        return "phone"
    if len(digits) == 10 and digits[0] == "7":
        return "phone"
    return None


def _found(groups: list[_Group], *, plus: bool) -> list[tuple[int, int, str]]:
    """Spans (inside the chain) of every run of whole groups that is a phone or an IIN and does
    not cut a date in two."""
    spans: list[tuple[int, int, str]] = []
    total = sum(len(g.digits) for g in groups)
    if total < 10 or (total > 12 and not plus and _looks_innocent(groups)):
        return spans  # short, or a long amount or list of years: none of its parts is a number
    dates = [i for i in range(len(groups)) if _date_at(groups, i)]
    for i in range(len(groups)):
        length = 0
        for j in range(i, len(groups)):
            length += len(groups[j].digits)
            if length > 12:
                break
            if length < 10 or any(_cuts(i, j, d) for d in dates):
                continue
            dated = any(i <= d and d + 2 <= j for d in dates)
            kind = _kind(groups[i : j + 1], plus=plus and i == 0, dated=dated)
            if kind:
                spans.append((groups[i].start, groups[j].end, kind))
    return spans


def _cuts(first: int, last: int, date: int) -> bool:
    """Whether groups first..last take some but not all of the date in groups date..date+2."""
    overlaps = first <= date + 2 and last >= date
    return overlaps and not (first <= date and date + 2 <= last)


def _merged(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping spans as one, named after the longest of them (an IIN that holds 11 digits
    starting with 8 is still an IIN)."""
    merged: list[tuple[int, int, str]] = []
    longest = 0
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -s[1])):
        if merged and start < merged[-1][1]:
            first, last, named = merged[-1]
            if end - start > longest:
                named, longest = kind, end - start
            merged[-1] = (first, max(last, end), named)
        else:
            merged.append((start, end, kind))
            longest = end - start
    return merged
