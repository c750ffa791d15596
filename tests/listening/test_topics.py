"""Topics: ids that stay put as posts arrive, words per language, quotes that are real
sentences naming nobody; and the demo season that `make demo` loads, end to end."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from arna.app import API_PREFIX, create_app
from arna.cli import app
from arna.core.settings import Settings
from arna.listening import actions, demo, queries
from arna.listening.quotes import names_nobody
from arna.listening.store import Store, store_of
from arna.listening.terms import kazakh_stem, terms
from tests.listening.conftest import AS_OF

runner = CliRunner()


def test_terms_fold_inflections_and_drop_function_words() -> None:
    assert kazakh_stem("жолдарымызда") == "жол"
    assert kazakh_stem("жолға") == "жол"
    assert kazakh_stem("су") == "су"  # too short to lose anything
    ru = [s for s, _ in terms("Водоканалом недовольны, и это не впервые", "ru")]
    assert "и" not in ru and "это" not in ru
    assert ru[0] == "водоканал"
    assert [s for s, _ in terms("The roads and the road", "en")] == ["road", "road"]
    assert terms("Жолдар нашар", "kk")[0] == ("жол", "жолдар")


@pytest.mark.parametrize(
    ("sentence", "safe"),
    [
        ("Водоканал в Алматы опять отключил воду без предупреждения.", True),
        ("Әкімдік Атырау қаласындағы жолдарды жөндемейді.", True),
        ("КСК опять ничего не сделал, жильцы возмущены.", True),
        ("Позвоните мне 8 701 234 56 78, расскажу подробности.", False),
        ("Пишите на ivan.petrov@mail.kz если знаете что-то.", False),
        ("Спросите у @nurlan_a, он видел всё сам вчера.", False),
        ("Подробности на сайте https://example.kz/news сегодня.", False),
        ("Сосед Ерлан Касымов опять жалуется на водоканал.", False),
        ("Сериков из акимата опять не отвечает на звонки.", False),  # a surname first
        ("Пишите aidos_k в личку, расскажу подробнее.", False),  # a handle without its @
        ("Третий раз за неделю нет холодной воды, водоканал молчит.", True),
    ],
)
def test_a_quote_names_nobody(sentence: str, safe: bool) -> None:
    assert names_nobody(sentence) is safe


def _placed(store: Store) -> dict[str, str]:
    return dict(store.query("SELECT post, topic FROM placed"))


def test_the_demo_season_is_alive_and_its_episode_is_alerted(season: Settings) -> None:
    store = store_of(season)
    stats = queries.stats(store)
    # The bots' slogan is one text, however often it was posted.
    slogan = store.query(
        "SELECT count(*), count(copy_of) FROM posts WHERE text LIKE ?", [demo.SLOGAN + "%"]
    )[0]
    assert slogan[0] > 100 and slogan[1] >= slogan[0] - 3
    assert stats["copies"] >= slogan[1]
    found = queries.alerts(store, 12.0)
    atyrau = [
        a
        for a in found["alerts"]
        if a["region"] == "Atyrau Region" and a["target"] == "utility_company"
    ]
    assert atyrau, found["alerts"]
    assert date.fromisoformat(atyrau[0]["day"]) > AS_OF - timedelta(days=demo.EPISODE_DAYS)
    # The same seed and day give the same season.
    key = actions.author_key(season)
    assert demo.posts(7, AS_OF, key)[:50] == demo.posts(7, AS_OF, key)[:50]


def test_topic_ids_stay_put_and_new_posts_join_them(season: Settings, tmp_path: Path) -> None:
    shutil.copytree(season.data_dir, tmp_path / "copy")  # the season is shared: change a copy
    season = season.model_copy(update={"data_dir": tmp_path / "copy"})
    store = store_of(season)
    before = {t["id"]: t for t in store.read_topics()}
    placed = _placed(store)
    assert before and placed
    # A week later, more of the same talk arrives from another source.
    later = [
        dataclasses.replace(p, source="later", published_at=p.published_at + timedelta(days=7))
        for p in demo.posts(8, AS_OF, actions.author_key(season))[-1500:]
    ]
    actions.import_posts(store, later)
    update = actions.update_topics(store, season.min_cell, AS_OF + timedelta(days=7))
    after = {t["id"]: t for t in store.read_topics()}
    assert set(before) <= set(after)
    for topic_id, topic in before.items():
        assert after[topic_id]["proposed_on"] == topic["proposed_on"]
    numbers = [int(t.lstrip("T")) for t in before]
    assert all(int(t.lstrip("T")) > max(numbers) for t in update.proposed)
    now = _placed(store)
    assert {k: now[k] for k in placed} == placed  # nobody moved
    joined = [t for k, t in now.items() if k.startswith("later/")]
    assert sum(t in before for t in joined) > 0.5 * len(joined)


def test_topics_show_words_and_real_sentences_naming_nobody(season: Settings) -> None:
    store = store_of(season)
    found = queries.topics(store, season.min_cell)
    texts = [t for (t,) in store.query("SELECT text FROM posts")]
    assert found["topics"]
    for topic in found["topics"]:
        assert topic["authors"] >= season.min_cell
        assert set(topic["labels"]) <= {"kk", "ru", "en", "mixed", "other"}
        for quote in topic["quotes"]:
            assert any(quote["text"] in t for t in texts)
            assert names_nobody(quote["text"])
    langs = {lang for t in found["topics"] for lang in t["labels"]}
    assert {"kk", "ru", "en"} <= langs


def test_a_series_written_by_few_is_not_quoted(season: Settings) -> None:
    store = store_of(season)
    since = AS_OF - timedelta(days=13)
    assert queries.series_quotes(store, "utility_company", "230000000", since, 1)
    assert queries.series_quotes(store, "utility_company", "230000000", since, 10**6) == []


def test_topics_through_the_cli_and_the_api_hide_small_ones(
    season: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARNA_DATA_DIR", str(season.data_dir))
    monkeypatch.setenv("ARNA_SECRET_KEY", "s" * 40)
    result = runner.invoke(app, ["listen", "topics", "--json"])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.stdout)
    assert cli["topics"]
    client = TestClient(create_app(season.model_copy(update={"min_cell": 10**6})))
    body = client.get(f"{API_PREFIX}/listening/topics").json()
    assert body["topics"] == [] and body["suppressed"] == len(cli["topics"]) + cli["suppressed"]
    text = json.dumps(body) + json.dumps(cli)
    assert re.search(r"\ba_[0-9a-f]{20}\b", text) is None  # no author, not even a pseudonym
