"""Signing: one person once in any formatting, exact counts under 10,000 concurrent signatures
(a real server; on PostgreSQL two server processes), floods refused per address and network
without touching anyone else, the confirmation step, surges and their invalidation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from arna.app import create_app
from arna.core import audit
from arna.core.actors import Actor
from arna.core.db import Database
from arna.core.settings import Settings
from arna.petitions.actions import lifecycle
from arna.petitions.actions.lifecycle import person_key
from arna.petitions.actions.signing import Signing, sign_batch
from arna.petitions.confirmation import Pending, seal_pending
from arna.petitions.models import Petition, Signature
from arna.petitions.schemas import PetitionCreate
from tests.appeals.conftest import Env, free_port
from tests.conftest import DatabaseFactory
from tests.petitions.conftest import ALMATY, PETITION, ROOMY, iins, sign

ADMIN = Actor("admin", name="system:test")
KEY = "petition-test-key-" + "x" * 32


def _open(db: Database, settings: Settings, cosigning: bool = False) -> str:
    """A petition collecting signatures (published, or waiting for co-signers)."""
    made = lifecycle.create_petition(db, settings, PetitionCreate.model_validate(PETITION))
    lifecycle.send_for_cosigning(db, settings, made.number, made.code)
    if cosigning:
        return made.number
    far = datetime.now(UTC) + timedelta(hours=1)
    batch = [
        Signing(Pending(made.number, person_key(settings, iin), "Co S.", ALMATY, far), f"co{n}")
        for n, iin in enumerate(iins(50, start=70_000))
    ]
    sign_batch(db, batch)
    lifecycle.moderate_petition(db, settings, ADMIN, made.number, approve=True)
    return made.number


def test_one_person_counts_once_however_the_iin_is_written(env: Env) -> None:
    number = _open(env.db, env.settings)
    iin = iins(1)[0]
    forms = [iin, f"{iin[:4]} {iin[4:8]} {iin[8:]}", f"{iin[:6]}-{iin[6:]}", f"{iin[:3]}.{iin[3:]}"]
    answers = [sign(env.client, number, form) for form in forms]
    assert [a["http"] for a in answers] == [201, 200, 200, 200]
    assert {a["signatures"] for a in answers} == {51}
    bad = dict(iin=iin[:11] + str((int(iin[11]) + 1) % 10))
    wrong = env.client.post(
        f"/api/v1/petitions/{number}/signing",
        json={**bad, "first_name": "A", "last_name": "B", "region": ALMATY},
    )
    assert wrong.status_code == 422 and "check digit" in wrong.text


def test_the_confirmation_step_is_needed_and_cannot_be_forged(env: Env) -> None:
    number = _open(env.db, env.settings)
    other = _open(env.db, env.settings)
    signer = {"iin": iins(1)[0], "first_name": "Дана", "last_name": "Ерланқызы", "region": ALMATY}
    preview = env.client.post(f"/api/v1/petitions/{number}/signing", json=signer)
    assert preview.status_code == 200 and preview.json()["shown_as"] == "Дана Е."
    assert env.client.get(f"/api/v1/petitions/{number}").json()["signatures"] == 50  # not yet
    token = preview.json()["confirmation"]
    assert iins(1)[0] not in token
    for forged in ("x" * 40, token[:-4] + "AAAA"):
        refused = env.client.post(
            f"/api/v1/petitions/{number}/signatures", json={"confirmation": forged}
        )
        assert refused.status_code == 422 and "sign again" in refused.text
    elsewhere = env.client.post(
        f"/api/v1/petitions/{other}/signatures", json={"confirmation": token}
    )
    assert elsewhere.status_code == 422 and number in elsewhere.text
    stale = seal_pending(
        env.settings,
        Pending(number, "p" * 64, "Old S.", ALMATY, datetime.now(UTC) - timedelta(minutes=1)),
    )
    expired = env.client.post(
        f"/api/v1/petitions/{number}/signatures", json={"confirmation": stale}
    )
    assert expired.status_code == 422 and "expired" in expired.text
    done = env.client.post(f"/api/v1/petitions/{number}/signatures", json={"confirmation": token})
    replay = env.client.post(f"/api/v1/petitions/{number}/signatures", json={"confirmation": token})
    assert (done.status_code, replay.status_code) == (201, 200)
    assert replay.json()["signatures"] == 51
    outside = env.client.post(
        f"/api/v1/petitions/{number}/signing", json={**signer, "region": "101000000"}
    )
    assert outside.status_code == 422  # a city is not a region


def test_a_flood_from_one_address_gets_429_and_others_sign(databases: DatabaseFactory) -> None:
    db = databases.ready()
    # 20 per address at once, as by default; refilled by the hour, not every 3 s as by default,
    # so that a slow machine's test does not see a new one come in
    settings = Settings(database_url=db.url, signature_limits="20/hour")
    app = create_app(settings, db=db)
    number = _open(db, settings)
    people = iins(40, start=1000)
    with TestClient(app, client=("203.0.113.7", 4000)) as flood:
        answers = [sign(flood, number, iin)["http"] for iin in people[:25]]
        assert answers[:20] == [201] * 20 and set(answers[20:]) == {429}
        refused = flood.post(
            f"/api/v1/petitions/{number}/signatures", json={"confirmation": "x" * 30}
        )
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        assert "wait" in refused.json()["detail"]
    with TestClient(app, client=("198.51.100.20", 4000)) as neighbour:
        assert [sign(neighbour, number, iin)["http"] for iin in people[25:30]] == [201] * 5
    with TestClient(app, client=("203.0.113.99", 4000)) as same_network:
        # another address of the flooding /24: its own quota is untouched
        assert sign(same_network, number, people[30])["http"] == 201
    with db.read() as session:
        petition = session.scalar(select(Petition).where(Petition.number == number))
        assert petition is not None and petition.signatures == 50 + 20 + 5 + 1


def test_a_network_has_its_own_limit(databases: DatabaseFactory) -> None:
    db = databases.ready()
    settings = Settings(database_url=db.url, signature_network_limits="30/hour")
    app = create_app(settings, db=db)
    number = _open(db, settings)
    people = iins(40, start=3000)
    codes = []
    for i, iin in enumerate(people[:35]):
        with TestClient(app, client=(f"192.0.2.{i + 1}", 4000)) as one:
            codes.append(sign(one, number, iin)["http"])
    assert codes[:30] == [201] * 30 and set(codes[30:]) == {429}
    with TestClient(app, client=("198.51.100.1", 4000)) as elsewhere:
        assert sign(elsewhere, number, people[36])["http"] == 201


def test_surges_are_found_and_invalidated_in_public(env: Env) -> None:
    number = _open(env.db, env.settings)
    far = datetime.now(UTC) + timedelta(hours=1)
    bot = [
        Signing(Pending(number, person_key(env.settings, i), "Bot B.", ALMATY, far), "ab" * 32)
        for i in iins(60, start=5000)
    ]
    sign_batch(env.db, bot)
    admin = env.auth(env.token("admin", None, "admin@example.kz"))
    found = env.client.get(f"/api/v1/petitions/{number}/surges", headers=admin)
    assert found.status_code == 200
    assert [(s["source"], s["count"]) for s in found.json()] == [("ab" * 32, 60)]
    assert env.client.get(f"/api/v1/petitions/{number}/surges").status_code == 401
    done = env.client.post(
        f"/api/v1/petitions/{number}/invalidations",
        json={"source": "ab" * 32, "reason": "60 signatures in 2 minutes from one network"},
        headers=admin,
    )
    assert done.status_code == 200 and done.json()["invalidated"] == 60
    public = env.client.get(f"/api/v1/petitions/{number}").json()
    assert public["signatures"] == 50 and public["invalidated"] == 60
    assert public["invalidations"][0]["count"] == 60
    assert "one network" in public["invalidations"][0]["reason"]
    # the same people signing again are known: an invalidated signature is not replaced
    again = sign_batch(env.db, bot[:1])[0]
    assert getattr(again, "counted", None) is False
    with env.db.read() as session:
        report = audit.verify(session, env.settings)
        assert report.ok, report.as_dict()


def _serve(db: Database, workers: int, log: BinaryIO) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "ARNA_DATABASE_URL": db.url,
        "ARNA_SECRET_KEY": KEY,
        "ARNA_TEXT_READERS": "0",
        "ARNA_SIGNATURE_LIMITS": "1000000/minute",
        "ARNA_SIGNATURE_NETWORK_LIMITS": "1000000/minute",
    }
    args = [str(Path(sys.executable).with_name("arna")), "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*args, "--workers", str(workers), "--no-access-log"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/v1/health", timeout=2).close()
            return server, base
        except (urllib.error.URLError, ConnectionError):
            assert time.monotonic() < deadline and server.poll() is None, log.name
            time.sleep(0.2)


def _post(url: str, body: bytes) -> int:
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    for _ in range(5):
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as exc:
            if exc.code != 503:
                return exc.code
            time.sleep(1)  # not stored: send it again, as Retry-After says
    return 503


def test_10000_concurrent_signatures_count_exactly(
    databases: DatabaseFactory, backend: str, tmp_path: Path
) -> None:
    db = databases.ready()
    settings = Settings(database_url=db.url, secret_key=KEY, **ROOMY)
    number = _open(db, settings)
    people = iins(9000, start=10_000)
    # 10,000 signatures of 9,000 people: 1,000 sign twice, the second time from elsewhere
    signers = people + people[:1000]
    far = datetime.now(UTC) + timedelta(minutes=30)
    bodies = [
        json.dumps(
            {
                "confirmation": seal_pending(
                    settings, Pending(number, person_key(settings, iin), "S S.", ALMATY, far)
                )
            }
        ).encode()
        for iin in signers
    ]
    with (tmp_path / "serve.log").open("wb") as log:
        server, base = _serve(db, 2 if backend == "postgresql" else 1, log)
        try:
            url = f"{base}/api/v1/petitions/{number}/signatures"
            with ThreadPoolExecutor(max_workers=48) as pool:
                codes = list(pool.map(lambda b: _post(url, b), bodies))
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert codes.count(201) == 9000 and codes.count(200) == 1000, set(codes)
    with db.read() as session:
        petition = session.scalar(select(Petition).where(Petition.number == number))
        assert petition is not None and petition.signatures == 50 + 9000
        stored = session.scalar(
            select(func.count()).select_from(Signature).where(Signature.petition_id == petition.id)
        )
        assert stored == 9050
        report = audit.verify(session, settings)
        assert report.ok, report.as_dict()


def test_one_person_twice_in_one_batch_is_told_counted_once(env: Env) -> None:
    number = _open(env.db, env.settings)
    far = datetime.now(UTC) + timedelta(hours=1)
    a, b = (
        Signing(Pending(number, person_key(env.settings, iin), "A S.", ALMATY, far), "n")
        for iin in iins(2, start=9000)
    )
    outcomes = sign_batch(env.db, [a, b, a])
    assert [getattr(o, "counted", None) for o in outcomes] == [True, True, False]
    assert {getattr(o, "signatures", None) for o in outcomes} == {52}
