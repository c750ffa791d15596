"""Representatives on SQLite and PostgreSQL: CSV imports through the CLI and the API (the same
file twice changes nothing; a corrected file updates; a bad file stores nothing and names its
lines), a deputy's page with mandate, attendance, votes and cost, each with its source, the
factions, and refused input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from arna.accounts.actions import create_token, create_user
from arna.cli import app
from arna.core.actors import system
from arna.core.db import Database
from arna.core.settings import Settings
from arna.representatives.models import Attendance, Deputy, VoteRecord
from tests.conftest import BACKENDS
from tests.oversight.site import Site, serve

runner = CliRunner()
DEPUTIES = """id,name,legislature,party,mandate,constituency,region_kato,valid_from,valid_to,source
d-one,Асқар Тестов,mazhilis-8,amanat,single_member,Округ №3,750000000,2023-03-29,2026-06-30,https://parlam.kz/deputy/1
d-two,Мария Тестова,mazhilis-8,akzhol,party_list,,,2023-03-29,2026-06-30,https://parlam.kz/deputy/2
d-three,Бауыржан Тестов,mazhilis-8,,single_member,Округ №7,710000000,2023-03-29,2026-06-30,https://parlam.kz/deputy/3
"""
ATTENDANCE = """deputy,date,present,source
d-one,2026-03-04,yes,https://parlam.kz/sitting/2026-03-04
d-one,2026-03-11,no,https://parlam.kz/sitting/2026-03-11
d-one,2026-03-18,yes,https://parlam.kz/sitting/2026-03-18
d-two,2026-03-04,yes,https://parlam.kz/sitting/2026-03-04
"""
VOTES = """vote_id,date,title,deputy,choice,source
v-101,2026-03-04,О бюджете,d-one,for,https://parlam.kz/vote/101
v-101,2026-03-04,О бюджете,d-two,against,https://parlam.kz/vote/101
v-102,2026-03-11,О дорогах,d-one,absent,https://parlam.kz/vote/102
v-102,2026-03-11,О дорогах,d-two,for,https://parlam.kz/vote/102
"""


def seed(db: Database, settings: Settings) -> None:
    create_user(
        db, email="admin@example.kz", password="a-long-password-1", role="admin", body_id=None,
        actor=system("test"),
    )  # fmt: skip


@pytest.fixture(scope="module", params=BACKENDS)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    yield from serve(request, tmp_path_factory, seed)


def cli(site: Site, tmp_path: Path, kind: str, text: str) -> Any:
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARNA_DATABASE_URL", site.db.url)
        return runner.invoke(app, ["deputies", "import", kind, str(path), "--json"])


def counts(result: Any) -> dict[str, tuple[int, int, int]]:
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    return {t["table"]: (t["inserted"], t["updated"], t["unchanged"]) for t in found["tables"]}


def stored(db: Database) -> tuple[int, int, int]:
    with db.read() as session:
        return tuple(  # type: ignore[return-value]
            int(session.scalar(select(func.count()).select_from(t)) or 0)
            for t in (Deputy, Attendance, VoteRecord)
        )


def test_importing_the_same_files_twice_changes_nothing(site: Site, tmp_path: Path) -> None:
    first = [cli(site, tmp_path, k, t) for k, t in
             (("deputies", DEPUTIES), ("attendance", ATTENDANCE), ("votes", VOTES))]  # fmt: skip
    assert counts(first[0]) == {"deputies": (3, 0, 0)}
    assert counts(first[1]) == {"deputy_attendance": (4, 0, 0)}
    assert counts(first[2]) == {"roll_calls": (2, 0, 0), "vote_records": (4, 0, 0)}
    again = [cli(site, tmp_path, k, t) for k, t in
             (("deputies", DEPUTIES), ("attendance", ATTENDANCE), ("votes", VOTES))]  # fmt: skip
    assert counts(again[0]) == {"deputies": (0, 0, 3)}
    assert counts(again[1]) == {"deputy_attendance": (0, 0, 4)}
    assert counts(again[2]) == {"roll_calls": (0, 0, 2), "vote_records": (0, 0, 4)}
    assert stored(site.db) == (3, 4, 4)
    corrected = ATTENDANCE.replace("d-one,2026-03-11,no", "d-one,2026-03-11,yes")
    assert counts(cli(site, tmp_path, "attendance", corrected)) == {"deputy_attendance": (0, 1, 3)}
    counts(cli(site, tmp_path, "attendance", ATTENDANCE))  # as it was, for the other tests


@pytest.mark.parametrize(
    ("kind", "text", "lines"),
    [
        ("deputies", DEPUTIES.replace("amanat,single", "green,single"), [2]),
        ("deputies", DEPUTIES.replace("2023-03-29,2026", "29.03.2023,2026", 1), [2]),
        ("deputies", DEPUTIES + DEPUTIES.splitlines()[1] + "\n", [5]),
        ("attendance", ATTENDANCE.replace("d-two,2026-03-04,yes", "d-nobody,2026-03-04,yes"), [5]),
        ("attendance", ATTENDANCE.replace(",no,", ",maybe,"), [3]),
        ("votes", VOTES.replace("d-two,against", "d-two,against-ish"), [3]),
        ("votes", VOTES.replace("2026-03-11,О дорогах,d-two", "2026-03-12,О дорогах,d-two"), [5]),
    ],
)
def test_a_file_with_a_bad_row_stores_nothing_and_names_the_line(
    site: Site, tmp_path: Path, kind: str, text: str, lines: list[int]
) -> None:
    before = stored(site.db)
    if kind == "deputies":  # a new deputy in a bad file must not arrive either
        text = text + "d-new,Новый Тестов,mazhilis-8,,party_list,,,2023-03-29,,https://x.kz/1\n"
    result = cli(site, tmp_path, kind, text)
    assert result.exit_code == 2
    assert "nothing imported" in result.output
    for line in lines:
        assert f"line {line}:" in result.output
    assert stored(site.db) == before


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\xff\xfeid,name\n", "not UTF-8"),
        (b"deputy,day,present,source\n", "missing date"),
        (b"deputy,date,present,source,colour\n", "unknown colour"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(
    site: Site, tmp_path: Path, data: bytes, says: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARNA_DATABASE_URL", site.db.url)
        result = runner.invoke(app, ["deputies", "import", "attendance", str(path)])
    assert result.exit_code == 2 and says in result.output


def test_the_api_imports_for_administrators_only(site: Site) -> None:
    url = "/api/v1/representatives/imports/deputies"
    anonymous = site.client.post(url, content=DEPUTIES.encode())
    assert anonymous.status_code == 403
    token = create_token(site.db, email="admin@example.kz", actor=system("test"))
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/csv"}
    answer = site.client.post(url, content=DEPUTIES.encode(), headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["rows"] == 3
    bad = site.client.post(url, content=b"id,name\n", headers=headers)
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")


def test_a_deputy_s_page_shows_mandate_attendance_votes_and_cost_with_sources(
    site: Site, tmp_path: Path
) -> None:
    for kind, text in (("deputies", DEPUTIES), ("attendance", ATTENDANCE), ("votes", VOTES)):
        counts(cli(site, tmp_path, kind, text))
    data = site.client.get("/api/v1/representatives/deputies/d-one?lang=ru").json()
    deputy = data["deputy"]
    assert deputy["mandate"] == "single_member" and deputy["constituency"] == "Округ №3"
    assert deputy["party_name"] == "Партия «AMANAT»"
    assert deputy["attendance"]["count"] == 2 and deputy["attendance"]["n"] == 3
    assert deputy["voted"]["count"] == 1 and deputy["voted"]["n"] == 2
    assert data["choices"] == {"for": 1, "against": 0, "abstain": 0, "absent": 1}
    assert [v["id"] for v in data["votes"]] == ["v-102", "v-101"]
    assert all(c["source"] for c in data["costs"]) and data["costs"][0]["year"] == 2026
    page = site.client.get("/deputies/d-one?lang=en").text
    assert "Асқар Тестов" in page and "single-member district: Округ №3" in page
    assert 'href="https://parlam.kz/deputy/1"' in page  # the mandate's source
    assert 'href="https://parlam.kz/sitting/2026-03-04"' in page  # attendance's source
    assert 'href="https://parlam.kz/vote/101"' in page  # a vote's source
    assert "informburodata.com" in page  # the cost lines' source
    assert 'id="attendance">67' in page.replace("\u202f", "").replace(" ", "")
    assert site.client.get("/deputies/d-nobody").status_code == 404
    assert site.client.get("/api/v1/representatives/deputies/d-nobody").status_code == 404


def test_factions_add_up_their_deputies(site: Site, tmp_path: Path) -> None:
    for kind, text in (("deputies", DEPUTIES), ("attendance", ATTENDANCE), ("votes", VOTES)):
        counts(cli(site, tmp_path, kind, text))
    factions = {f["party"]: f for f in site.client.get("/api/v1/representatives/factions").json()}
    assert factions["amanat"]["deputies"] == 1 and factions[None]["deputies"] == 1
    assert factions["amanat"]["attendance"]["count"] == 2
    listing = site.client.get("/deputies?lang=kk").text
    assert 'data-deputy="d-two"' in listing and "«Ақ жол»" in listing
    costs = site.client.get("/api/v1/representatives/costs").json()
    assert any(c["derived"] for c in costs) and all(c["source"] for c in costs)
