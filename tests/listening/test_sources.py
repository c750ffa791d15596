"""Reading public comments from files: every format into one shape, bad rows reported by line
and left out whole, authors only as keyed pseudonyms."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from arna.listening.sources import (
    SourceError,
    parse_mapping,
    pseudonym,
    read_csv,
    read_feed,
    read_jsonl,
    read_telegram,
)

KEY = b"k" * 32


def _jsonl(*records: object) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()


def test_jsonl_rows_become_posts_and_bad_rows_are_reported_by_line() -> None:
    data = (
        _jsonl(
            {
                "id": 17,
                "source": "vk:astana_news",
                "url": "https://vk.com/wall-1_17",
                "published_at": "2026-03-01T10:00:00+05:00",
                "author": "@Aigerim_K",
                "text": "Жолды қашан жөндейсіздер? Үш ай болды!",
                "reply_to": "12",
                "region": "Астана",
                "likes": 4,
            },
            {"id": 18, "published_at": "2026-03-01T10:00:00", "text": "Нет воды третий день"},
            {"id": 19, "published_at": "2026-03-01T11:00:00Z", "text": "😡😡😡"},
            {"id": 20, "published_at": "2026-03-01T11:00:00Z", "text": "ok fine", "likes": -1},
        )
        + b"\n{not json\n\n[1, 2]\n"
    )
    parsed = read_jsonl(data, KEY, source="import")
    [post] = parsed.posts
    assert post.post_id == "17" and post.source == "vk:astana_news"
    assert post.published_at == datetime(2026, 3, 1, 5, 0, tzinfo=UTC)
    assert post.author == pseudonym("@aigerim_k ", KEY) and "Aigerim" not in post.author
    assert (post.reply_to, post.region, post.likes) == ("12", "Астана", 4)
    assert [e.line for e in parsed.errors] == [2, 3, 4, 5, 7]
    messages = " ".join(e.message for e in parsed.errors)
    assert "UTC offset" in messages and "words" in messages and "≥ 0" in messages
    assert "not valid JSON" in messages and "JSON object" in messages


def test_pseudonyms_are_keyed() -> None:
    assert pseudonym("someone", KEY) == pseudonym("Someone", KEY)
    assert pseudonym("someone", KEY) != pseudonym("someone", b"x" * 32)
    assert pseudonym("someone", KEY) != pseudonym("someone else", KEY)


def test_a_file_that_is_not_utf8_is_refused_with_its_line() -> None:
    with pytest.raises(SourceError, match="line 2: not UTF-8"):
        read_jsonl(b'{"id": 1}\n{"text": "\xcf\xf0\xe8"}\n', KEY)


def test_csv_with_a_column_mapping_keeps_the_file_s_line_numbers() -> None:
    data = (
        "post,body,date,user\n"
        '1,"Автобус 12 не ходит,\nвторой день ждём",2026-02-10T08:00:00+05:00,ivan\n'
        "2,,2026-02-10T09:00:00+05:00,olga\n"
        "3,Рахмет әкімдікке!,yesterday,olga\n"
        "4,Thanks for fixing the lights,2026-02-10T09:30:00+05:00\n"
        "5,Good,2026-02-10T09:30:00+05:00,a,extra\n"
    ).encode()
    mapping = parse_mapping("id=post, text=body,published_at=date,author=user")
    parsed = read_csv(data, KEY, source="site:comments", mapping=mapping)
    assert [p.post_id for p in parsed.posts] == ["1"]
    assert parsed.posts[0].text == "Автобус 12 не ходит,\nвторой день ждём"
    assert [e.line for e in parsed.errors] == [4, 5, 6, 7]
    with pytest.raises(SourceError, match="lacks 'id', 'text', 'published_at'; say which"):
        read_csv(data, KEY, source="s")
    with pytest.raises(SourceError, match="unknown field"):
        parse_mapping("txt=body")


def test_a_telegram_export_gives_its_messages_with_words() -> None:
    export = {
        "name": "Алматы Online",
        "type": "public_channel",
        "id": 1234,
        "messages": [
            {"id": 1, "type": "service", "action": "pin_message", "date": "2026-01-05T09:00:00"},
            {
                "id": 2,
                "type": "message",
                "date": "2026-01-05T09:00:00",
                "from": "Дана",
                "from_id": "user555",
                "text": ["Опять пробки на ", {"type": "bold", "text": "Аль-Фараби"}, "!"],
                "reactions": [{"type": "emoji", "count": 3, "emoji": "👍"}, {"count": 2}],
            },
            {
                "id": 3,
                "type": "message",
                "date": "2026-01-05T10:00:00",
                "date_unixtime": "1767589200",
                "from_id": "user556",
                "text": "Согласен, каждый день так",
                "reply_to_message_id": 2,
            },
            {
                "id": 4,
                "type": "message",
                "date": "2026-01-05T10:05:00",
                "photo": "p.jpg",
                "text": "",
            },
            {"id": 5, "type": "message", "date": "05.01.2026", "text": "Когда починят?"},
        ],
    }
    parsed = read_telegram(json.dumps(export, ensure_ascii=False).encode(), KEY)
    first, second = parsed.posts
    assert first.source == "telegram:Алматы Online"
    assert first.text == "Опять пробки на Аль-Фараби!" and first.likes == 5
    assert first.author == pseudonym("user555", KEY)
    assert first.published_at.utcoffset() is not None and first.published_at.tzinfo == UTC
    assert second.published_at == datetime.fromtimestamp(1767589200, UTC)
    assert second.reply_to == "2"
    assert [e.line for e in parsed.errors] == [5]
    with pytest.raises(SourceError, match="no 'messages'"):
        read_telegram(b'{"name": "x"}', KEY)


def test_a_feed_gives_its_entries_as_plain_text() -> None:
    rss = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Kokshe news</title>
<item><guid>n1</guid><link>https://example.kz/n1</link>
<pubDate>Mon, 02 Mar 2026 07:00:00 GMT</pubDate><author>editor@example.kz</author>
<description>&lt;p&gt;Жители &lt;b&gt;жалуются&lt;/b&gt;
на отопление &amp;amp; воду&lt;/p&gt;</description></item>
<item><guid>n2</guid><description>No date here</description></item>
</channel></rss>""".encode()
    parsed = read_feed(rss, KEY)
    [post] = parsed.posts
    assert post.source == "feed:Kokshe news" and post.post_id == "n1"
    assert post.text == "Жители жалуются на отопление & воду"
    assert post.published_at == datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
    assert post.author is not None and "example" not in post.author
    assert [e.line for e in parsed.errors] == [2]
    with pytest.raises(SourceError, match="not an RSS or Atom feed"):
        read_feed(b"just some text", KEY)
