"""XLSForms read into plain dataclasses: kk/ru/en labels, types, choices, skip logic, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from arna.surveys.forms import FormError, language_code, read_form
from tests.surveys.xlsforms import CHOICES, EN, KK, RU, SURVEY, write_xlsx, xlsx


def test_an_xlsform_with_three_languages(tmp_path: Path) -> None:
    form = read_form(write_xlsx(tmp_path))
    assert (form.id, form.title, form.version) == ("living_2026", "Тұрмыс сапасы", "2026051301")
    assert form.default_language == "ru"
    assert form.languages == ("kk", "ru", "en")
    assert [(q.key, q.type) for q in form.questions] == [
        ("place", "select_one"),
        ("age", "integer"),
        ("issues", "select_multiple"),
        ("employed", "select_one"),
        ("income", "decimal"),
        ("comment", "text"),
        ("visited", "date"),
        ("thanks", "note"),
    ]
    place = form.question("place")
    assert place.labels == {
        "kk": "Қай жерде тұрасыз?",
        "ru": "Где вы живёте?",
        "en": "Where do you live?",
    }
    assert place.required and not place.conditional and place.choice_list == "place"
    assert [(c.name, c.label("kk"), c.label("ru"), c.label("en")) for c in place.choices] == [
        ("urban", "Қала", "Город", "Town"),
        ("rural", "Ауыл", "Село", "Village"),
    ]
    age = form.question("age")
    assert age.required and age.constraint == ". >= 16 and . <= 120"
    assert age.hints == {"en": "In full years"} and age.label("kk") == "Жасыңыз"
    issues = form.question("issues")
    assert [c.name for c in issues.choices] == ["roads", "water", "heating"]
    assert issues.choice("water") is not None and issues.choice("fire") is None
    employed, income = form.question("employed"), form.question("income")
    assert employed.path == ("work",) and employed.group_relevant == ("${age} >= 18",)
    assert employed.required and employed.relevant is None and employed.conditional
    assert income.relevant == "${employed} = 'yes'" and not income.required
    assert not form.question("comment").required and form.question("comment").path == ()
    with pytest.raises(KeyError):
        form.question("missing")


def test_labels_fall_back_to_another_language() -> None:
    survey = [["type", "name", "label::English (en)", "label::Русский"], ["text", "a", "A", "А"]]
    form = read_form(xlsx(survey, None, None), file_type=".xlsx")
    question = form.question("a")
    assert question.labels == {"en": "A", "ru": "А"}
    assert question.label("kk") == "А"  # no Kazakh: Russian before English (kk, ru, en)
    assert form.default_language is None and form.title == "form"


def test_a_form_with_one_unnamed_language() -> None:
    form = read_form(
        xlsx([["type", "name", "label"], ["integer", "n", "How many?"]], None, None),
        file_type=".xlsx",
    )
    assert form.languages == ("default",)
    assert form.question("n").label("kk") == "How many?"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Kazakh (kk)", "kk"),
        ("Русский (ru)", "ru"),
        ("English (en-GB)", "en-gb"),
        ("kk", "kk"),
        ("Қазақша", "kk"),
        ("Russian", "ru"),
        ("Klingon", "Klingon"),
    ],
)
def test_language_codes(name: str, code: str) -> None:
    assert language_code(name) == code


def test_a_csv_xlsform(tmp_path: Path) -> None:
    text = (
        f"survey,type,name,{KK},{RU},{EN},required\n"
        ",select_one yesno,agree,Келісесіз бе?,Согласны?,Do you agree?,yes\n"
        ",integer,children,Балалар,Дети,Children,\n"
        f"choices,list_name,name,{KK},{RU},{EN}\n"
        ",yesno,yes,Иә,Да,Yes\n"
        ",yesno,no,Жоқ,Нет,No\n"
    )
    path = tmp_path / "agree.csv"
    path.write_text(text, encoding="utf-8")
    for form in (read_form(path), read_form(text.encode(), file_type=".csv")):
        agree = form.question("agree")
        assert agree.type == "select_one" and agree.required
        assert [c.label("kk") for c in agree.choices] == ["Иә", "Жоқ"]
        assert form.question("children").type == "integer"
    assert read_form(path).id == "agree"


def test_repeats_others_and_external_choices() -> None:
    survey = [
        ["type", "name", "label", "relevant"],
        ["select_one yesno or_other", "heating", "Heating?", ""],
        ["integer", "size", "People", ""],
        ["begin_repeat", "member", "Member", "${size} > 0"],
        ["text", "name", "Name", ""],
        ["integer", "age", "Age", ""],
        ["end_repeat", "", "", ""],
        ["select_one_from_file villages.csv", "village", "Village", ""],
        ["rank yesno", "order", "Order", ""],
        ["range", "score", "Score", ""],
    ]
    choices = [["list_name", "name", "label"], ["yesno", "yes", "Yes"], ["yesno", "no", "No"]]
    form = read_form(xlsx(survey, choices, None), file_type=".xlsx")
    heating = form.question("heating")
    assert [c.name for c in heating.choices] == ["yes", "no", "other"]
    assert form.question("heating_other").relevant == "selected(../heating, 'other')"
    member_age = form.question("age")
    assert member_age.repeat == "member" and member_age.group_relevant == ("${size} > 0",)
    assert [(r.name, r.parent, r.relevant) for r in form.repeats] == [
        ("member", None, ("${size} > 0",))
    ]
    village = form.question("village")
    assert (
        village.external_choices and village.choices == () and village.choice_list == "villages.csv"
    )
    assert form.question("order").type == "rank"
    assert form.question("score").parameters["end"] == "10"


def test_a_name_used_in_two_groups_is_keyed_by_its_path() -> None:
    survey = [
        ["type", "name", "label"],
        ["begin_group", "mother", "Mother"],
        ["integer", "age", "Age"],
        ["end_group", "", ""],
        ["begin_group", "father", "Father"],
        ["integer", "age", "Age"],
        ["end_group", "", ""],
        ["text", "town", "Town"],
    ]
    form = read_form(xlsx(survey, None, None), file_type=".xlsx")
    assert [q.key for q in form.questions] == ["mother/age", "father/age", "town"]


@pytest.mark.parametrize(
    ("survey", "choices", "sheet", "row", "words"),
    [
        (
            [*SURVEY[:2], ["integer", "x", "", "", "", "", "", "${nowhere} > 1", ""]],
            CHOICES,
            "survey",
            3,
            "nowhere",
        ),
        (
            SURVEY,
            [*CHOICES, ["place", "urban", "Қала", "Город", "Town again"]],
            "choices",
            9,
            "unique",
        ),
        (
            [["type", "name", "label"], ["integer", "a", "A"], ["integer", "a", "B"]],
            None,
            "survey",
            3,
            "unique",
        ),
        (
            [["type", "name", "label"], ["begin_group", "g", "G"], ["integer", "a", "A"]],
            None,
            "survey",
            2,
            "end_group",
        ),
        (
            [["type", "name", "label"], ["integer", "2a", "A"]],
            None,
            "survey",
            2,
            "begin with a letter",
        ),
        ([["type", "name", "label"], ["integr", "a", "A"]], None, None, None, "integr"),
        ([["type", "name", "label"], ["select_one nolist", "a", "A"]], None, None, None, "choices"),
        ([["name", "label"], ["a", "A"]], None, "survey", None, "type"),
    ],
)
def test_a_malformed_form_names_what_is_wrong(
    survey: list[list[str]],
    choices: list[list[str]] | None,
    sheet: str | None,
    row: int | None,
    words: str,
) -> None:
    with pytest.raises(FormError, match=words) as caught:
        read_form(xlsx(survey, choices, None), file_type=".xlsx")
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.sheet, error.row) == (sheet, row)
    if row is not None:
        assert str(error).startswith(f"sheet '{sheet}', row {row}: ")


def test_what_is_not_an_xlsform(tmp_path: Path) -> None:
    with pytest.raises(FormError, match="not recognized"):
        read_form(b"PK\x03\x04 not a workbook", file_type=".xlsx")
    with pytest.raises(FormError, match="no question"):
        read_form(xlsx([["type", "name", "label"]], None, None), file_type=".xlsx")
    (tmp_path / "form.docx").write_bytes(b"")
    with pytest.raises(FormError, match=r"not '\.docx'"):
        read_form(tmp_path / "form.docx")
    with pytest.raises(FileNotFoundError):
        read_form(tmp_path / "missing.xlsx")
