"""`arna surveys …` against a real database: a questionnaire loaded from a file, responses
imported twice (the second time adds nothing) and refused with their lines, weighed (with
margins from a CSV), the results and the trust index printed, the weighted results exported as
CSV and Parquet and read back."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pyarrow.parquet as pq
import typer
from typer.testing import CliRunner

from arna.core.settings import Settings
from arna.surveys import demo
from arna.surveys.cli import register
from tests.appeals.conftest import Env
from tests.surveys.making import csv_of, generated

runner = CliRunner()
cli = typer.Typer()
register(cli)


def _env(settings: Settings) -> dict[str, str]:
    return {
        "ARNA_DATABASE_URL": str(settings.database_url),
        "ARNA_DATA_DIR": str(settings.data_dir),
    }


def _run(env: Env, *args: str) -> tuple[int, str, str]:
    done = runner.invoke(cli, ["surveys", *args], env=_env(env.settings))
    return done.exit_code, done.stdout, done.stderr


def test_load_import_weigh_results_trust_and_export(env: Env, tmp_path: Path) -> None:
    form = tmp_path / "trust.xlsx"
    form.write_bytes(demo.form_xlsx())
    code, stdout, stderr = _run(env, "load", str(form))
    assert code == 0, stderr
    number = stdout.strip().splitlines()[-1]
    assert number.startswith("S-")

    responses = tmp_path / "responses.csv"
    responses.write_bytes(csv_of(generated(900)))
    code, stdout, stderr = _run(env, "import", number, str(responses))
    assert code == 0, stderr
    assert "900 added, 0 already there" in stdout
    code, stdout, _ = _run(env, "import", number, str(responses))
    assert code == 0 and "0 added, 900 already there" in stdout

    # margins from a CSV: age groups added to the reference's region, sex and settlement
    margins = tmp_path / "margins.csv"
    margins.write_text(
        "variable,category,share\nage_group,16-29,0.28\nage_group,30-44,0.30\n"
        "age_group,45-59,0.22\nage_group,60+,0.20\nsex,male,0.48\nsex,female,0.52\n",
        encoding="utf-8",
    )
    code, stdout, stderr = _run(env, "weigh", number, "--margins", str(margins), "--json")
    assert code == 0, stderr
    report = json.loads(stdout)
    assert report["variables"] == ["region", "sex", "settlement", "age_group"]
    assert report["converged"] and report["n"] == 900
    assert report["margins"]["sex"] == {"male": 0.48, "female": 0.52}
    assert report["margins_source"]["age_group"] == "survey margins CSV"

    code, stdout, stderr = _run(env, "results", number, "--by", "sex", "--json")
    assert code == 0, stderr
    found = json.loads(stdout)
    sex = next(q for q in found["questions"] if q["key"] == "sex")
    shares = {c["cell"]: c["shares"] for c in sex["cells"]}
    assert set(shares) == {"male", "female"}
    (everyone,) = next(
        q
        for q in json.loads(_run(env, "results", number, "--json")[1])["questions"]
        if q["key"] == "sex"
    )["cells"]
    assert {s["choice"]: round(s["share"], 9) for s in everyone["shares"]} == {
        "male": 0.48,
        "female": 0.52,
    }
    for q in found["questions"]:
        for c in q["cells"]:
            for s in c["shares"]:
                if not c["suppressed"]:
                    assert math.isclose(
                        s["moe"],
                        1.96 * math.sqrt(c["deff"] * s["share"] * (1 - s["share"]) / c["n"]),
                    )
    code, stdout, _ = _run(env, "results", number, "--by", "region")
    assert code == 0 and "trust_police" in stdout

    code, stdout, stderr = _run(env, "trust", number, "--json")
    assert code == 0, stderr
    trust = json.loads(stdout)
    assert len(trust["institutions"]) == 7 and trust["over_time"]
    code, stdout, _ = _run(env, "trust", number)
    assert code == 0 and "presidential_administration" in stdout

    for fmt in ("csv", "parquet"):
        path = tmp_path / f"results.{fmt}"
        code, stdout, stderr = _run(env, "export", number, str(path), "--format", fmt)
        assert code == 0, stderr
        if fmt == "csv":
            with path.open(encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
        else:
            rows = pq.read_table(path).to_pylist()
        assert {r["by"] for r in rows} == {"all", "region", "sex", "settlement", "age_group"}
        police = [r for r in rows if r["question"] == "trust_police" and r["by"] == "all"]
        assert len(police) == 5 and all(str(r["weighted"]) == "True" for r in police)
        share = float(next(r for r in police if r["choice"] == "3")["share"])
        three = next(
            s
            for q in json.loads(_run(env, "results", number, "--json")[1])["questions"]
            if q["key"] == "trust_police"
            for s in q["cells"][0]["shares"]
            if s["choice"] == "3"
        )
        assert math.isclose(share, three["share"], rel_tol=1e-12)
        suppressed = [r for r in rows if str(r["suppressed"]) == "True"]
        assert suppressed and all(r["share"] in ("", None) for r in suppressed)


def test_bad_rows_are_reported_with_their_lines_and_nothing_is_imported(
    env: Env, tmp_path: Path
) -> None:
    form = tmp_path / "trust.xlsx"
    form.write_bytes(demo.form_xlsx())
    number = _run(env, "load", str(form))[1].strip().splitlines()[-1]
    rows = generated(30)
    rows[2]["sex"] = "unknown"
    rows[7]["trust_police"] = "5"
    rows[8]["_uuid"] = ""
    responses = tmp_path / "responses.csv"
    responses.write_bytes(csv_of(rows))
    code, _, stderr = _run(env, "import", number, str(responses))
    assert code == 2
    assert "line 4: sex" in stderr and "line 9: trust_police" in stderr and "line 10:" in stderr
    assert "3 bad rows, nothing imported" in stderr
    code, stdout, _ = _run(env, "results", number, "--json")
    assert json.loads(stdout)["questions"][0]["cells"] == []

    broken = tmp_path / "form.xlsx"
    broken.write_bytes(b"not a workbook")
    code, _, stderr = _run(env, "load", str(broken))
    assert code == 2 and "cannot be read" in stderr
    assert _run(env, "results", "S-2026-999999")[0] == 1
    assert _run(env, "import", number, str(tmp_path / "none.csv"))[0] == 2
    bad_margins = tmp_path / "bad.csv"
    bad_margins.write_text("variable,category,share\nincome,high,0.5\n", encoding="utf-8")
    code, _, stderr = _run(env, "weigh", number, "--margins", str(bad_margins))
    assert code == 2 and "line 2" in stderr
    assert _run(env, "export", number, str(tmp_path / "x.xls"), "--format", "xls")[0] == 2
