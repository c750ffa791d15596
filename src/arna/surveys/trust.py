"""The trust index: a standard block of questions, one per institution, on a 4- or 5-point scale
(1 = no trust at all … 4 or 5 = full trust); the share trusting is the share of the two highest
points among those who placed themselves on the scale ("don't know" and refusals left out)."""

from __future__ import annotations

from collections.abc import Sequence

from arna.surveys.forms import Form, Question

BLOCK = {
    "trust_akimat": "akimat",
    "trust_police": "police",
    "trust_courts": "courts",
    "trust_parliament": "parliament",
    "trust_parties": "parties",
    "trust_ministries": "ministries",
    "trust_presidential_administration": "presidential_administration",
}
NOT_ON_SCALE = {"dk", "dont_know", "don't_know", "refused", "refuse", "na", "8", "9", "98", "99"}


class TrustScaleError(ValueError):
    """A trust question whose choices are not a 4- or 5-point scale."""


def scale_of(question: Question) -> tuple[str, ...]:
    """The points of the scale, from the least to the most trust: numeric choice names sorted
    by number, other names in the order of the form."""
    points = [c.name for c in question.choices if c.name.casefold() not in NOT_ON_SCALE]
    if all(p.isdigit() for p in points):
        points.sort(key=int)
    if len(points) not in (4, 5):
        raise TrustScaleError(
            f"{question.name}: a trust question has 4 or 5 points on its scale, not {len(points)}"
        )
    return tuple(points)


def trusting(scale: Sequence[str]) -> frozenset[str]:
    """The points that count as trusting: the two highest."""
    return frozenset(scale[-2:])


def block_of(form: Form) -> list[tuple[str, str, Question]]:
    """The trust questions the form has: (institution, key, question), in the block's order."""
    found = []
    for name, institution in BLOCK.items():
        question = next(
            (q for q in form.questions if q.name == name and q.type == "select_one"), None
        )
        if question is not None:
            found.append((institution, question.key, question))
    return found
