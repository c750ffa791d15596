"""Corrected shares of tone: the maths on simulated classifiers whose errors are known, the edge
cases, and `arna text shares` end to end on the real models."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from arna.cli import app
from arna.geo.reference import units
from arna.text import moments, shares
from arna.text.analysis import Analysis, analyze_many
from arna.text.shares import Reference, estimate, simplex_lstsq

runner = CliRunner()
# A classifier that leans towards neutral and confuses neighbours: logits per true class.
LOGITS = np.array([[1.6, 1.2, 0.0], [0.4, 2.0, 0.6], [0.0, 1.4, 1.8]])


def classify(
    truth: np.ndarray, rng: np.random.Generator, logits: np.ndarray = LOGITS
) -> np.ndarray:
    z = logits[truth] + rng.normal(0.0, 1.0, (len(truth), 3))
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return out


def reference(rng: np.random.Generator, n: int = 3000, name: str = "all") -> Reference:
    truth = rng.choice(3, n, p=[0.3, 0.4, 0.3])
    return Reference(name, classify(truth, rng), truth)


def cells(
    prevalences: np.ndarray, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Posteriors of n texts per cell drawn at the given class shares, and each text's cell."""
    probs = [classify(rng.choice(3, n, p=p), rng) for p in prevalences]
    return np.concatenate(probs), np.repeat(np.arange(len(prevalences)), n)


def test_simplex_least_squares_is_the_constrained_optimum() -> None:
    rng = np.random.default_rng(0)
    grid = np.array([(a, b, 200 - a - b) for a in range(201) for b in range(201 - a)]) / 200
    for _ in range(40):
        m = rng.dirichlet(np.ones(3), size=3).T  # columns on the simplex, like a real M
        q = rng.dirichlet(np.ones(3))
        got = simplex_lstsq(m, q)
        assert got.min() >= 0 and got.sum() == pytest.approx(1)
        best_on_grid = (((grid @ m.T) - q) ** 2).sum(axis=1).min()
        assert ((m @ got - q) ** 2).sum() <= best_on_grid + 1e-12
    inside = np.array([0.2, 0.5, 0.3])
    m = np.array([[0.7, 0.2, 0.1], [0.2, 0.6, 0.3], [0.1, 0.2, 0.6]])
    assert simplex_lstsq(m, m @ inside) == pytest.approx(inside)
    # Stacks broadcast: one matrix per replicate against many cells.
    stacked = simplex_lstsq(np.stack([m, m]), np.stack([[m @ inside] * 2] * 5))
    assert stacked.shape == (5, 2, 3) and stacked[4, 1] == pytest.approx(inside)


def test_pacc_recovers_the_shares_that_classify_and_count_misses() -> None:
    rng = np.random.default_rng(1)
    truth = np.array([[0.05, 0.6, 0.35], [0.3, 0.3, 0.4], [0.6, 0.2, 0.2]])
    probs, cell = cells(truth, 4000, rng)
    refs = [reference(rng, 20_000)]
    pacc = estimate(probs, cell, 3, refs, replicates=200)
    acc = estimate(probs, cell, 3, refs, method="acc", replicates=200)
    assert np.abs(pacc.share - truth).max() < 0.03
    assert np.abs(acc.share - truth).max() < 0.04
    assert np.abs(pacc.cc - truth).max() > 0.1  # the raw count is biased towards neutral


def test_the_interval_covers_the_true_share_about_as_often_as_it_says() -> None:
    rng = np.random.default_rng(2)
    levels = np.repeat([0.05, 0.2, 0.4, 0.6], 60)
    truth = np.column_stack([levels, (1 - levels) * 0.6, (1 - levels) * 0.4])
    probs, cell = cells(truth, 150, rng)
    got = estimate(probs, cell, len(levels), [reference(rng, 1500)], replicates=400, seed=5)
    covered = (got.low[:, 0] <= levels) & (levels <= got.high[:, 0])
    assert 0.9 <= covered.mean() <= 0.99
    cc = estimate(probs, cell, len(levels), [reference(rng)], method="cc", replicates=400)
    assert ((cc.low[:, 0] <= levels) & (levels <= cc.high[:, 0])).mean() < 0.5


def test_moments_give_the_estimate_and_an_interval_of_the_same_coverage() -> None:
    """Cells summed where they are stored (listening's GROUP BY) give the same corrected share
    as their texts, and the normal limit of the bootstrap covers as often as the bootstrap."""
    rng = np.random.default_rng(2)
    levels = np.repeat([0.05, 0.2, 0.4, 0.6], 60)
    truth = np.column_stack([levels, (1 - levels) * 0.6, (1 - levels) * 0.4])
    probs, cell = cells(truth, 150, rng)
    refs = [reference(rng, 1500)]
    texts = estimate(probs, cell, len(levels), refs, replicates=1000, seed=5)
    onehot = np.eye(3)[probs.argmax(axis=1)]
    n = np.bincount(cell)
    cells_summed = moments.Moments(
        n=n,
        mean=np.stack([probs[cell == c].mean(axis=0) for c in range(len(levels))]),
        second=np.stack(
            [np.einsum("ij,ik->jk", probs[cell == c], probs[cell == c]) / n[c]
             for c in range(len(levels))]
        ),
        cc=np.stack([onehot[cell == c].mean(axis=0) for c in range(len(levels))]),
    )  # fmt: skip
    summed = moments.estimate_from_moments(cells_summed, refs, replicates=1000, seed=5)
    assert summed.share == pytest.approx(texts.share, abs=1e-9)
    assert summed.cc == pytest.approx(texts.cc)
    assert np.abs(summed.low - texts.low).mean() < 0.01
    width = (summed.high - summed.low).mean() - (texts.high - texts.low).mean()
    assert abs(width) < 0.005
    covered = (summed.low[:, 0] <= levels) & (levels <= summed.high[:, 0])
    assert 0.9 <= covered.mean() <= 0.99


def test_a_cell_with_its_own_stream_gets_its_interval_whatever_is_asked_with_it() -> None:
    """Listening's GROUP BY returns cells in no fixed order and a page asks for some of them:
    each cell's draws come from its own stream, so its figures stay the same."""
    rng = np.random.default_rng(4)
    probs, cell = cells(np.array([[0.2, 0.5, 0.3], [0.5, 0.3, 0.2], [0.3, 0.3, 0.4]]), 40, rng)
    refs = [reference(rng, 1500)]
    onehot = np.eye(3)[probs.argmax(axis=1)]

    def summed(order: list[int]) -> moments.Shares:
        picked = [np.flatnonzero(cell == c) for c in order]
        return moments.estimate_from_moments(
            moments.Moments(
                n=np.array([len(rows) for rows in picked]),
                mean=np.stack([probs[rows].mean(axis=0) for rows in picked]),
                second=np.stack([probs[rows].T @ probs[rows] / len(rows) for rows in picked]),
                cc=np.stack([onehot[rows].mean(axis=0) for rows in picked]),
            ),
            refs,
            replicates=300,
            streams=[11 * c for c in order],
        )

    every = summed([0, 1, 2])
    for order in ([2, 0, 1], [1], [2, 1]):
        got = summed(order)
        assert got.low == pytest.approx(every.low[order], abs=1e-12)
        assert got.high == pytest.approx(every.high[order], abs=1e-12)
    assert (every.low < every.share).all() and (every.share < every.high).all()


def test_the_reference_uncertainty_widens_the_interval() -> None:
    """A small reference leaves the error rates uncertain, and two corpora that disagree about
    them more so: both reach the interval."""
    rng = np.random.default_rng(3)
    probs, cell = cells(np.array([[0.3, 0.4, 0.3]]), 2000, rng)

    def width(refs: list[Reference]) -> float:
        got = estimate(probs, cell, 1, refs, replicates=400)
        return float((got.high - got.low)[0, 0])

    big, small = reference(rng, 8000), reference(rng, 300)
    assert width([small]) > 1.5 * width([big])
    shifted_truth = rng.choice(3, 8000, p=[0.3, 0.4, 0.3])
    shifted = classify(shifted_truth, rng, LOGITS + np.array([[0.0, 0.8, 0], [0, 0, 0], [0] * 3]))
    two = Reference(
        "all",
        np.concatenate([big.probs, shifted]),
        np.concatenate([big.truth, shifted_truth]),
        np.repeat(["a", "b"], 8000),
    )
    one = Reference("all", two.probs, two.truth)
    assert width([two]) > 1.5 * width([one])


def test_edge_cases_say_what_they_are() -> None:
    rng = np.random.default_rng(4)
    probs, cell = cells(np.array([[0.3, 0.4, 0.3]] * 3), 40, rng)
    cell[cell == 1] = 3  # cell 1 empty, cell 3 holds 40 texts
    cell[0] = 2  # and cell 2 one more than 40
    probs = np.concatenate([probs, probs[:1]])
    cell = np.concatenate([cell, [4]])  # cell 4: one text
    got = estimate(probs, cell, 6, [reference(rng)], replicates=100)
    assert got.status == ("ok", "empty", "ok", "ok", "one_text", "empty")
    assert got.n.tolist() == [39, 0, 41, 40, 1, 0]
    assert np.isnan(got.share[1]).all() and np.isnan(got.low[5]).all()
    assert (got.low[4], got.high[4]) == (pytest.approx([0, 0, 0]), pytest.approx([1, 1, 1]))
    few = estimate(probs[:5], np.zeros(5, dtype=np.int64), 1, [reference(rng)], replicates=50)
    assert few.status == ("few",)
    # A classifier that says the same whatever the truth: nothing to invert, so CC, flagged.
    blind = Reference("all", np.tile([0.5, 0.3, 0.2], (300, 1)), np.arange(300) % 3)
    got = estimate(probs, cell, 6, [blind], replicates=100)
    assert got.status[0] == "singular"
    assert got.share[0] == pytest.approx(got.cc[0])
    with pytest.raises(ValueError, match="method"):
        estimate(probs, cell, 6, [blind], method="hdy")


def test_same_input_and_seed_same_output() -> None:
    rng = np.random.default_rng(5)
    probs, cell = cells(np.array([[0.2, 0.5, 0.3], [0.5, 0.3, 0.2]]), 100, rng)
    refs = [reference(rng)]
    a, b = (estimate(probs, cell, 2, refs, replicates=200, seed=9) for _ in range(2))
    c = estimate(probs, cell, 2, refs, replicates=200, seed=10)
    assert np.array_equal(a.low, b.low) and np.array_equal(a.high, b.high)
    assert np.array_equal(a.share, c.share) and not np.array_equal(a.low, c.low)


def test_references_by_language_need_enough_rows_of_every_class() -> None:
    rng = np.random.default_rng(6)
    probs = rng.dirichlet(np.ones(3), size=400)
    truth = np.arange(400) % 3
    langs = np.array(["ru"] * 300 + ["kk"] * 100)
    langs[[0, 3, 6]] = "kk"  # kk: 103 rows, but only 34 + 33 + 33: enough; en below
    langs[np.flatnonzero(truth == 2)[:5]] = "en"
    refs = shares.references(probs, truth, langs)
    names = [r.name for r in refs]
    assert names == ["all", "kk", "ru"]
    assert shares.pick(refs, ["kk", "ru", "ru"]) == names.index("ru")
    assert shares.pick(refs, ["en", "en", "ru"]) == 0  # en has too few rows: all of them
    assert shares.pick(refs, []) == 0


def test_matches_quapy() -> None:
    """The matrices and the corrected shares agree with QuaPy's ACC and PACC (its solver is
    SLSQP on the same objective, so to its tolerance)."""
    qp = pytest.importorskip("quapy")
    aggregative = qp.method.aggregative
    rng = np.random.default_rng(7)
    ref = reference(rng, 2000)
    classes = np.arange(3)
    for method, theirs in (("acc", aggregative.ACC), ("pacc", aggregative.PACC)):
        x = shares.features(ref.probs, method)
        seen = x.argmax(axis=1) if method == "acc" else x
        m = theirs.getPteCondEstim(classes, ref.truth, seen)
        assert shares.misclassification(x, ref.truth) == pytest.approx(m)
        probs, cell = cells(rng.dirichlet(np.ones(3), size=8), 200, rng)
        got = estimate(probs, cell, 8, [ref], method=method, replicates=20)
        for c in range(8):
            q = shares.features(probs[cell == c], method).mean(axis=0)
            want = aggregative.ACC.solve_adjustment(m, q, "inversion", "minimize")
            assert got.share[c] == pytest.approx(want, abs=2e-3)


def _run(path: Path, *args: str) -> tuple[int, str, str]:
    """Exit code, everything printed (blanks folded) and what went to stdout."""
    result = runner.invoke(app, ["text", "shares", "--input", str(path), *args])
    return result.exit_code, " ".join(result.output.split()), result.stdout


def test_shares_command_counts_each_target_and_reads_csv(tmp_path: Path) -> None:
    rows = [
        {"text": "Әкімдік пен водоканал жауап бермейді, Алматыда су жоқ", "source": "tg"},
        {"text": "Акимат и КСК в Караганде ничего не делают"},
        {"text": "Хорошая погода сегодня", "source": "tg"},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n")
    code, output, stdout = _run(src, "--json")
    assert code == 0, output
    got = [json.loads(line) for line in stdout.splitlines()]
    keys = {(g["keys"]["region"], g["keys"]["target"]): g for g in got}
    found = analyze_many([r["text"] for r in rows])
    assert len(found[0].targets) == 2 and not found[2].targets and found[2].place is None
    geo = units()

    def region(a: Analysis) -> str:
        return geo[geo[a.place.kato].region_kato or ""].name_en if a.place else "none"

    assert set(keys) == {(region(a), t) for a in found for t in a.targets or ("none",)}
    assert {("Almaty (city)", "akimat"), ("Karaganda Region", "akimat"), ("none", "none")} <= set(
        keys
    )
    one = keys[("Almaty (city)", "akimat")]
    assert one["n"] == 1 and one["status"] == "one_text"
    assert set(one["shares"]) == {"negative", "neutral", "positive"}
    assert set(one["shares"]["negative"]) == {"cc", "corrected", "low", "high"}
    assert one["shares"]["negative"]["cc"] == 1.0
    code, output, _ = _run(src, "--by", "source,lang", "--json")
    assert code == 0, output
    assert '"keys": {"source": "tg", "lang": "kk"}' in output
    assert '"keys": {"source": "none", "lang": "ru"}' in output
    table = tmp_path / "in.csv"
    table.write_text('region,text\nAbai,"Жол жоқ,\nжөндеңіздер"\nAbai,Рахмет\n', encoding="utf-8")
    code, output, _ = _run(table, "--by", "region")
    assert code == 0, output
    assert "Abai │ 2 │" in output and "few" in output


def test_shares_command_refuses_bad_input_with_the_line(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    cases = {
        b'{"text": "ok"}\n{"text": "ok"}\n{"text": \n': "in.jsonl, line 3: not valid JSON",
        b'{"text": "ok"}\n{"id": 2}\n': "line 2: expected a JSON object with a string 'text'",
        '{"text": "жол"}\n'.encode("cp1251"): "line 1: not UTF-8",
        b'{"text": "a\\ud800b"}\n': "line 1: 'text' holds an unpaired UTF-16 surrogate",
        b"\n": "no texts",
    }
    for raw, message in cases.items():
        src.write_bytes(raw)
        code, output, _ = _run(src)
        assert (code, message in output) == (2, True), output
    csv = tmp_path / "in.csv"
    csv.write_text("id,body\n1,жол\n", encoding="utf-8")
    code, output, _ = _run(csv)
    assert code == 2 and "in.csv, line 1: no 'text' column in the header" in output
    src.write_text('{"text": "ok"}\n')
    code, output, _ = _run(src, "--by", "region,colour")
    assert code == 2 and "region, target, lang or a field of the input" in output
    code, output, _ = _run(tmp_path / "missing.jsonl")
    assert code == 2 and "input file not found" in output
