"""`arna petitions …` and the petitions' clock in `arna worker`, against a real database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

from arna.cli import app as cli
from arna.core.settings import Settings
from arna.petitions.actions import lifecycle
from arna.petitions.actions.lifecycle import person_key
from arna.petitions.actions.signing import Signing, sign_batch
from arna.petitions.confirmation import Pending
from arna.petitions.schemas import PetitionCreate
from tests.appeals.conftest import Env
from tests.petitions.conftest import ALMATY, PETITION, iins

runner = CliRunner()


def _env(settings: Settings) -> dict[str, str]:
    return {
        "ARNA_DATABASE_URL": str(settings.database_url),
        "ARNA_DATA_DIR": str(settings.data_dir),
    }


def _awaiting_moderation(env: Env) -> str:
    made = lifecycle.create_petition(env.db, env.settings, PetitionCreate.model_validate(PETITION))
    lifecycle.send_for_cosigning(env.db, env.settings, made.number, made.code)
    far = datetime.now(UTC) + timedelta(hours=1)
    sign_batch(
        env.db,
        [
            Signing(Pending(made.number, person_key(env.settings, i), "C S.", ALMATY, far), f"{n}")
            for n, i in enumerate(iins(50))
        ],
    )
    return made.number


def test_thresholds_moderation_listing_and_invalidation(env: Env) -> None:
    shown = runner.invoke(cli, ["petitions", "thresholds", "--json"], env=_env(env.settings))
    assert shown.exit_code == 0, shown.output
    rules = json.loads(shown.output)
    assert {r["id"] for r in rules["thresholds"]} >= {"government", "city_akimat"}
    assert {t["term"] for t in rules["terms"]} >= {"cosigners", "moderation", "collection"}

    number = _awaiting_moderation(env)
    unknown = runner.invoke(
        cli, ["petitions", "moderate", number, "--reject", "boring"], env=_env(env.settings)
    )
    assert unknown.exit_code == 1 and "banned_topic" in unknown.output
    done = runner.invoke(cli, ["petitions", "moderate", number], env=_env(env.settings))
    assert done.exit_code == 0 and "open" in done.output

    listed = runner.invoke(cli, ["petitions", "list", "--json"], env=_env(env.settings))
    assert [p["number"] for p in json.loads(listed.output)["items"]] == [number]
    one = runner.invoke(cli, ["petitions", "show", number, "--json"], env=_env(env.settings))
    assert json.loads(one.output)["signatures"] == 50

    gone = runner.invoke(
        cli,
        [
            "petitions",
            "invalidate",
            number,
            "--region",
            ALMATY,
            "--reason",
            "a test of the command",
        ],
        env=_env(env.settings),
    )
    assert gone.exit_code == 0 and "50 invalidated" in gone.output, gone.output
    naive = runner.invoke(
        cli,
        ["petitions", "invalidate", number, "--since", "2026-12-01T10:00", "--reason", "x" * 12],
        env=_env(env.settings),
    )
    assert naive.exit_code == 2 and "time zone" in naive.output
    missing = runner.invoke(cli, ["petitions", "show", "P-2026-999999"], env=_env(env.settings))
    assert missing.exit_code == 1


def test_the_worker_runs_the_petitions_clock(env: Env) -> None:
    made = lifecycle.create_petition(env.db, env.settings, PetitionCreate.model_validate(PETITION))
    lifecycle.send_for_cosigning(env.db, env.settings, made.number, made.code)
    later = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    swept = runner.invoke(
        cli, ["worker", "--once", "--now", later, "--json"], env=_env(env.settings)
    )
    assert swept.exit_code == 0, swept.output
    assert json.loads(swept.output)["petitions_lapsed"] == 1
    shown = runner.invoke(
        cli, ["petitions", "list", "--status", "lapsed", "--json"], env=_env(env.settings)
    )
    assert json.loads(shown.output)["items"] == []  # a lapsed petition is not listed
