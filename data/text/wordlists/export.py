"""Export the word lists Arna's language identifier trains its "other language" classes on.

Run once by a maintainer (needs `pip install wordfreq==3.1.1`); the output files are committed,
so training never needs wordfreq. Data: wordfreq by Robyn Speer et al., CC BY-SA 4.0.
"""

from pathlib import Path

from wordfreq import top_n_list, word_frequency

LANGS = ["en", "tr", "uk", "bg", "mk", "de", "fr", "es", "it", "pl", "nl", "pt", "cs", "ro", "sr"]
HERE = Path(__file__).parent

for lang in LANGS:
    words = [w for w in top_n_list(lang, 6000) if any(ch.isalpha() for ch in w)]
    with open(HERE / f"{lang}.tsv", "w", encoding="utf-8") as out:
        for w in words:
            out.write(f"{w}\t{word_frequency(w, lang):.3g}\n")
