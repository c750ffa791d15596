"""The demo season (every state, answers that read like real ones, in the appeal's language),
the first run (`make demo` prints one list of logins; the README's commands work on what ships)
and the API's description."""

from __future__ import annotations

import json
import random
import re
import shlex
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from arna.app import create_app
from arna.appeals import demo, demo_texts
from arna.appeals.integrity import check_appeals
from arna.appeals.models import Appeal
from arna.cli import app
from arna.core import i18n
from arna.core.audit import AuditEvent, verify_chain
from arna.core.db import Database
from arna.core.settings import Settings
from arna.geo.reference import units
from tests.conftest import BACKENDS, DatabaseFactory, _factory

ROOT = Path(__file__).resolve().parents[2]


def _snapshot(db: object) -> list[tuple[str, str, str, int, str]]:
    with db.read() as session:  # type: ignore[attr-defined]
        rows = session.execute(
            select(
                Appeal.number, Appeal.text, Appeal.status, Appeal.escalation_depth, Appeal.body_id
            ).order_by(Appeal.id)
        )
        return [tuple(r) for r in rows]


def test_demo_is_deterministic_and_covers_every_state(
    databases: DatabaseFactory, monkeypatch: object
) -> None:
    import pytest

    mp = pytest.MonkeyPatch()
    mp.setattr(demo, "DAYS", 40)
    try:
        first, second = databases.ready(), databases.ready()
        as_of = date(2026, 11, 27)
        counts = demo.seed(first, 7, as_of)
        demo.seed(second, 7, as_of)
    finally:
        mp.undo()
    assert counts["appeals"] > 100
    snap = _snapshot(first)
    assert snap == _snapshot(second)
    statuses = {s for _, _, s, _, _ in snap}
    assert statuses == {"registered", "in_progress", "answered", "closed"}
    assert any(depth >= 2 for *_, depth, _ in snap)
    with first.read() as session:
        assert verify_chain(session).ok
        assert check_appeals(session, Settings()) == []  # every appeal as its log says
        assert {lang for (lang,) in session.execute(select(Appeal.language))} >= {"kk", "ru"}
    assert demo.seed(first, 7, as_of)["skipped"] == 1  # idempotent


def test_openapi_documents_appeals_with_examples(databases: DatabaseFactory) -> None:
    db = databases.ready()
    with TestClient(create_app(Settings(database_url=db.url), db=db)) as client:
        spec = client.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    expected = {
        ("/api/v1/appeals", "post"),
        ("/api/v1/appeals", "get"),
        ("/api/v1/appeals/{number}", "get"),
        ("/api/v1/appeals/{number}/answer", "post"),
        ("/api/v1/appeals/{number}/forward", "post"),
        ("/api/v1/appeals/{number}/extend", "post"),
        ("/api/v1/appeals/{number}/feedback", "post"),
        ("/api/v1/appeals/{number}/accept", "post"),
    }
    for path, method in expected:
        assert paths[path][method]["summary"], (path, method)
    schemas = spec["components"]["schemas"]
    assert schemas["AppealCreate"].get("examples")
    for name in ("AnswerIn", "ForwardIn", "ExtendIn", "FeedbackIn", "AppealCreated"):
        props = schemas[name]["properties"]
        assert any("examples" in p for p in props.values()), name
    assert "201" in paths["/api/v1/appeals"]["post"]["responses"]
    assert "AppealCreated" in str(paths["/api/v1/appeals"]["post"]["responses"]["201"])


# --- The demo season reads like a real one -------------------------------------------------

AS_OF = date(2026, 11, 27)


@pytest.fixture(scope="module", params=BACKENDS)
def season_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A 40-day demo season, seeded once per backend for the read-only checks below."""
    factory = _factory(str(request.param), tmp_path_factory.mktemp("season"))
    db = factory.ready()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(demo, "DAYS", 40)
        demo.seed(db, 7, AS_OF)
    yield db
    factory.close()


def _pattern(template: str) -> re.Pattern[str]:
    """A template as a pattern: its placeholders match any text."""
    parts = re.split(r"\{[a-z_]+\}", template)
    return re.compile(".+?".join(re.escape(p) for p in parts), re.S)


def _patterns(kind: str, lang: str) -> list[re.Pattern[str]]:
    return [_pattern(t) for t in demo_texts.season().common[(kind, lang)]]


def _cores(category: str, outcome: str, lang: str) -> list[str]:
    return [
        x.text
        for topic in demo_texts.season().topics
        if topic.category == category
        for x in topic.lines
        if x.kind == outcome and x.lang == lang
    ]


def test_demo_answers_say_what_was_done_in_the_appeals_language(season_db: Database) -> None:
    with season_db.read() as session:
        rows = session.execute(
            select(
                Appeal.number,
                Appeal.language,
                Appeal.category_id,
                Appeal.text,
                Appeal.outcome,
                Appeal.answer_text,
                Appeal.escalation_depth,
                Appeal.registered_at,
                Appeal.status,
            ).where(Appeal.answer_text.is_not(None))
        ).all()
    assert len(rows) > 40
    seen_cores: set[str] = set()
    outcomes: set[tuple[str, str]] = set()
    for number, lang, category, _, outcome, answer, depth, registered, _status in rows:
        assert "The matter was examined" not in answer and "Мәселе қаралды /" not in answer
        assert number in answer
        opener = answer.split("\n\n")[0]
        # A body above answers an appeal that climbed; one disputed and climbing again still
        # shows the answer it disputed (the first body's, or a body's above) until the next
        # body answers.
        kinds = ("opener_above", "opener_disputed", "opener") if depth else ("opener",)
        matched = {k for k in kinds for p in _patterns(k, lang) if p.match(opener)}
        assert matched, (lang, answer)
        above = "opener" not in matched
        if not above:  # the applicant's own date, written the way their language writes it
            assert i18n.fmt_date(registered, lang) in opener, answer
        given = [outcome] if outcome else demo_texts.OUTCOMES  # climbing again: not kept
        cores = [c for o in given for c in _cores(category, o, lang) if _pattern(c).search(opener)]
        assert cores, f"{number}: no {outcome} answer about {category} in {lang}: {answer}"
        seen_cores.update(cores)
        outcomes.add((outcome, lang))
        assert any(p.fullmatch(answer.split("\n\n")[-1]) for p in _patterns("sign", lang))
    assert len({r.answer_text for r in rows}) == len(rows)  # no two answers alike
    assert len(seen_cores) >= 25  # many different answers, not a few boilerplates
    for outcome in demo_texts.OUTCOMES:
        assert {(outcome, "kk"), (outcome, "ru")} <= outcomes


def test_demo_appeal_texts_and_reasons_are_varied_and_in_the_appeals_language(
    season_db: Database,
) -> None:
    with season_db.read() as session:
        appeals = {
            number: (lang, text)
            for number, lang, text in session.execute(
                select(Appeal.number, Appeal.language, Appeal.text)
            )
        }
        reasons = session.execute(
            select(AuditEvent.action, AuditEvent.entity_id, AuditEvent.reason).where(
                AuditEvent.action.in_(("appeal.forwarded", "appeal.extended", "appeal.disputed"))
            )
        ).all()
    templates = {
        (x.lang, x.text) for topic in demo_texts.season().topics for x in topic.lines
        if x.kind == "appeal"
    }  # fmt: skip
    used = {
        t for number, (lang, text) in appeals.items() for t in templates
        if t[0] == lang and _pattern(t[1]).fullmatch(text)
    }  # fmt: skip
    assert len(used) >= 30
    assert {lang for lang, _ in used} == {"kk", "ru", "en"}
    kinds = {"appeal.forwarded": "forward", "appeal.extended": "extension"}
    assert {action for action, _, _ in reasons} == {*kinds, "appeal.disputed"}
    for action, number, reason in reasons:
        lang = appeals[number][0]
        kind = kinds.get(action, "dispute")
        assert any(p.fullmatch(reason) for p in _patterns(kind, lang)), (action, lang, reason)


def test_every_problem_has_answers_for_every_outcome_in_every_language() -> None:
    season = demo_texts.season()
    assert len(season.topics) >= 15
    per_category: dict[tuple[str, str, str], int] = {}
    for topic in season.topics:
        for lang in demo_texts.LANGS:
            appeals = topic.appeals(lang)
            assert appeals, (topic.name, lang)
            for appeal in appeals:
                for outcome in demo_texts.OUTCOMES:
                    assert topic.answers(outcome, lang, appeal.tag), (topic.name, appeal.tag)
        for x in topic.lines:
            if x.kind != "appeal":
                key = (topic.category, x.kind, x.lang)
                per_category[key] = per_category.get(key, 0) + 1
            if x.lang == "kk":  # Kazakh endings depend on the word: none on a placeholder
                assert not re.search(r"\}[^\s.,:;!?)»\"–-]", x.text), x.text
    categories = {t.category for t in season.topics}
    for category in categories:
        for outcome in demo_texts.OUTCOMES:
            for lang in demo_texts.LANGS:
                assert per_category.get((category, outcome, lang), 0) >= 2, (category, outcome)
    # Every placeholder of every line is filled: answer every appeal of every topic.
    rng = random.Random(1)
    place = units()["101800000"]
    for topic in season.topics:
        for lang in demo_texts.LANGS:
            for appeal in topic.appeals(lang):
                story, _ = demo_texts.new_story(rng, lang, place)
                story = demo_texts.Story(topic, appeal.tag, lang, story.fields)
                assert "{" not in appeal.text.format(**story.fields)
                for outcome in demo_texts.OUTCOMES:
                    for core in topic.answers(outcome, lang, appeal.tag):
                        assert "{" not in core.format(
                            **story.fields, number="A-2026-000001", registered="", done="",
                            until="", year="2027", body="",
                        )  # fmt: skip


def test_place_labels_and_counted_nouns() -> None:
    table = units()
    assert demo_texts.place_label(table["101800000"], "kk") == "Абай облысы, Курчатов қаласы"
    assert demo_texts.place_label(table["101800000"], "en") == "Kurchatov, Abai Region"
    assert demo_texts.place_label(table["751110000"], "ru") == "город Алматы, Алмалинский район"
    assert demo_texts.place_label(table["751110000"], "en") == "Almaly District, Almaty"
    counted = [demo_texts.count_of(n, "days", "ru") for n in (1, 2, 5, 11, 21, 22, 112)]
    assert counted == ["1 день", "2 дня", "5 дней", "11 дней", "21 день", "22 дня", "112 дней"]
    assert demo_texts.count_of(3, "weeks", "en") == "3 weeks"
    assert demo_texts.count_of(3, "months", "kk") == "3 ай"


# --- First run: one list of logins, README commands that work ------------------------------

runner = CliRunner()


def test_the_demo_prints_one_list_of_logins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ARNA_DATABASE_URL", raising=False)
    monkeypatch.setenv("ARNA_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(demo, "DAYS", 3)
    result = runner.invoke(app, ["db", "seed-demo"])
    assert result.exit_code == 0, result.output
    printed = result.stdout
    assert printed.count(demo.DEMO_PASSWORD) == 1
    assert printed.count("/official/login") == 1
    for role, _, email in demo.DEMO_USERS:
        assert printed.count(email) == 1, email
        line = next(x for x in printed.splitlines() if email in x)
        assert line.split()[0] == role
    roles = [role for role, _, _ in demo.DEMO_USERS]
    assert roles.count("supervisor") == 2 and "official" in roles and "admin" in roles
    # `make demo` says nothing about logins itself: the list above is the only one.
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "seed-demo" in recipe
    assert "@demo.arna.kz" not in makefile and demo.DEMO_PASSWORD not in makefile
    # the README names only accounts that exist, with their password
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"[\w.]+@demo\.arna\.kz", readme))
    assert named and named <= {email for _, _, email in demo.DEMO_USERS}
    assert demo.DEMO_PASSWORD in readme
    again = runner.invoke(app, ["db", "seed-demo", "--json"])  # a second run: same list
    assert again.exit_code == 0, again.output
    logins = json.loads(again.stdout)["logins"]
    assert logins["password"] == demo.DEMO_PASSWORD
    assert [a["email"] for a in logins["accounts"]] == [e for _, _, e in demo.DEMO_USERS]


def _readme_commands() -> list[tuple[list[str], str]]:
    """The `arna` commands of the README's code blocks, with the comment that follows each."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```sh\n(.*?)```", readme, re.S):
        for line in block.splitlines():
            if line.startswith(".venv/bin/arna "):
                command, _, comment = line.partition("#")
                found.append((shlex.split(command)[1:], comment.strip()))
    return found


# Commands that read only the bundled data and the shipped example (the others change a
# database or take minutes, and have tests of their own).
READ_ONLY = ("clock add", "clock holidays", "geo find", "geo at", "route", "text analyze")


def test_the_readme_commands_run_against_what_ships(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands = _readme_commands()
    assert any(args[:2] == ["text", "analyze"] for args, _ in commands)
    for args, _ in commands:  # every file a command reads is in the repository
        for flag in ("--input",):
            if flag in args:
                assert (ROOT / args[args.index(flag) + 1]).is_file(), args
    (tmp_path / "var").mkdir()
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ARNA_DATA_DIR", str(tmp_path / "var"))
    ran = 0
    for args, comment in commands:
        if not any(" ".join(args).startswith(c) for c in READ_ONLY):
            continue
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.output)
        ran += 1
        if args[:2] == ["clock", "add"]:
            assert comment.split(":")[0] in result.stdout  # the README's own claim
        if args[:2] == ["text", "analyze"]:
            output = Path(args[args.index("--output") + 1])
            records = [json.loads(x) for x in output.read_text(encoding="utf-8").splitlines()]
            sample = (ROOT / args[args.index("--input") + 1]).read_text(encoding="utf-8")
            assert len(records) == len(sample.splitlines()) >= 9
            assert {r["lang"] for r in records} == {"kk", "ru", "en"}
            assert all(r["id"] and r["category"] and r["sentiment"] for r in records)
            assert sum(1 for r in records if r["place"]) >= len(records) // 2
    assert ran == len(READ_ONLY)


def test_the_readme_says_browser_tests_need_chromium() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "/usr/bin/chromium" in readme and ".ci/run" in readme
    assert 'CHROMIUM = Path("/usr/bin/chromium")' in (ROOT / "tests/web/browser.py").read_text(
        encoding="utf-8"
    )
    assert "apt-get install" in (ROOT / ".ci/run").read_text(encoding="utf-8")


def test_the_demo_season_has_shared_problems_me_too_and_problems_that_came_back(
    season_db: Database,
) -> None:
    from sqlalchemy import func

    from arna.appeals.models import Assignment
    from arna.oversight.queries.problems import shared_problems

    with season_db.read() as session:
        found = shared_problems(session, limit=1000)
        languages = session.execute(
            select(Appeal.problem_id, func.count(func.distinct(Appeal.language)))
            .where(Appeal.problem_id.is_not(None))
            .group_by(Appeal.problem_id)
        ).all()
        came_back = session.scalar(
            select(func.count()).select_from(Assignment).where(Assignment.came_back.is_(True))
        )
        unlinked = session.scalar(
            select(func.count()).select_from(Appeal).where(Appeal.problem_id.is_(None))
        )
    assert len(found) >= 10 and max(p.people for p in found) >= 5
    assert any(p.supporters for p in found) and any(p.appeals >= 3 for p in found)
    assert any(n >= 2 for _, n in languages)  # one problem told in two languages
    assert came_back and came_back >= 1
    assert unlinked is not None and unlinked <= 6  # filed after the season's last sweep
