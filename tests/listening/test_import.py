"""`arna listen import` and `arna listen stats`: each post stored once, copies counted once,
re-imports change nothing, bad rows reported by line, no handle stored."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from arna.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ARNA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ARNA_SECRET_KEY", "s" * 40)
    return tmp_path / "data"


def _import(path: Path, *args: str) -> dict[str, object]:
    result = runner.invoke(app, ["listen", "import", str(path), *args, "--json"])
    assert result.exit_code == 0, result.output
    found: dict[str, object] = json.loads(result.stdout)
    return found


def _import_posts(tmp_path: Path, posts: list[dict[str, object]], source: str) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in posts), "utf-8")
    _import(path, "--format", "jsonl", "--source", source)


def _stored(data_dir: Path) -> list[tuple[object, ...]]:
    files = str(data_dir / "listening" / "posts" / "day=*" / "*.parquet")
    with duckdb.connect() as con:
        return con.execute(
            f"SELECT * EXCLUDE (published_at) FROM read_parquet('{files}', hive_partitioning=false)"
            " ORDER BY source, post_id"
        ).fetchall()


POSTS = [
    {"id": 1, "published_at": "2026-03-01T09:00:00+05:00", "author": "@nurlan_a",
     "text": "Когда отремонтируют дорогу на Сейфуллина? https://t.co/abc"},
    {"id": 2, "published_at": "2026-03-01T09:05:00+05:00", "author": "bot_001",
     "text": "когда отремонтируют дорогу на Сейфуллина!! https://bit.ly/x"},
    {"id": 3, "published_at": "2026-03-02T23:30:00+05:00", "author": "bot_002",
     "text": "Когда отремонтируют   дорогу на Сейфуллина?"},
    {"id": 4, "published_at": "2026-03-02T19:30:00Z", "author": "@nurlan_a",
     "text": "Спасибо акимату за новый сквер"},
    {"id": 5, "published_at": "yesterday", "text": "Нет света"},
]  # fmt: skip


def test_a_second_import_stores_nothing_and_copies_count_once(
    tmp_path: Path, data_dir: Path
) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in POSTS), "utf-8")
    first = _import(path, "--format", "jsonl", "--source", "vk:astana")
    assert (first["inserted"], first["duplicate"], first["unchanged"], first["bad_rows"]) == (
        2, 2, 0, 1,
    )  # fmt: skip
    assert first["errors"] == [{"line": 5, "message": first["errors"][0]["message"]}]  # type: ignore[index]
    stored = _stored(data_dir)
    files = sorted((data_dir / "listening").rglob("*.parquet"))
    again = _import(path, "--format", "jsonl", "--source", "vk:astana")
    assert (again["inserted"], again["duplicate"], again["unchanged"]) == (0, 0, 4)
    assert (
        _stored(data_dir) == stored and sorted((data_dir / "listening").rglob("*.parquet")) == files
    )
    # Days are Kazakhstan's: 19:30 UTC on 2 March is 00:30 on 3 March in Astana.
    days = sorted(p.parent.name for p in files if p.parent.parent.name == "posts")
    assert days == ["day=2026-03-01", "day=2026-03-02", "day=2026-03-03"]

    stats = runner.invoke(app, ["listen", "stats", "--json"])
    figures = json.loads(stats.stdout)
    assert (figures["posts"], figures["distinct_texts"], figures["copies"]) == (4, 2, 2)
    assert figures["authors"] == 3
    copies = {row[1]: row[10] for row in stored}  # post_id → copy_of
    assert copies == {"1": None, "2": "vk:astana/1", "3": "vk:astana/1", "4": None}


def test_no_handle_is_stored(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in POSTS[:4]), "utf-8")
    _import(path, "--format", "jsonl", "--source", "vk:astana")
    authors = {row[3] for row in _stored(data_dir)}
    assert len(authors) == 3 and all(a.startswith("a_") for a in authors)
    assert not {"@nurlan_a", "bot_001", "bot_002"} & authors


def test_each_format_imports_once(tmp_path: Path) -> None:
    csv_file = tmp_path / "comments.csv"
    csv_file.write_text(
        "post,body,date\n7,Автобус не пришёл,2026-02-10T08:00:00+05:00\n8,,2026-02-10T08:00:00Z\n",
        "utf-8",
    )
    telegram = tmp_path / "result.json"
    telegram.write_text(
        json.dumps({"name": "Шымкент", "messages": [
            {"id": 1, "type": "message", "date": "2026-01-05T09:00:00", "from_id": "user9",
             "text": "Су жоқ үш күн"},
        ]}, ensure_ascii=False),
        "utf-8",
    )  # fmt: skip
    feed = tmp_path / "feed.xml"
    feed.write_text(
        "<rss version='2.0'><channel><title>News</title><item><guid>a</guid>"
        "<pubDate>Mon, 02 Mar 2026 07:00:00 GMT</pubDate><description>Roads are bad"
        "</description></item></channel></rss>",
        "utf-8",
    )
    parquet = tmp_path / "comments.parquet"
    when = [datetime(2026, 2, 11, 3, tzinfo=UTC), datetime(2026, 2, 11, 4, tzinfo=UTC)]
    table = {"post": [7, 8], "body": ["Әкімдік жолды жөндемейді", ""], "date": when}
    pq.write_table(pa.table(table), parquet)
    columns = "id=post,text=body,published_at=date"
    runs = [
        (csv_file, ["--format", "csv", "--source", "site", "--map", columns]),
        (parquet, ["--format", "parquet", "--source", "pq", "--map", columns]),
        (telegram, ["--format", "telegram"]),
        (feed, ["--format", "rss"]),
    ]  # fmt: skip
    for path, args in runs:
        first, second = _import(path, *args), _import(path, *args)
        assert first["inserted"] == 1 and second["unchanged"] == 1 and second["inserted"] == 0


def test_an_unreadable_file_is_refused_whole(tmp_path: Path, data_dir: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"id": 1, "text": "\xcf\xf0\xe8"}\n')
    result = runner.invoke(app, ["listen", "import", str(bad), "--format", "jsonl"])
    assert result.exit_code == 2 and "line 1: not UTF-8" in result.output
    missing = runner.invoke(
        app, ["listen", "import", str(tmp_path / "nope.csv"), "--format", "csv"]
    )
    assert missing.exit_code == 2
    no_columns = tmp_path / "x.csv"
    no_columns.write_text("a,b\n1,2\n", "utf-8")
    result = runner.invoke(app, ["listen", "import", str(no_columns), "--format", "csv"])
    assert result.exit_code == 2 and "--map" in result.output
    assert not (data_dir / "listening").exists()


def test_each_post_is_stored_with_what_the_text_slice_reads(tmp_path: Path, data_dir: Path) -> None:
    posts = [
        {"id": "a", "published_at": "2026-04-01T10:00:00+05:00",
         "text": "Акимат Караганды опять ничего не делает, дороги разбиты, позор!"},
        {"id": "b", "published_at": "2026-04-01T11:00:00+05:00", "region": "Павлодар",
         "text": "Thank you for the new playground, the kids love it!"},
        {"id": "c", "published_at": "2026-04-01T12:00:00+05:00", "region": "751110000",
         "text": "Сегодня в городе прошёл концерт."},
    ]  # fmt: skip
    _import_posts(tmp_path, posts, "site")
    files = str(data_dir / "listening" / "posts" / "day=*" / "*.parquet")
    with duckdb.connect() as con:
        rows = con.execute(
            "SELECT post_id, lang, tone_negative, tone_positive, targets, target_tones, kato,"
            f" region_kato FROM read_parquet('{files}') ORDER BY post_id"
        ).fetchall()
    a, b, c = rows
    assert a[1] == "ru" and a[2] > a[3] and a[4] == ["akimat"] and a[5] == ["negative"]
    assert a[7] == "350000000"  # Karaganda region, from the words
    assert b[1] == "en" and b[3] > b[2] and b[7] == "550000000"  # Pavlodar, from the hint
    assert c[6] == "751110000" and c[7] == "750000000"  # a KATO code as the hint


def test_the_export_holds_aggregates_of_cells_with_enough_authors_only(
    tmp_path: Path, data_dir: Path
) -> None:
    problems = [
        "не чистит снег, дворы завалены",
        "обещал отремонтировать дорогу и не сделал",
        "молчит о свалке у реки",
        "закрыл единственный каток",
        "не отвечает на жалобы",
        "снова поднял тарифы на парковку",
        "не вывозит мусор вторую неделю",
        "срубил деревья в парке",
        "игнорирует аварийный дом",
        "не починил светофор",
        "отменил автобус до дачи",
        "тратит деньги на фонтаны",
    ]
    posts = [
        {"id": f"k{i}", "author": f"user{i}", "published_at": f"2026-01-{10 + i % 3}T10:00:00Z",
         "text": f"Акимат Караганды {problem}"}
        for i, problem in enumerate(problems)
    ] + [
        {"id": f"p{i}", "author": f"other{i}", "published_at": "2026-01-11T10:00:00Z",
         "text": f"Павлодарда жаңа саябақ ашылды, рахмет! {i}"}
        for i in range(9)
    ] + [
        {"id": "copy", "author": "bot", "published_at": "2026-01-12T10:00:00Z",
         "text": "акимат караганды не чистит снег дворы завалены!!!"},
    ]  # fmt: skip
    _import_posts(tmp_path, posts, "site")
    out = tmp_path / "cells.csv"
    result = runner.invoke(
        app, ["listen", "export", "--format", "csv", "--by", "region", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "1 left out (fewer than 10 authors)" in result.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    [karaganda] = rows
    assert karaganda["region"] == "Karaganda Region"
    assert (karaganda["mentions"], karaganda["copies"], karaganda["authors"]) == ("12", "1", "13")
    assert float(karaganda["negative_low"]) <= float(karaganda["negative"])
    assert float(karaganda["negative"]) <= float(karaganda["negative_high"])
    assert not any("user" in v or "a_" in v for v in karaganda.values())
    parquet = tmp_path / "cells.parquet"
    result = runner.invoke(
        app, ["listen", "export", "--format", "parquet", "--by", "region,lang",
              "--period", "day", "--output", str(parquet)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with duckdb.connect() as con:
        [(n, authors)] = con.execute(
            f"SELECT count(*), min(authors) FROM read_parquet('{parquet}')"
        ).fetchall()
    assert n == 1 and authors >= 10
    bad = runner.invoke(app, ["listen", "export", "--format", "csv", "--by", "author"])
    assert bad.exit_code == 2 and "by: choose from" in bad.output


def test_near_copies_count_as_copies_of_the_first(tmp_path: Path, data_dir: Path) -> None:
    original = "Жители дома 12 по улице Абая третью неделю без горячей воды, ЖКХ не отвечает"
    posts = [
        {"id": "1", "published_at": "2026-05-01T08:00:00Z", "author": "a", "text": original},
        {"id": "2", "published_at": "2026-05-01T09:00:00Z", "author": "bot1",
         "text": original.replace("третью", "уже третью") + " #позор"},
        {"id": "3", "published_at": "2026-05-01T10:00:00Z", "author": "b",
         "text": "На улице Абая открыли новую библиотеку, заходите всей семьёй"},
    ]  # fmt: skip
    later = {"id": "4", "published_at": "2026-05-03T09:00:00Z", "author": "bot2",
             "text": "Репост: " + original}  # fmt: skip
    first = tmp_path / "first.jsonl"
    first.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in posts), "utf-8")
    counts = _import(first, "--format", "jsonl", "--source", "vk")
    assert (counts["inserted"], counts["duplicate"]) == (2, 1)
    second = tmp_path / "second.jsonl"  # a later import finds the stored original
    second.write_text(json.dumps(later, ensure_ascii=False), "utf-8")
    counts = _import(second, "--format", "jsonl", "--source", "vk")
    assert (counts["inserted"], counts["duplicate"]) == (0, 1)
    copies = {row[1]: row[10] for row in _stored(data_dir)}
    assert copies == {"1": None, "2": "vk/1", "3": None, "4": "vk/1"}


def test_the_api_gives_stats_and_public_aggregates_only(tmp_path: Path, data_dir: Path) -> None:
    from fastapi.testclient import TestClient

    from arna.app import create_app
    from arna.core.settings import Settings

    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{tmp_path / 'a.db'}")
    with TestClient(create_app(settings)) as client:
        empty = client.get("/api/v1/listening/aggregates")
        assert empty.status_code == 200 and empty.json()["cells"] == []
        posts = [
            {"id": i, "author": f"u{i % 11}", "published_at": "2026-02-02T10:00:00+05:00",
             "text": f"Почему {i} дней нет отопления в школе номер {i * 7}? Акимат Актобе молчит"}
            for i in range(30)
        ]  # fmt: skip
        _import_posts(tmp_path, posts, "site")
        stats = client.get("/api/v1/listening/stats").json()
        assert stats["posts"] == 30 and stats["authors"] == 11
        body = client.get("/api/v1/listening/aggregates", params={"by": "region,target"}).json()
        assert body["min_cell"] == 10 and "not a representative sample" in body["note"]
        [cell] = [c for c in body["cells"] if c["keys"]["target"] == "akimat"]
        assert cell["keys"]["region"] == "Aktobe Region" and cell["authors"] == 11
        assert cell["mentions"] + cell["copies"] == 30
        assert "u1" not in json.dumps(body) and "a_" not in json.dumps(body)
        bad = client.get("/api/v1/listening/aggregates", params={"by": "author"})
        assert bad.status_code in (400, 422) and "by: choose from" in bad.text


def test_a_parquet_time_without_a_zone_is_refused_by_row(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "naive.parquet"
    pq.write_table(
        pa.table({"id": [1], "text": ["Су жоқ"], "published_at": [datetime(2026, 2, 1)]}), path
    )
    found = _import(path, "--format", "parquet", "--source", "pq")
    assert found["inserted"] == 0 and found["bad_rows"] == 1
    assert "UTC offset" in found["errors"][0]["message"]  # type: ignore[index]


def test_the_operator_s_feeds_are_fetched_and_stored_once(tmp_path: Path, data_dir: Path) -> None:
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    (tmp_path / "feed.xml").write_text(
        "<rss version='2.0'><channel><title>City news</title>"
        "<item><guid>1</guid><pubDate>Mon, 02 Mar 2026 07:00:00 GMT</pubDate>"
        "<description>Жол жөнделмеді, әкімдік үндемейді</description></item>"
        "<item><guid>2</guid><pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate>"
        "<description>Автобусы ходят раз в час</description></item></channel></rss>",
        "utf-8",
    )
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        env = {"ARNA_LISTEN_FEEDS": f"{base}/feed.xml, {base}/missing.xml"}
        first = runner.invoke(app, ["listen", "fetch", "--json"], env=env)
        second = runner.invoke(app, ["listen", "fetch", "--json"], env=env)
    finally:
        server.shutdown()
        server.server_close()
    assert first.exit_code == 1 and second.exit_code == 1  # the missing feed is reported
    ok, missing = json.loads(first.stdout)["feeds"]
    assert ok["inserted"] == 2 and "HTTP 404" in missing["error"]
    again = json.loads(second.stdout)["feeds"][0]
    assert again["unchanged"] == 2 and again["inserted"] == 0
    bad = runner.invoke(app, ["listen", "fetch"], env={"ARNA_LISTEN_FEEDS": "file:///etc/passwd"})
    assert bad.exit_code == 2 and "not an http or https URL" in bad.output


def _rows(store_dir: Path) -> list[tuple[object, ...]]:
    files = str(store_dir / "posts" / "day=*" / "*.parquet")
    with duckdb.connect() as con:
        return con.execute(
            "SELECT * REPLACE (CAST(published_at AS VARCHAR) AS published_at)"
            f" FROM read_parquet('{files}', hive_partitioning=false) ORDER BY source, post_id"
        ).fetchall()


def test_an_import_stopped_while_reading_keeps_whole_days_and_a_rerun_completes_it(
    tmp_path: Path,
) -> None:
    """Days are written while later posts are read (store.DayWriter). An import that stops
    mid-way leaves whole days only, and running it again ends as one uninterrupted import."""
    from collections.abc import Callable, Iterator, Sequence
    from datetime import timedelta

    from arna.listening import actions, reading
    from arna.listening.sources import Post
    from arna.listening.store import Store

    texts = ["Су жоқ үш күн", "Автобус не пришёл", "Roads are bad near the akimat"]
    start = datetime(2026, 3, 1, 4, tzinfo=UTC)
    posts = [
        Post("vk", str(i), start + timedelta(hours=5 * i), f"{texts[i % 3]} {i}", f"a_{i % 4}")
        for i in range(30)  # about five posts a day over six days
    ]

    class Stopped(Exception):
        pass

    def stops_at(k: int) -> actions.Reader:
        def reader(
            batch: Sequence[Post], advance: Callable[[int], None] | None
        ) -> Iterator[dict[str, object]]:
            for n, row in enumerate(reading.read(batch, advance)):
                if n == k:
                    raise Stopped
                yield row

        return reader

    whole = Store(tmp_path / "whole")
    actions.import_posts(whole, posts)
    stopped = Store(tmp_path / "stopped")
    with pytest.raises(Stopped):
        actions.import_posts(stopped, posts, reader=stops_at(17))
    kept = _rows(stopped.root)
    days = {row[3] for row in kept}
    assert 0 < len(kept) < 17 and len(days) >= 2
    # Only whole days: every post of a kept day is kept.
    assert sorted(r[1] for r in kept) == sorted(r[1] for r in _rows(whole.root) if r[3] in days)
    again = actions.import_posts(stopped, posts)
    assert again.unchanged == len(kept) and again.inserted + again.duplicate == 30 - len(kept)
    assert _rows(stopped.root) == _rows(whole.root)  # every column is the post's, none its file's
    for store in (whole, stopped):
        assert all(len(list(d.glob("*.parquet"))) == 1 for d in store.posts.glob("day=*"))
        assert not store.unsummed()
