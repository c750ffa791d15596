"""Word lists matched on folded tokens: institutions people talk about, and abusive words.

An entry is one or more words; each word matches a text token by prefix (`prefix`, catching
inflections: акимат → акимата, акиматом) or exactly (`word`, for short or ambiguous words such
as сот "court", which is also the start of сотрудник). Matching happens on lower-case words with
Kazakh letters folded to their Russian twins (қ→к, і→и), so Russian-keyboard Kazakh matches too;
Latin-script forms are entries of their own.

Where entries overlap, the one with more words wins, then the more specific one (longer words):
банкрот beats банк. An entry labelled `-` names nothing: it only keeps a shorter entry from
matching inside a longer phrase (налоговая декларация is not the tax office, банкротство no bank).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import itemgetter
from pathlib import Path

from arna.text.translit import without_kazakh_letters

DATA = Path(__file__).parent / "data"
# A masked obscenity (с*ка, f@ck) is one token; the mask is dropped when the token is folded.
_TOKEN = re.compile(r"[^\W_]+(?:[*@#$%]+[^\W_]+)*", re.U)
_MASK = re.compile(r"[*@#$%]+")
Token = tuple[int, int, str]  # start, end, folded form
NOTHING = "-"


@dataclass(frozen=True)
class Entry:
    label: str
    words: tuple[str, ...]
    exact: bool


@dataclass(frozen=True)
class Hit:
    label: str
    start: int
    end: int


@lru_cache(maxsize=100_000)
def _fold_token(token: str) -> str:
    # Lighter than features.fold: scripts stay apart, so Russian тоо is not English "to".
    if not token.isalnum():
        token = _MASK.sub("", token)
    return without_kazakh_letters(token.lower()).replace("ё", "е")


def tokenize(text: str) -> list[Token]:
    """Words with their spans, folded once for every lexicon."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer (İ): word by word
        return [(m.start(), m.end(), _fold_token(m.group())) for m in _TOKEN.finditer(text)]
    # Folding the whole text at once costs less than looking up each word.
    folded = without_kazakh_letters(lowered).replace("ё", "е")
    tokens = []
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        word = folded[start:end]
        tokens.append((start, end, word if word.isalnum() else _MASK.sub("", word)))
    return tokens


class Lexicon:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries = tuple(entries)
        # Entries are looked up by the first three letters of a word; an entry whose first word
        # is shorter (хй, мп) is also filed under its own length, checked for every token.
        self._by_start: dict[str, list[Entry]] = defaultdict(list)
        self._short_lengths = sorted({len(e.words[0]) for e in entries if len(e.words[0]) < 3})
        for e in entries:
            self._by_start[e.words[0][:3]].append(e)
        self._firsts = lru_cache(maxsize=50_000)(self._entries_starting)
        # Entries whose first word is shorter than three letters are filed under that word.
        self._short_starts = frozenset(k for k in self._by_start if len(k) < 3)

    def _candidates(self, token: str) -> list[Entry]:
        found = self._by_start.get(token[:3], [])
        for n in self._short_lengths:
            if len(token) > n and token[:n] in self._by_start:
                found = found + self._by_start[token[:n]]
        return found

    def _entries_starting(self, token: str) -> tuple[Entry, ...]:
        """Entries whose first word this token is, best first: more words, then longer words;
        file order on a tie (the sort is stable)."""
        found = [e for e in self._candidates(token) if _word_matches(token, e.words[0], e.exact)]
        if len(found) > 1:
            found.sort(key=_rank, reverse=True)
        return tuple(found)

    def find(self, text: str) -> list[Hit]:
        return self.find_in(tokenize(text))

    def find_in(self, tokens: list[Token]) -> list[Hit]:
        """Longest entries first, left to right, without overlaps."""
        words = list(map(itemgetter(2), tokens))
        # Entries per distinct word are cached, and a word whose first letters start no entry
        # needs not even that: most texts have no word that starts any entry.
        starts, short = self._by_start, self._short_starts
        firsts = [
            self._firsts(w) if w[:3] in starts or w[:2] in short or w[:1] in short else ()
            for w in words
        ]
        if not any(firsts):
            return []
        hits: list[Hit] = []
        count = len(tokens)
        i = 0
        while i < count:
            best: Entry | None = None
            for entry in firsts[i]:
                n = len(entry.words)
                if i + n > count:
                    continue
                if n > 1 and not all(
                    _word_matches(words[i + k], entry.words[k], entry.exact) for k in range(1, n)
                ):
                    continue
                best = entry
                break
            if best is None:
                i += 1
                continue
            n = len(best.words)
            if best.label != NOTHING:
                hits.append(Hit(best.label, tokens[i][0], tokens[i + n - 1][1]))
            i += n
        return hits


def _rank(entry: Entry) -> tuple[int, int]:
    return len(entry.words), sum(map(len, entry.words))


def _word_matches(token: str, word: str, exact: bool) -> bool:
    return token == word if exact else token.startswith(word)


def _load(path: Path, label_column: str, alias_column: str) -> Lexicon:
    entries: list[Entry] = []
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            words = tuple(_fold_token(w) for w in _TOKEN.findall(row[alias_column]))
            if words and all(words):
                entries.append(Entry(row[label_column], words, row["match"] == "word"))
    return Lexicon(entries)


@cache
def targets() -> Lexicon:
    return _load(DATA / "targets.csv", "target", "alias")


@cache
def abusive() -> Lexicon:
    return _load(DATA / "toxic_lexicon.csv", "lang", "stem")


@cache
def concepts() -> Lexicon:
    """What a problem is about, named alike in Kazakh, Russian and English (a pothole is шұңқыр,
    яма, pothole): the bridge between appeals about one problem written in different languages."""
    return _load(DATA / "problem_concepts.csv", "concept", "stem")
