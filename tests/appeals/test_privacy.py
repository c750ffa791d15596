"""No public response carries an IIN, phone or e-mail from any submitted appeal; the redactor
masks every spelling of a Kazakhstan phone number and of an IIN/BIN, and nothing else.

The strategies here write the numbers the way people do: mobile (7xx) and city numbers (area
codes of 3-5 digits), +7 / 8 / 7 / no prefix, any grouping, spaces of every width, dashes of every
kind, brackets, dots and slashes; IINs and BINs with separators. The officials' texts and every
public page are checked in tests/appeals/test_redaction.py."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from arna.app import create_app
from arna.appeals.identity import iin_check_digit
from arna.core.db import Database
from arna.core.settings import Settings
from arna.maintenance.upgrade import upgrade
from arna.text.redact import redact

MOBILE_CODES = ["700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778"]
SPACES = [" ", "\u00a0", "\u202f", "\u2009", "\u2007"]
# hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar,
# minus sign, small and fullwidth hyphen-minus
DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe63"]
DASHES += ["\uff0d"]
GAPS = st.one_of(
    st.just(""),
    st.sampled_from(SPACES),
    st.sampled_from(DASHES),
    st.sampled_from(DASHES).map(lambda d: f" {d} "),
    st.sampled_from([".", "/", " / ", ". "]),
)


def _checked(first11: str) -> str | None:
    check = iin_check_digit(first11)
    return None if check is None else first11 + str(check)


@st.composite
def iins(draw: st.DrawFn) -> str:
    """A valid IIN: birth date, century and sex, serial, check digit."""
    yy, mm, dd = draw(st.integers(0, 99)), draw(st.integers(1, 12)), draw(st.integers(1, 28))
    century, serial = draw(st.integers(1, 6)), draw(st.integers(0, 9999))
    iin = _checked(f"{yy:02d}{mm:02d}{dd:02d}{century}{serial:04d}")
    assume(iin is not None)
    assert iin is not None
    return iin


@st.composite
def bins(draw: st.DrawFn) -> str:
    """A valid BIN: year and month of registration, kind of entity, attribute, serial, check."""
    yy, mm = draw(st.integers(0, 99)), draw(st.integers(1, 12))
    kind, attribute, serial = (
        draw(st.sampled_from("456")),
        draw(st.integers(0, 3)),
        draw(st.integers(0, 99_999)),
    )
    bin_ = _checked(f"{yy:02d}{mm:02d}{kind}{attribute}{serial:05d}")
    assume(bin_ is not None)
    assert bin_ is not None
    return bin_


@st.composite
def groupings(draw: st.DrawFn, digits: str, natural: list[list[int]]) -> list[str]:
    """The digits cut into groups: a usual grouping, or cuts anywhere."""
    sizes = draw(st.sampled_from([*natural, []]))
    if not sizes:
        cuts = sorted(draw(st.sets(st.integers(1, len(digits) - 1), max_size=len(digits) - 1)))
        bounds = [0, *cuts, len(digits)]
        return [digits[a:b] for a, b in itertools.pairwise(bounds)]
    groups, at = [], 0
    for size in sizes:
        groups.append(digits[at : at + size])
        at += size
    return groups


def _written(draw: st.DrawFn, groups: list[str]) -> str:
    """Groups joined by separators: one kind for the whole number, or a different one each gap."""
    if draw(st.booleans()):
        gap = draw(GAPS)
        return gap.join(groups)
    return groups[0] + "".join(draw(GAPS) + g for g in groups[1:])


def looks_like_money(written: str) -> bool:
    """Whether the number reads as an amount grouped in thousands ("7 012 345 678"): the redactor
    keeps amounts, so no phone is written like this here."""
    if written.lstrip().startswith("+"):
        return False
    groups = re.findall(r"\d+", written)
    gaps = set(re.findall(r"(?<=\d)\D+(?=\d)", written))
    return (
        len(groups) >= 2
        and 1 <= len(groups[0]) <= 3
        and all(len(g) == 3 for g in groups[1:])
        and len(gaps) == 1
        and gaps <= {*SPACES, "."}
    )


@st.composite
def phones(draw: st.DrawFn) -> tuple[str, str]:
    """(as written, its 10 national digits): a mobile or a city number in any spelling."""
    if draw(st.booleans()):
        code = draw(st.sampled_from(MOBILE_CODES))
    else:  # city: 7 + region digit + the rest of a 3-5 digit area code (727, 7172, 71543)
        size = draw(st.integers(3, 5))
        code = (
            "7"
            + draw(st.sampled_from("12"))
            + draw(st.text("0123456789", min_size=size - 2, max_size=size - 2))
        )
    rest = draw(st.text("0123456789", min_size=10 - len(code), max_size=10 - len(code)))
    national = code + rest
    usual = {3: [[3, 3, 2, 2], [3, 3, 4], [3, 2, 2, 3], [3, 7], [10], [3, 2, 3, 2]]}
    usual[4] = [[4, 2, 2, 2], [4, 3, 3], [4, 6], [4, 2, 4], [10]]
    usual[5] = [[5, 1, 2, 2], [5, 3, 2], [5, 5], [5, 2, 3], [10]]
    groups = draw(groupings(national, usual[len(code)]))
    if groups[0] == code and draw(st.booleans()):
        groups[0] = f"({code})"
    body = _written(draw, groups)
    prefix = draw(st.sampled_from(["+7", "+ 7", "8", "7", ""]))
    written = prefix + draw(GAPS) + body if prefix else body
    assume(not looks_like_money(written))
    return written, national


@st.composite
def identifiers(draw: st.DrawFn, numbers: st.SearchStrategy[str] | None = None) -> tuple[str, str]:
    """(as written, its 12 digits): an IIN or a BIN with separators."""
    number = draw(st.one_of(iins(), bins()) if numbers is None else numbers)
    usual = [[6, 6], [3, 3, 3, 3], [4, 4, 4], [2, 2, 2, 6], [2, 2, 2, 1, 4, 1], [12]]
    return _written(draw, draw(groupings(number, usual))), number


emails = st.from_regex(
    r"[a-z][a-z0-9]{1,8}(\.[a-z0-9]{1,6})?@(mail|gmail|inbox|bk)\.(kz|ru|com)", fullmatch=True
)
KAZAKH = ["жол", "шұңқыр", "көше", "әкімдік", "үй", "пәтер", "Курчатов", "хабарласыңыз"]
RUSSIAN = ["дорога", "яма", "улица", "дом", "квартира", "звоните", "адрес", "акимат", "тенге"]
ENGLISH = ["road", "pothole", "street", "call", "house", "flat"]
LATIN_KAZAKH = ["jol", "köşe", "äkımdık", "habarlasyñyz", "ūial"]
words = st.sampled_from([*KAZAKH, *RUSSIAN, *ENGLISH, *LATIN_KAZAKH])
labels = st.sampled_from(
    ["тел.", "тел:", "телефон", "ұялы", "phone", "WhatsApp", "ЖСН", "ИИН", "IIN", "БСН", "BIN"]
)
after = st.sampled_from(["", ",", ".", ";", ")", "!", " —"])


@st.composite
def innocent_numbers(draw: st.DrawFn) -> str:
    """Numbers that stay readable: dates, years, house numbers, amounts, KATO codes, times."""
    year, month, day = (
        draw(st.integers(1990, 2030)),
        draw(st.integers(1, 12)),
        draw(st.integers(1, 28)),
    )
    amount = draw(st.integers(1, 99_999_999_999))  # 12 digits could be an IIN's
    thousands = draw(st.sampled_from([*SPACES[:4], "."]))
    return draw(
        st.sampled_from(
            [
                f"{day:02d}.{month:02d}.{year}",
                f"{year}-{month:02d}-{day:02d}",
                f"{day:02d}/{month:02d}/{year}",
                f"{day:02d}.{month:02d}.{year}–{day:02d}.{month:02d}.{year + 1}",
                f"{year}",
                f"{day}А",
                f"{day}/{month}",
                f"{amount:,}".replace(",", thousands),
                f"{draw(st.integers(10, 99))}{draw(st.integers(0, 9_999_999)):07d}",  # KATO
                f"{day % 24}:{month * 4:02d}",
                f"{day},{month} %",
                f"A-{year}-{amount % 1_000_000:06d}",
            ]
        )
    )


@st.composite
def prose(draw: st.DrawFn) -> list[str]:
    """Words in Kazakh, Russian and English with readable numbers between them."""
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        parts.append(draw(words))
        if draw(st.booleans()):
            parts.append(draw(innocent_numbers()))
    return parts


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@settings(max_examples=200, deadline=None)
@given(
    before=prose(),
    between=prose(),
    end=prose(),
    phone=phones(),
    iin=identifiers(),
    email=emails,
    label=labels,
    stops=st.tuples(after, after, after),
)
def test_redaction_masks_every_number_and_keeps_the_rest(
    before: list[str],
    between: list[str],
    end: list[str],
    phone: tuple[str, str],
    iin: tuple[str, str],
    email: str,
    label: str,
    stops: tuple[str, str, str],
) -> None:
    personal = [f"{label} {phone[0]}{stops[0]}", f"{label} {iin[0]}{stops[1]}"]
    text = " ".join([*before, personal[0], *between, personal[1], *end, f"{email}{stops[2]}"])
    shown = redact(text)
    assert phone[1] not in _digits(shown) and iin[1] not in _digits(shown), shown
    assert email not in shown
    # and not a digit more is lost: every date, year, amount and code is still there
    readable = " ".join([*before, *between, *end])
    assert _digits(shown) == _digits(readable), shown
    assert "[phone]" in shown and "[IIN]" in shown and "[e-mail]" in shown


@settings(max_examples=200, deadline=None)
@given(phone=phones(), iin=identifiers(), glue=st.sampled_from([" ", " / ", ", ", "\u00a0", " - "]))
def test_numbers_side_by_side_are_all_masked(
    phone: tuple[str, str], iin: tuple[str, str], glue: str
) -> None:
    """An IIN and a phone (or a date and a phone) one after the other make one long run of
    digits: each number in it is found."""
    for text in (
        f"{iin[0]}{glue}{phone[0]}",
        f"{phone[0]}{glue}{iin[0]}",
        f"12.05.2024 {phone[0]}",
    ):
        shown = _digits(redact(text))
        assert phone[1] not in shown and phone[1][3:] not in shown, (text, redact(text))
        if iin[0] in text:
            assert iin[1] not in shown and iin[1][4:] not in shown, (text, redact(text))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app and database for all examples (hypothesis runs the test body many times)."""
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('privacy') / 'privacy.db'}")
    upgrade(db)
    with TestClient(create_app(Settings(database_url=db.url), db=db)) as client:
        yield client
    db.dispose()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    iin=identifiers(iins()),
    phone=phones(),
    email=emails,
    filler=st.lists(words, min_size=2, max_size=8),
)
def test_public_views_never_show_personal_data(
    client: TestClient,
    iin: tuple[str, str],
    phone: tuple[str, str],
    email: str,
    filler: list[str],
) -> None:
    written, digits = phone
    text = (
        f"{' '.join(filler)} Курчатов жол. Менің ЖСН {iin[0]}, тел. {written}, "
        f"пошта {email}. Хабарласыңыз."
    )
    body = {
        "text": text,
        "kind": "complaint",
        "kato": "101800000",
        "public": True,
        "applicant": {
            "name": "Айгерім Сапарова",
            "email": email,
            "iin": iin[1],
            "phone": "+7" + digits,
        },
    }
    created = client.post("/api/v1/appeals", json=body)
    assert created.status_code == 201, created.text
    number = created.json()["number"]
    public = [
        client.get(f"/api/v1/appeals/{number}").text,
        client.get("/api/v1/appeals", params={"per_page": 100}).text,
    ]
    for shown in public:
        assert iin[1] not in shown and iin[1] not in _digits(shown)
        assert digits not in _digits(shown)
        assert email not in shown
        assert "Айгерім Сапарова" not in shown
    own = client.get(
        f"/api/v1/appeals/{number}", headers={"X-Access-Code": created.json()["access_code"]}
    ).json()
    assert own["applicant"]["iin"] == iin[1]  # the applicant still sees their own data
