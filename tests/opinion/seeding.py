"""Consultations made through the actions (the test's own setup) for the tests that serve a real
application: the page sweep, the accessibility test and the browser test. The camps vote as
`making.two_camps` has them vote through the API."""

from __future__ import annotations

from arna.core.actors import Actor
from arna.core.db import Database
from arna.opinion.actions import consultations, voting
from arna.opinion.schemas import ConsultationCreate
from tests.opinion.making import STATEMENTS

ADMIN = Actor("admin", name="system:test")
VOTE = {1: "agree", -1: "disagree"}


def consultation(db: Database, title: str = "Алматыдағы қоғамдық көлік") -> str:
    data = ConsultationCreate(
        title=title, question="Қаладағы көлікті қалай жақсартамыз?", statements=STATEMENTS
    )
    return consultations.create_consultation(db, ADMIN, data)


def two_camps(db: Database, number: str, each: int = 12) -> None:
    """Two camps that disagree on statements 0-3 and 5-7 and all agree on 4 (participants
    0, 2, 4 … say yes, 1, 3, 5 … no), each erring on a statement or two."""
    for i in range(each):
        for sign in (1, -1):
            token = consultations.join(db, number).token
            for s in range(len(STATEMENTS)):
                value = 1 if s == 4 else sign if (s + i) % 5 else -sign
                voting.cast_vote(db, number, token, s, VOTE[value])


def closed(db: Database, title: str = "Аулалардағы тұрақ") -> str:
    number = consultation(db, title)
    consultations.close_consultation(db, ADMIN, number)
    return number
