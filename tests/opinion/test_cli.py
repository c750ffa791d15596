"""`arna opinion …` against a real database: a real Pol.is conversation imported, its groups
printed, exported again; and the refusals of a folder that is not an export."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from arna.cli import app as cli
from arna.core.settings import Settings
from arna.opinion.polis_format import read_conversation
from tests.appeals.conftest import Env
from tests.opinion.making import POLIS, open_consultation, two_camps

runner = CliRunner()
BREXIT = POLIS / "brexit-consensus"


def _env(settings: Settings) -> dict[str, str]:
    return {
        "ARNA_DATABASE_URL": str(settings.database_url),
        "ARNA_DATA_DIR": str(settings.data_dir),
    }


def test_import_groups_and_export_of_a_polis_conversation(env: Env, tmp_path: Path) -> None:
    imported = runner.invoke(
        cli, ["opinion", "import", str(BREXIT), "--format", "polis"], env=_env(env.settings)
    )
    assert imported.exit_code == 0, imported.output
    number = imported.stdout.strip().splitlines()[-1]
    assert number.startswith("C-")

    shown = runner.invoke(cli, ["opinion", "groups", number, "--json"], env=_env(env.settings))
    assert shown.exit_code == 0, shown.output
    found = json.loads(shown.stdout)
    source = read_conversation(BREXIT)
    people = {p["participant"]: p["group"] for p in found["participants"]}
    assert set(people) == set(source.groups)  # every participant, numbered as in the export
    assert found["k"] == len(found["groups"]) >= 2
    placed = {p for p, g in people.items() if g is not None}
    assert len(placed) == found["placed"] == sum(g["size"] for g in found["groups"])
    assert all(g["representative"] for g in found["groups"])
    for group in found["groups"]:
        for r in group["representative"]:
            assert r["test"] > 1.2816 or group["representative"].index(r) == 0
    assert found["consensus"] and {c["stance"] for c in found["consensus"]} <= {"agree", "disagree"}
    # everyone Pol.is placed who voted on 7 statements is placed by Arna too
    counts = {}
    for v in source.votes:
        counts.setdefault(v.participant, set()).add(v.statement)
    assert {p for p, s in counts.items() if len(s) >= 7} <= placed

    # the statements' counts are those of the participants' last votes
    last = {(v.participant, v.statement): v.value for v in source.votes}
    shown_counts = env.client.get(f"/api/v1/consultations/{number}/statements").json()
    for statement in shown_counts:
        mine = [v for (_, s), v in last.items() if s == statement["number"]]
        assert (statement["agree"], statement["disagree"], statement["passed"]) == (
            mine.count(1),
            mine.count(-1),
            mine.count(0),
        )

    out = tmp_path / "again"
    exported = runner.invoke(cli, ["opinion", "export", number, str(out)], env=_env(env.settings))
    assert exported.exit_code == 0, exported.output
    again = read_conversation(out)
    assert len(again.votes) == len(source.votes)
    assert {s.id: s.moderated for s in again.statements} == {
        s.id: s.moderated for s in source.statements
    }
    assert {p: g for p, g in again.groups.items()} == people
    with (out / "participants-votes.csv").open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header[:6] == [
        "participant",
        "group-id",
        "n-comments",
        "n-votes",
        "n-agree",
        "n-disagree",
    ]

    listed = runner.invoke(cli, ["opinion", "list", "--json"], env=_env(env.settings))
    item = json.loads(listed.stdout)["items"][0]
    assert (item["number"], item["origin"], item["status"]) == (number, "polis", "closed")
    assert item["votes"] == len(source.votes)


def test_groups_computed_from_the_console(env: Env) -> None:
    admin = env.token("admin", None, "admin@example.kz")
    number = open_consultation(env, admin)
    camps = two_camps(env, number, each=8)
    swept = runner.invoke(cli, ["worker", "--once", "--json"], env=_env(env.settings))
    assert swept.exit_code == 0, swept.output
    assert json.loads(swept.stdout)["consultation_groups"] == 1  # the worker computed them
    votes = env.client.post(
        f"/api/v1/consultations/{number}/votes",
        json={"token": camps["yes"][0], "statement": 0, "vote": "pass"},
    )
    assert votes.status_code == 200
    done = runner.invoke(cli, ["opinion", "compute"], env=_env(env.settings))
    assert done.exit_code == 0 and f"{number}: 2 groups" in done.output
    # nothing new: nothing to do
    again = runner.invoke(cli, ["opinion", "compute"], env=_env(env.settings))
    assert again.exit_code == 0 and number not in again.output


def test_what_is_not_an_export_is_refused(env: Env, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(BREXIT, broken)
    (broken / "summary.csv").unlink()
    missing = runner.invoke(cli, ["opinion", "import", str(broken)], env=_env(env.settings))
    assert missing.exit_code == 1 and "summary.csv missing" in missing.output
    shutil.copy(BREXIT / "summary.csv", broken / "summary.csv")
    votes = (broken / "votes.csv").read_text(encoding="utf-8").splitlines()
    (broken / "votes.csv").write_text(
        "\n".join([*votes[:3], "1500232652930,x,0,1,5"]), encoding="utf-8"
    )
    wrong = runner.invoke(cli, ["opinion", "import", str(broken)], env=_env(env.settings))
    assert wrong.exit_code == 1 and "votes.csv line 4: vote must be one of" in wrong.output
    (broken / "votes.csv").write_bytes(b"timestamp,comment-id\n\xff\xfe\n")
    undecodable = runner.invoke(cli, ["opinion", "import", str(broken)], env=_env(env.settings))
    assert undecodable.exit_code == 1 and "not UTF-8" in undecodable.output
    unknown = runner.invoke(cli, ["opinion", "groups", "C-2026-999999"], env=_env(env.settings))
    assert unknown.exit_code == 1 and "no consultation" in unknown.output
    listed = runner.invoke(cli, ["opinion", "list", "--json"], env=_env(env.settings))
    assert json.loads(listed.stdout)["items"] == []  # nothing half-written
