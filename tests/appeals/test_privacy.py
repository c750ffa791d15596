"""No public response carries an IIN, phone or e-mail from any submitted appeal."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arna.app import create_app
from arna.appeals.identity import iin_check_digit
from arna.core.db import Database
from arna.core.settings import Settings
from arna.maintenance.upgrade import upgrade


@st.composite
def iins(draw: st.DrawFn) -> str:
    while True:
        yy = draw(st.integers(0, 99))
        mm = draw(st.integers(1, 12))
        dd = draw(st.integers(1, 28))
        century = draw(st.integers(3, 6))
        serial = draw(st.integers(0, 9999))
        first11 = f"{yy:02d}{mm:02d}{dd:02d}{century}{serial:04d}"
        check = iin_check_digit(first11)
        if check is not None:
            return first11 + str(check)


@st.composite
def phones(draw: st.DrawFn) -> tuple[str, str]:
    """(as written, its 10 significant digits)."""
    prefix = draw(
        st.sampled_from(["700", "701", "702", "705", "707", "747", "771", "775", "777", "778"])
    )
    rest = f"{draw(st.integers(0, 9_999_999)):07d}"
    digits = prefix + rest
    style = draw(
        st.sampled_from(
            [
                "+7 {a} {b} {c} {d}",
                "8 ({a}) {b}-{c}-{d}",
                "8{a}{b}{c}{d}",
                "+7({a}){b}{c}{d}",
                "+7-{a}-{b}-{c}-{d}",
                "8 {a} {b} {c} {d}",
                "{a}{b}{c}{d}",
            ]
        )
    )
    written = style.format(a=prefix, b=rest[:3], c=rest[3:5], d=rest[5:])
    return written, digits


emails = st.from_regex(
    r"[a-z][a-z0-9]{1,8}(\.[a-z0-9]{1,6})?@(mail|gmail|inbox|bk)\.(kz|ru|com)", fullmatch=True
)
words = st.sampled_from(["жол", "шұңқыр", "дорога", "яма", "Курчатов", "көше", "road", "асфальт"])


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(iin=iins(), phone=phones(), email=emails, filler=st.lists(words, min_size=2, max_size=8))
def test_public_views_never_show_personal_data(
    tmp_path_factory: object, iin: str, phone: tuple[str, str], email: str, filler: list[str]
) -> None:
    client = _client()
    written, digits = phone
    text = (
        f"{' '.join(filler)} Курчатов жол. Менің ЖСН {iin}, тел. {written}, "
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
            "iin": iin,
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
        assert iin not in shown and iin not in _digits(shown)
        assert digits not in _digits(shown)
        assert email not in shown
        assert "Айгерім Сапарова" not in shown
    own = client.get(
        f"/api/v1/appeals/{number}", headers={"X-Access-Code": created.json()["access_code"]}
    ).json()
    assert own["applicant"]["iin"] == iin  # the applicant still sees their own data


_CLIENT: TestClient | None = None


def _client() -> TestClient:
    """One app and database for all examples (hypothesis runs the test body many times)."""
    global _CLIENT
    if _CLIENT is None:
        import tempfile

        path = Path(tempfile.mkdtemp()) / "privacy.db"
        db = Database(f"sqlite:///{path}")
        upgrade(db)
        _CLIENT = TestClient(create_app(Settings(database_url=db.url), db=db))
    return _CLIENT
