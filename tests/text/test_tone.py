"""The tone model on texts written for these tests (never in any training or tuning set)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from arna.app import create_app
from arna.core.settings import Settings
from arna.text.analysis import analyze, analyze_many


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("Kazakhstan is so beautiful, visited Charyn canyon last week 😍", "positive"),
        ("The bus to the airport leaves every 30 minutes from the central station.", "neutral"),
        ("Автобус до аэропорта отправляется каждые полчаса с центрального вокзала.", "neutral"),
        ("Подскажите, пожалуйста, до какого числа принимают документы на субсидию?", "neutral"),
        ("Третий месяц нет горячей воды, никто не отвечает, это издевательство!", "negative"),
        ("Hot water has been off for three months and nobody answers. Disgraceful.", "negative"),
        ("Рахмет, жолды тез жөндеп берді, өте ризамыз!", "positive"),
        ("Ауылда жарық үш күннен бері жоқ, ешкім жауап бермейді.", "negative"),
    ],
)
def test_tone_of_plain_texts(text: str, tone: str) -> None:
    found = analyze(text)
    assert found.sentiment == tone, found.tone
    assert abs(sum(found.tone) - 1) < 1e-3
    assert found.sentiment_score == pytest.approx(found.tone[2] - found.tone[0], abs=2e-4)


def test_tone_toward_each_mention_is_read_in_its_own_sentence() -> None:
    [found] = analyze_many(
        [
            "Спасибо полиции, быстро нашли угнанную машину. "
            "А водоканал третью неделю не может починить трубу, безобразие!"
        ]
    )
    assert found.target_sentiment["police"] == "positive"
    assert found.target_sentiment["utility_company"] == "negative"


def test_shares_endpoint_counts_cells_and_rejects_bad_requests(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'a.db'}")
    texts = [
        {"text": "Третий месяц нет горячей воды, никто не отвечает!", "region": "Abai"},
        {"text": "Спасибо, дорогу отремонтировали быстро и хорошо", "region": "Abai"},
        {"text": "Hot water has been off for weeks and nobody answers.", "region": ["Abai", "x"]},
    ]
    with TestClient(create_app(settings)) as client:
        ok = client.post("/api/v1/text/shares", json={"texts": texts, "by": ["region"]})
        assert ok.status_code == 200, ok.text
        cells = {c["keys"]["region"]: c for c in ok.json()["cells"]}
        assert cells["Abai"]["n"] == 3 and cells["x"]["n"] == 1
        assert cells["x"]["status"] == "one_text"
        negative = cells["Abai"]["shares"]["negative"]
        assert negative["low"] <= negative["corrected"] <= negative["high"]
        assert negative["cc"] == pytest.approx(2 / 3, abs=1e-3)
        for bad in (
            {"texts": [], "by": ["region"]},
            {"texts": texts, "by": ["nowhere"]},
            {"texts": [{"text": "a", "region": 5}], "by": ["region"]},
            {"texts": [{"text": "  "}]},
            {"texts": [{"text": "a"}] * 5_001},
        ):
            r = client.post("/api/v1/text/shares", json=bad)
            assert r.status_code == 422, (r.status_code, r.text[:200])
