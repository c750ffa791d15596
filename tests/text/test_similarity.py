"""How alike texts about one problem are across Kazakh, Russian and English, and how unlike
texts about different problems of one topic and place are (text/similarity.py). The pairs are
written for this test in everyday wording, not taken from the demo season."""

from __future__ import annotations

import pytest

from arna.appeals.actions.problems import LIKENESS
from arna.text.similarity import concepts_named, likeness, vectors

SAME = [
    (
        "Ақтөбе, Сәңкібай батыр даңғылы 40: ауладағы қоқыс жәшіктерін бір аптадан бері ешкім "
        "әкетпейді, иіс шығып тұр.",
        "Актобе, проспект Санкибай батыра 40: мусор во дворе не вывозят уже неделю, запах.",
    ),
    (
        "Семей, Шәкәрім көшесі 5: подъездегі лифт екі айдан бері істемейді.",
        "Семей, ул. Шакарима 5 — в подъезде второй месяц не работает лифт!",
    ),
    (
        "Қостанай, Байтұрсынов көшесі: үйімізде ыстық су жоқ, батареялар суық.",
        "Kostanay, Baitursynov street: no hot water in our building and the radiators are cold.",
    ),
    (
        "Тараз, Төле би көшесі 18: балабақшада орын жоқ деп баламды алмайды.",
        "Тараз, улица Толе би 18: ребёнка не берут в детский сад, говорят мест нет.",
    ),
]
DIFFERENT = [
    (
        "Ақтөбе, Сәңкібай батыр даңғылы 40: ауладағы қоқыс жәшіктерін ешкім әкетпейді.",
        "Актобе, проспект Санкибай батыра 40: во дворе сломана детская площадка.",
    ),
    (
        "Семей, ул. Шакарима 5: в подъезде не работает лифт.",
        "Семей, ул. Шакарима 5: протекает крыша, вода капает на пятом этаже.",
    ),
    (
        "Прошу пересчитать пенсию, стаж указан неверно.",
        "Остановка у рынка без навеса, люди мокнут под дождём.",
    ),
]


def _likeness(a: str, b: str) -> float:
    return float(likeness(vectors([a]), vectors([b]))[0, 0])


@pytest.mark.parametrize(("a", "b"), SAME)
def test_one_problem_told_in_two_languages_reaches_the_threshold(a: str, b: str) -> None:
    assert _likeness(a, b) >= LIKENESS, (a, b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_problems_of_one_place_stay_below_it(a: str, b: str) -> None:
    assert _likeness(a, b) < LIKENESS, (a, b)


def test_the_concepts_bridge_the_languages_and_skip_look_alike_words() -> None:
    assert concepts_named("Жолдың ортасында шұңқыр") == {"pothole", "road"}
    assert concepts_named("посреди дороги яма") == {"pothole", "road"}
    assert concepts_named("a deep pothole on the road") == {"pothole", "road"}
    # сұраймын is not су (water), ортасында not өрт (fire), деревня not дерево (tree)
    assert concepts_named("Сұраймын, ортасында, в деревне, центр города") == frozenset()


def test_a_text_is_wholly_like_itself_and_empty_input_is_no_rows() -> None:
    text = "Курчатов: жолда үлкен шұңқыр бар."
    assert _likeness(text, text) == pytest.approx(1.0, abs=1e-5)
    assert vectors([]).shape[0] == 0
