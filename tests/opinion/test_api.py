"""Consultations through the HTTP API against a real database: open, join, vote, add and
moderate statements, groups, map and consensus, and the refusals."""

from __future__ import annotations

from tests.appeals.conftest import Env
from tests.opinion.making import STATEMENTS, join, open_consultation, two_camps


def test_a_consultation_from_votes_to_groups(env: Env) -> None:
    admin = env.token("admin", None, "admin@example.kz")
    number = open_consultation(env, admin)
    shown = env.client.get(f"/api/v1/consultations/{number}").json()
    assert shown["status"] == "open" and shown["statements"] == len(STATEMENTS)
    assert shown["language"] == "kk"

    camps = two_camps(env, number)
    groups = env.client.get(f"/api/v1/consultations/{number}/groups", params={"fresh": True})
    assert groups.status_code == 200, groups.text
    found = groups.json()
    assert found["k"] == 2 and found["placed"] == 24
    sizes = sorted(g["size"] for g in found["groups"])
    assert sizes == [12, 12]
    # what everyone agreed on is the consensus; each group is represented by its side
    assert [(c["statement"], c["stance"]) for c in found["consensus"]][:1] == [(4, "agree")]
    assert all(g["representative"] for g in found["groups"])
    assert found["group_aware_consensus"][0]["statement"] == 4

    points = env.client.get(f"/api/v1/consultations/{number}/map").json()
    assert len(points) == 24
    by_group: dict[int, set[int]] = {}
    for p in points:
        by_group.setdefault(p["group"], set()).add(p["participant"])
    assert sorted(len(v) for v in by_group.values()) == [12, 12]
    # the camps are the groups: the even participants are one camp
    assert {frozenset(v) for v in by_group.values()} == {
        frozenset(range(0, 24, 2)),
        frozenset(range(1, 24, 2)),
    }

    # a changed vote replaces the earlier one in the counts
    token = camps["yes"][0]
    again = env.client.post(
        f"/api/v1/consultations/{number}/votes",
        json={"token": token, "statement": 4, "vote": "disagree"},
    )
    assert again.status_code == 200 and again.json()["votes_cast"] == len(STATEMENTS)
    counted = env.client.get(f"/api/v1/consultations/{number}/statements").json()
    assert (counted[4]["agree"], counted[4]["disagree"]) == (23, 1)
    assert env.client.get(f"/api/v1/consultations/{number}").json()["votes"] == 24 * 8 + 1


def test_statements_from_participants_wait_for_moderation(env: Env) -> None:
    admin = env.token("admin", None, "admin@example.kz")
    number = open_consultation(env, admin)
    token = join(env, number)
    first = env.client.get(
        f"/api/v1/consultations/{number}/next", headers={"X-Participant-Token": token}
    ).json()
    assert first["number"] == 0
    added = env.client.post(
        f"/api/v1/consultations/{number}/statements",
        json={"text": "Трамвай қайта оралсын", "token": token},
    )
    assert added.status_code == 201 and added.json()["status"] == "pending"
    new = added.json()["number"]
    # not open for votes before it is accepted
    early = env.client.post(
        f"/api/v1/consultations/{number}/votes",
        json={"token": token, "statement": new, "vote": "agree"},
    )
    assert early.status_code == 409
    pending = env.client.get(
        f"/api/v1/consultations/{number}/statements",
        params={"status": "pending"},
        headers=env.auth(admin),
    ).json()
    assert [s["number"] for s in pending] == [new]
    # the public sees accepted statements only
    public = env.client.get(
        f"/api/v1/consultations/{number}/statements", params={"status": "pending"}
    )
    assert new not in [s["number"] for s in public.json()]
    accepted = env.client.post(
        f"/api/v1/consultations/{number}/statements/{new}/moderation",
        json={"decision": "accepted"},
        headers=env.auth(admin),
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    voted = env.client.post(
        f"/api/v1/consultations/{number}/votes",
        json={"token": token, "statement": new, "vote": "agree"},
    )
    assert voted.status_code == 200
    # the same statement twice is refused
    twice = env.client.post(
        f"/api/v1/consultations/{number}/statements",
        json={"text": "трамвай қайта оралсын", "token": token},
    )
    assert twice.status_code == 422


def test_refusals(env: Env) -> None:
    admin = env.token("admin", None, "admin@example.kz")
    number = open_consultation(env, admin)
    token = join(env, number)
    votes = f"/api/v1/consultations/{number}/votes"
    assert (
        env.client.post(votes, json={"token": token, "statement": 99, "vote": "agree"}).status_code
        == 404
    )
    assert (
        env.client.post(votes, json={"token": token, "statement": 0, "vote": "maybe"}).status_code
        == 422
    )
    assert (
        env.client.post(
            votes, json={"token": "x" * 20, "statement": 0, "vote": "agree"}
        ).status_code
        == 404
    )
    assert env.client.post(
        votes, content=b"\xff\xfe", headers={"Content-Type": "application/json"}
    ).status_code in (400, 422)
    long = env.client.post(
        f"/api/v1/consultations/{number}/statements", json={"text": "ә" * 401, "token": token}
    )
    assert long.status_code == 422
    anonymous = env.client.post(
        f"/api/v1/consultations/{number}/statements", json={"text": "Жаңа ой"}
    )
    assert anonymous.status_code == 403
    assert env.client.get("/api/v1/consultations/C-2026-999999").status_code == 404
    huge = env.client.post(votes, json={"token": token, "statement": 10**30, "vote": "agree"})
    assert huge.status_code == 422
    far = env.client.post(
        f"/api/v1/consultations/{number}/statements/99999999999/moderation",
        json={"decision": "accepted"},
        headers=env.auth(admin),
    )
    assert far.status_code == 422
    # opening needs an official; an official of a body moderates only that body's consultations
    assert (
        env.client.post(
            "/api/v1/consultations", json={"title": "abc", "question": "abc"}
        ).status_code
        == 401
    )
    other = env.token("official", "akimat-750000000", "official@example.kz")
    refused = env.client.post(
        f"/api/v1/consultations/{number}/statements/0/moderation",
        json={"decision": "rejected"},
        headers=env.auth(other),
    )
    assert refused.status_code == 403
    own = open_consultation(env, other)
    assert env.client.get(f"/api/v1/consultations/{own}").json()["body_id"] == "akimat-750000000"
    closed = env.client.post(f"/api/v1/consultations/{own}/closing", headers=env.auth(other))
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    late = env.client.post(
        f"/api/v1/consultations/{own}/votes", json={"token": token, "statement": 0, "vote": "agree"}
    )
    assert late.status_code in (404, 409)  # the token belongs to another consultation
    assert env.client.post(f"/api/v1/consultations/{own}/participants").status_code == 409
