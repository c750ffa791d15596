"""Topics of what people write, with ids that stay put as new posts arrive.

A topic is a centroid over stems (`listening.terms`): the mean of its posts' tf-idf vectors,
its strongest terms kept. Each update
1. lets every post not yet placed join the existing topic it is closest to (cosine ≥ `JOIN`);
   a topic's id never changes, and a post once placed stays in its topic;
2. clusters the posts that joined none (spherical k-means, fixed seed) and proposes each
   cluster that holds enough posts and distinct authors as a new topic, numbered after the
   last one: ids are never reused or renumbered.
Posts that fit nowhere stay unplaced and are tried again at the next update.

Pure functions over plain data: the store and the schedule are `actions.update_topics`'.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

JOIN = 0.25  # cosine to a topic's centroid that places a post in it
TERMS_KEPT = 40  # terms of a centroid stored
MIN_POSTS = 15  # a proposed topic holds at least this many posts…
POSTS_PER_CLUSTER = 400  # k for the posts left over: one cluster per this many, 2…40
MAX_CLUSTERS = 40
SEED = 0


@dataclass(frozen=True)
class Doc:
    key: str  # source/post_id
    author: str | None
    stems: tuple[str, ...]  # distinct stems of the post


@dataclass
class Topic:
    id: str  # "T1", "T2", …
    proposed_on: str  # ISO day of the update that proposed it
    centroid: dict[str, float]  # stem → weight, unit length
    posts: int = 0  # posts placed so far (the store's assignments are the exact count)
    words: dict[str, dict[str, int]] = field(default_factory=dict)  # lang → word → posts
    quotes: list[dict[str, object]] = field(default_factory=list)  # best first

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "proposed_on": self.proposed_on,
            "centroid": self.centroid,
            "posts": self.posts,
            "words": self.words,
            "quotes": self.quotes,
        }

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> Topic:
        return cls(
            id=str(d["id"]),
            proposed_on=str(d["proposed_on"]),
            centroid={str(k): float(v) for k, v in dict(d["centroid"]).items()},  # type: ignore[call-overload]
            posts=int(d.get("posts", 0)),  # type: ignore[call-overload]
            words={str(k): dict(v) for k, v in dict(d.get("words", {})).items()},  # type: ignore[call-overload]
            quotes=list(d.get("quotes", [])),  # type: ignore[call-overload]
        )


def number_of(topic_id: str) -> int:
    return int(topic_id.lstrip("T"))


@dataclass(frozen=True)
class Placed:
    topic: dict[str, str]  # post key → topic id, for the posts placed in this update
    closeness: dict[str, float]  # post key → cosine to its topic's centroid
    proposed: list[Topic]  # new topics, in id order


def _matrix(docs: Sequence[Doc], vocabulary: dict[str, int]) -> tuple[sp.csr_matrix, np.ndarray]:
    """Binary tf × idf of every doc, rows of unit length; and the idf per vocabulary term."""
    rows, cols = [], []
    for i, doc in enumerate(docs):
        for s in doc.stems:
            rows.append(i)
            cols.append(vocabulary[s])
    x = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(len(docs), len(vocabulary))
    )
    df = np.bincount(cols, minlength=len(vocabulary))
    idf = np.log((1 + len(docs)) / (1 + df)) + 1
    x = x.multiply(idf).tocsr()
    return _unit_rows(x), idf


def _unit_rows(x: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ x)


def _centroid_of(x: sp.csr_matrix, inverse: list[str]) -> dict[str, float]:
    """The strongest terms of the mean of rows `x`, scaled to unit length."""
    mean = np.asarray(x.mean(axis=0)).ravel()
    top = [k for k in np.argsort(-mean, kind="stable")[:TERMS_KEPT] if mean[k] > 0]
    norm = math.sqrt(sum(float(mean[k]) ** 2 for k in top)) or 1.0
    return {inverse[k]: round(float(mean[k]) / norm, 6) for k in top}


def place(topics: Sequence[Topic], docs: Sequence[Doc], day: str, min_authors: int) -> Placed:
    """Place `docs` (posts not placed yet) in `topics` and propose new topics from the rest."""
    docs = [d for d in docs if d.stems]
    if not docs:
        return Placed({}, {}, [])
    vocabulary: dict[str, int] = {}
    for d in docs:
        for s in d.stems:
            vocabulary.setdefault(s, len(vocabulary))
    for t in topics:
        for s in t.centroid:
            vocabulary.setdefault(s, len(vocabulary))
    inverse = list(vocabulary)
    x, _ = _matrix(docs, vocabulary)
    topic_of: dict[str, str] = {}
    closeness: dict[str, float] = {}
    left = np.arange(len(docs))
    if topics:
        c = sp.csr_matrix(
            (
                [w for t in topics for w in t.centroid.values()],
                (
                    [k for k, t in enumerate(topics) for _ in t.centroid],
                    [vocabulary[s] for t in topics for s in t.centroid],
                ),
            ),
            shape=(len(topics), len(vocabulary)),
        )
        sims = (x @ c.T).toarray()
        best = sims.argmax(axis=1)
        near = sims[np.arange(len(docs)), best]
        for i in np.flatnonzero(near >= JOIN):
            topic_of[docs[i].key] = topics[best[i]].id
            closeness[docs[i].key] = round(float(near[i]), 4)
        left = np.flatnonzero(near < JOIN)
    start = max((number_of(t.id) for t in topics), default=0)
    proposed = _propose(x[left], [docs[i] for i in left], inverse, min_authors)
    for n, (_, members) in enumerate(proposed, start=start + 1):
        topic_id = f"T{n}"
        for key, sim in members:
            topic_of[key] = topic_id
            closeness[key] = sim
    new = [
        Topic(f"T{n}", day, centroid) for n, (centroid, _) in enumerate(proposed, start=start + 1)
    ]
    return Placed(topic_of, closeness, new)


def _propose(
    x: sp.csr_matrix, docs: list[Doc], inverse: list[str], min_authors: int
) -> list[tuple[dict[str, float], list[tuple[str, float]]]]:
    """(centroid, [(post key, closeness)]) of each cluster of the leftover posts worth a topic,
    largest first."""
    if len(docs) < MIN_POSTS:
        return []
    from sklearn.cluster import KMeans  # clustering only here: not loaded to read texts

    distinct = len({d.stems for d in docs})  # k-means wants no more clusters than points
    k = min(max(len(docs) // POSTS_PER_CLUSTER, 2), MAX_CLUSTERS, distinct)
    labels = KMeans(k, n_init=3, random_state=SEED).fit_predict(x)
    found = []
    for label in range(k):
        rows = np.flatnonzero(labels == label)
        if not len(rows):
            continue  # k-means may leave a cluster empty when posts repeat each other
        centroid = _centroid_of(x[rows], inverse)
        weights = np.array([centroid.get(s, 0.0) for s in inverse])
        sims = np.asarray(x[rows] @ weights).ravel()
        close = [
            (docs[i], round(float(s), 4)) for i, s in zip(rows, sims, strict=True) if s >= JOIN
        ]
        members = [(doc.key, s) for doc, s in close]
        authors = {doc.author for doc, _ in close if doc.author}
        if len(members) >= MIN_POSTS and len(authors) >= min_authors:
            found.append((centroid, members))
    # Largest first, then by the strongest term: the same data gives the same numbers.
    found.sort(key=lambda f: (-len(f[1]), max(f[0], key=f[0].__getitem__)))
    return found


def updated_centroid(topic: Topic, added: Sequence[dict[str, float]]) -> dict[str, float]:
    """The centroid after posts with these (unit) vectors joined: a running mean, so a topic
    follows how people talk about it without changing what it is."""
    total: dict[str, float] = defaultdict(float)
    for s, w in topic.centroid.items():
        total[s] += w * max(topic.posts, 1)
    for vector in added:
        for s, w in vector.items():
            total[s] += w
    top = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:TERMS_KEPT]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {s: round(w / norm, 6) for s, w in top if w > 0}


def labels(topics: Sequence[Topic], min_posts: int, n: int = 5) -> dict[str, dict[str, list[str]]]:
    """The words that set each topic apart, per language: class-based tf-idf (how many of the
    topic's posts use a word, against how many posts of all topics do), as written; only words
    of at least `min_posts` posts (a word a single person repeats is not a label)."""
    everywhere: dict[str, Counter[str]] = {}
    for t in topics:
        for lang, counts in t.words.items():
            everywhere.setdefault(lang, Counter()).update(counts)
    out: dict[str, dict[str, list[str]]] = {}
    for t in topics:
        per_lang = {}
        for lang, counts in t.words.items():
            mean = sum(everywhere[lang].values()) / max(len(topics), 1)
            scored = sorted(
                counts.items(),
                key=lambda kv: (-kv[1] * math.log(1 + mean / everywhere[lang][kv[0]]), kv[0]),
            )
            chosen = [w for w, c in scored if c >= max(min_posts, 2)][:n]
            if chosen:
                per_lang[lang] = chosen
        out[t.id] = per_lang
    return out
