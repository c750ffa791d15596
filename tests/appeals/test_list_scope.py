"""Lists and single reads follow one access rule: whatever a list shows, its caller can open,
and whatever a caller can open, a list shows (issue 12, defect 8)."""

from __future__ import annotations

from tests.appeals.conftest import ROAD_IN_KURCHATOV, Env

KURCHATOV = "akimat-101800000"  # a city akimat under the Abai region's
ABAI = "akimat-100000000"
ALMATY = "akimat-750000000"
IN_ALMATY = {**ROAD_IN_KURCHATOV, "text": "Алматыда жолда үлкен шұңқыр бар.", "kato": "750000000"}


def _listed(env: Env, headers: dict[str, str], body: str | None) -> set[str]:
    params: dict[str, str | int] = {"per_page": 100}
    if body:
        params["body"] = body
    r = env.client.get("/api/v1/appeals", params=params, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["total"] == len(r.json()["items"])
    return {item["number"] for item in r.json()["items"]}


def test_lists_show_exactly_what_can_be_opened(env: Env) -> None:
    def submit(body: dict[str, object], public: bool) -> str:
        r = env.client.post("/api/v1/appeals", json={**body, "public": public})
        assert r.status_code == 201, r.text
        return str(r.json()["number"])

    private_k, public_k = submit(ROAD_IN_KURCHATOV, False), submit(ROAD_IN_KURCHATOV, True)
    private_a, public_a = submit(IN_ALMATY, False), submit(IN_ALMATY, True)
    moved = submit(ROAD_IN_KURCHATOV, False)  # Kurchatov held it, Almaty holds it now
    kurchatov = env.auth(env.token("official", KURCHATOV, "k@akimat.kz"))
    r = env.client.post(
        f"/api/v1/appeals/{moved}/forward",
        json={"body_id": ALMATY, "reason": "the road is in Almaty"},
        headers=kurchatov,
    )
    assert r.status_code == 200, r.text
    body_of = {
        private_k: KURCHATOV,
        public_k: KURCHATOV,
        private_a: ALMATY,
        public_a: ALMATY,
        moved: ALMATY,
    }
    callers = {
        "anonymous": {},
        "Kurchatov's official": kurchatov,
        "Abai's official": env.auth(env.token("official", ABAI, "abai@akimat.kz")),
        "Abai's supervisor": env.auth(env.token("supervisor", ABAI, "sup@akimat.kz")),
        "Almaty's official": env.auth(env.token("official", ALMATY, "almaty@akimat.kz")),
        "an admin": env.auth(env.token("admin", None, "admin@arna.kz")),
    }
    for who, headers in callers.items():
        opens = {
            n
            for n in body_of
            if env.client.get(f"/api/v1/appeals/{n}", headers=headers).status_code == 200
        }
        assert _listed(env, headers, None) == opens, who
        for body in (KURCHATOV, ABAI, ALMATY):
            there = {n for n in opens if body_of[n] == body}
            assert _listed(env, headers, body) == there, (who, body)

    # the cases of the issue, spelled out: a plain official sees only public appeals of a body
    # under theirs and of another body
    abai = callers["Abai's official"]
    assert _listed(env, abai, KURCHATOV) == {public_k}
    assert _listed(env, abai, ALMATY) == {public_a}
    assert env.client.get(f"/api/v1/appeals/{private_k}", headers=abai).status_code == 404
    # a supervisor reads everything under their body, and nothing private elsewhere
    assert _listed(env, callers["Abai's supervisor"], KURCHATOV) == {private_k, public_k}
    # a body that held an appeal still reads it, and lists it under the body holding it now
    assert _listed(env, kurchatov, ALMATY) == {public_a, moved}
    assert _listed(env, callers["Almaty's official"], ALMATY) == {private_a, public_a, moved}
