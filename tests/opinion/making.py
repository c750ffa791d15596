"""Opening a consultation and voting in it through the API, for the tests."""

from __future__ import annotations

from pathlib import Path

from tests.appeals.conftest import Env

POLIS = Path(__file__).parent / "data" / "polis"
STATEMENTS = [
    "Автобустар жиірек жүруі керек",
    "Велосипед жолдары көбірек болуы керек",
    "Жол ақысы қымбаттамауы тиіс",
    "Метро желісін кеңейту керек",
    "Таксиге субсидия беру керек",
    "Аялдамаларда күтетін орын болуы керек",
    "Түнгі автобустар керек",
    "Жеке көлікке салық көбейсін",
]


def open_consultation(site: Env, admin: str, **extra: object) -> str:
    made = site.client.post(
        "/api/v1/consultations",
        json={
            "title": "Алматыдағы қоғамдық көлік",
            "question": "Қаладағы көлікті қалай жақсартамыз?",
            "statements": STATEMENTS,
            **extra,
        },
        headers=site.auth(admin),
    )
    assert made.status_code == 201, made.text
    return str(made.json()["number"])


def join(site: Env, number: str) -> str:
    joined = site.client.post(f"/api/v1/consultations/{number}/participants")
    assert joined.status_code == 201, joined.text
    return str(joined.json()["token"])


def two_camps(site: Env, number: str, each: int = 12) -> dict[str, list[str]]:
    """Two camps that disagree on statements 0-3 and 5-7 and all agree on 4; they join in turn
    (participants 0, 2, 4 … say yes, 1, 3, 5 … no), each erring on a statement or two."""
    camps: dict[str, list[str]] = {"yes": [], "no": []}
    for i in range(each):
        for camp, sign in (("yes", 1), ("no", -1)):
            token = join(site, number)
            camps[camp].append(token)
            for s in range(len(STATEMENTS)):
                value = 1 if s == 4 else sign if (s + i) % 5 else -sign
                vote = {1: "agree", -1: "disagree"}[value]
                done = site.client.post(
                    f"/api/v1/consultations/{number}/votes",
                    json={"token": token, "statement": s, "vote": vote},
                )
                assert done.status_code == 200, done.text
    return camps
