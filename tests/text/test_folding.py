"""Folding in compiled code gives what the rule says, written out here with str and re."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from arna.text import corpora, features
from arna.text.folding import DIGRAPHS, FOLD, fold_many

TABLE = str.maketrans(FOLD)


def reference(text: str) -> str:
    def undoubled(s: str) -> str:
        return re.sub(r"([a-z])\1+", r"\1", s)

    folded = undoubled(text.lower().replace("ch", "ч").translate(TABLE))
    for digraph, letter in DIGRAPHS:
        folded = folded.replace(digraph, letter)
    return re.sub(r"\d+", "0", undoubled(folded))


def test_real_texts_and_awkward_ones() -> None:
    texts = [e.text for e in corpora.training_examples()]
    texts += ["Chch chh CHICHA", "ццц шшш ooo nng ngh zhh khkh ggh", "١٢٣ 𝟎𝟏 12'34 x²"]
    texts += ["İSTANBUL ǅ", "ъь' ’ʼ", "", "Ааа!!! 😍😍", "Күшті, кушти, küşti, kushti"]
    assert fold_many(texts) == [reference(t) for t in texts]
    assert len({features.fold(w) for w in ("күшті", "кушти", "küşti", "kushti")}) == 1


LETTERS = "".join(FOLD) + "abcghjknsz ABCGHKNZ 0123٣𝟎²'-😍İ"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=LETTERS, max_size=30) | st.text(max_size=15), max_size=5))
def test_any_batch(texts: list[str]) -> None:
    texts = ["".join(c for c in t if not 0xD800 <= ord(c) < 0xE000) for t in texts]
    assert fold_many(texts) == [reference(t) for t in texts]
