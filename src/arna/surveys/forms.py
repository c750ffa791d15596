"""Questionnaires from XLSForm files (.xlsx, .xls, .csv, .md), read with pyxform.

XLSForm is the spreadsheet format of ODK and KoboToolbox, so their forms load as they are. The
form is read and checked by pyxform as ODK would (names, types, choice lists, references in
skip logic), then turned into plain frozen dataclasses: `Form`, `Question`, `Choice`.

Languages: label and hint columns named `label::Kazakh (kk)` (the XLSForm convention), `label::kk`
or `label::Kazakh` are keyed by the language code (`kk`, `ru`, `en`); a column with no language
(`label`) is keyed by the settings' `default_language` when it names one, else by `default`.
Skip logic (`relevant`), constraints and calculations are kept as written, not evaluated.

Answers are keyed by question name (`Question.key`); a name used twice in one scope (in two
groups) is keyed by its group path instead (`household/age`). Questions inside a repeat are
answered per entry: the repeat's key maps to a list of such mappings (`arna.surveys.responses`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from io import BytesIO
from os import PathLike
from pathlib import Path
from typing import Any

from pyxform.builder import create_survey_element_from_dict
from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

LANGUAGES = ("kk", "ru", "en")
DEFAULT = "default"  # the key of labels written in a column with no language
FILE_TYPES = (".xlsx", ".xlsm", ".xls", ".csv", ".md")
LANGUAGE_NAMES = {
    "kazakh": "kk",
    "қазақ": "kk",
    "қазақша": "kk",
    "казахский": "kk",
    "russian": "ru",
    "орыс": "ru",
    "орысша": "ru",
    "русский": "ru",
    "english": "en",
    "ағылшын": "en",
    "английский": "en",
}
_CODE = re.compile(r"\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)\s*\)\s*$")
_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")
_SHEET = re.compile(r"On the '(\w+)' sheet|sheet: '(\w+)'")
_SECTIONS = {"group", "repeat"}
_TRUE = {"yes", "true", "true()", "1"}
_FALSE = {"", "no", "false", "false()", "0"}


class FormError(ValueError):
    """A form that cannot be read: the message names the sheet and row where known."""

    def __init__(self, message: str, *, sheet: str | None = None, row: int | None = None):
        self.message, self.sheet, self.row = message, sheet, row
        where = f"sheet '{sheet}'" if sheet else ""
        if row is not None:
            where = f"{where}, row {row}" if where else f"row {row}"
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class Choice:
    name: str
    labels: Mapping[str, str]

    def label(self, language: str) -> str:
        return _pick(self.labels, language) or self.name


@dataclass(frozen=True)
class Question:
    """One question of the survey sheet (groups and repeats are `path` and `repeat`)."""

    name: str
    key: str  # the key of its answer: the name, or the group path when the name repeats
    type: str  # select_one, select_multiple, rank, integer, decimal, range, text, date, …
    labels: Mapping[str, str]
    hints: Mapping[str, str] = field(default_factory=dict)
    required: bool = False  # `required` is yes/true
    required_if: str | None = None  # `required` is an expression (not evaluated)
    relevant: str | None = None  # its own skip logic, as written
    group_relevant: tuple[str, ...] = ()  # the skip logic of the groups around it, outermost first
    constraint: str | None = None
    calculation: str | None = None
    choice_list: str | None = None  # the list name, or the file of external choices
    choices: tuple[Choice, ...] = ()
    external_choices: bool = False  # the choices are in a file beside the form: not checked
    parameters: Mapping[str, str] = field(default_factory=dict)  # range: start, end, step
    path: tuple[str, ...] = ()  # the groups and repeats around it, outermost first
    repeat: str | None = None  # the name of the innermost repeat around it

    def label(self, language: str) -> str:
        return _pick(self.labels, language) or self.name

    @property
    def conditional(self) -> bool:
        """Whether it is asked or required only under a condition Arna does not evaluate."""
        return bool(self.relevant or self.group_relevant or self.required_if)

    def choice(self, name: str) -> Choice | None:
        return next((c for c in self.choices if c.name == name), None)


@dataclass(frozen=True)
class Repeat:
    """A repeat: its answer is a list of entries, each a mapping of its questions' answers."""

    name: str  # its answers' key
    labels: Mapping[str, str]
    relevant: tuple[str, ...]  # its groups' skip logic and its own, outermost first
    parent: str | None  # the repeat it is in
    path: tuple[str, ...]  # the groups and repeats around it, and itself


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    version: str | None
    default_language: str | None  # a code (`kk`) or the settings' name
    languages: tuple[str, ...]  # of the labels, in the order of the columns
    questions: tuple[Question, ...]
    repeats: tuple[Repeat, ...] = ()
    warnings: tuple[str, ...] = ()  # pyxform's

    def question(self, key: str) -> Question:
        for question in self.questions:
            if question.key == key:
                return question
        raise KeyError(key)


def read_form(source: str | PathLike[str] | bytes, *, file_type: str | None = None) -> Form:
    """Read an XLSForm from a path (its suffix gives the type) or from bytes (`file_type`:
    `.xlsx`, `.xls`, `.csv` or `.md`). A malformed form raises `FormError`."""
    if isinstance(source, bytes):
        data, stem = source, "form"
    else:
        path = Path(source)
        data, stem = path.read_bytes(), path.stem
        file_type = file_type or path.suffix.lower()
    if file_type not in FILE_TYPES:
        raise FormError(f"an XLSForm is one of {', '.join(FILE_TYPES)}, not {file_type!r}")
    warnings: list[str] = []
    try:
        sheets = get_xlsform(BytesIO(data), file_type=file_type)
        tree = workbook_to_json(
            workbook_dict=sheets,
            form_name=None,
            fallback_form_name=stem,
            default_language=DEFAULT,
            warnings=warnings,
        )
        create_survey_element_from_dict(tree).to_xml(validate=False, warnings=warnings)
    except PyXFormError as error:
        raise _form_error(str(error)) from error
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as error:
        raise FormError(f"not a readable XLSForm ({type(error).__name__}: {error})") from error
    return _form(tree, warnings)


def language_code(name: str) -> str:
    """`Kazakh (kk)` → `kk`, `Русский` → `ru`; a name not known is kept as it is."""
    found = _CODE.search(name)
    if found:
        return found.group(1).lower().replace("_", "-")
    cleaned = name.strip().lower()
    if cleaned in LANGUAGES:
        return cleaned
    return LANGUAGE_NAMES.get(cleaned, name.strip())


def _form(tree: Mapping[str, Any], warnings: list[str]) -> Form:
    setting = tree.get("default_language")
    default = language_code(setting) if setting and setting != DEFAULT else DEFAULT
    questions: list[Question] = []
    repeats: list[Repeat] = []
    _walk(tree.get("children", []), (), (), None, default, questions, repeats)
    if not questions:
        raise FormError("the form has no question", sheet="survey")
    questions = _keys(questions)
    languages: list[str] = []
    for question in questions:
        every = [question.labels, question.hints, *(c.labels for c in question.choices)]
        for labels in every:
            languages += [k for k in labels if k not in languages]
    return Form(
        id=str(tree.get("id_string") or tree.get("name") or ""),
        title=str(tree.get("title") or tree.get("name") or ""),
        version=str(tree["version"]) if tree.get("version") else None,
        default_language=None if default == DEFAULT else default,
        languages=tuple(languages),
        questions=tuple(questions),
        repeats=tuple(repeats),
        warnings=tuple(warnings),
    )


def _walk(
    children: list[Mapping[str, Any]],
    path: tuple[str, ...],
    relevant: tuple[str, ...],
    repeat: str | None,
    default: str,
    questions: list[Question],
    repeats: list[Repeat],
) -> None:
    for child in children:
        kind, name = str(child.get("type", "")), str(child.get("name", ""))
        bind = child.get("bind") or {}
        own = str(bind["relevant"]) if bind.get("relevant") else None
        if kind in _SECTIONS:
            if not path and name == "meta" and (child.get("control") or {}).get("bodyless"):
                continue  # pyxform's instanceID, not a question
            inner = (*relevant, own) if own else relevant
            if kind == "repeat":
                if any(r.name == name for r in repeats):
                    raise FormError(f"two repeats are named {name!r}", sheet="survey")
                labels = _labels(child.get("label"), default)
                repeats.append(Repeat(name, labels, inner, repeat, (*path, name)))
            inside = name if kind == "repeat" else repeat
            children_of = child.get("children", [])
            _walk(children_of, (*path, name), inner, inside, default, questions, repeats)
            continue
        questions.append(_question(child, kind, name, bind, own, path, relevant, repeat, default))


def _question(
    child: Mapping[str, Any],
    kind: str,
    name: str,
    bind: Mapping[str, Any],
    own: str | None,
    path: tuple[str, ...],
    relevant: tuple[str, ...],
    repeat: str | None,
    default: str,
) -> Question:
    required_text = str(bind.get("required", "")).strip()
    itemset = child.get("itemset") or child.get("list_name")
    listed = "list_name" in child and child.get("choices") is not None
    if kind.startswith("select one external "):  # choices in the external_choices sheet
        itemset, listed = kind.split()[-1], False
    return Question(
        name=name,
        key=name,
        type=_type(kind),
        labels=_labels(child.get("label"), default),
        hints=_labels(child.get("hint"), default),
        required=required_text.lower() in _TRUE,
        required_if=required_text if required_text.lower() not in _TRUE | _FALSE else None,
        relevant=own,
        group_relevant=relevant,
        constraint=str(bind["constraint"]) if bind.get("constraint") else None,
        calculation=str(bind["calculate"]) if bind.get("calculate") else None,
        choice_list=str(itemset) if itemset else None,
        choices=tuple(
            Choice(str(c["name"]), _labels(c.get("label"), default))
            for c in child.get("choices") or ()
        ),
        external_choices=bool(itemset) and not listed,
        parameters={str(k): str(v) for k, v in (child.get("parameters") or {}).items()},
        path=path,
        repeat=repeat,
    )


def _type(kind: str) -> str:
    """pyxform's names of the select types back to XLSForm's."""
    if kind == "select one" or kind.startswith("select one external"):
        return "select_one"
    if kind == "select all that apply":
        return "select_multiple"
    return kind.replace(" ", "_")


def _labels(value: Any, default: str) -> dict[str, str]:
    if value is None or value == "":
        return {}
    if isinstance(value, Mapping):
        return {
            (default if str(lang) == DEFAULT else language_code(str(lang))): str(text)
            for lang, text in value.items()
            if text not in (None, "")
        }
    return {default: str(value)}


def _keys(questions: list[Question]) -> list[Question]:
    """A name used twice within one repeat (or outside any) is keyed by its group path."""
    counts = Counter((q.repeat, q.name) for q in questions)
    return [
        q if counts[q.repeat, q.name] == 1 else replace(q, key="/".join((*q.path, q.name)))
        for q in questions
    ]


def _pick(labels: Mapping[str, str], language: str) -> str | None:
    for key in (language, DEFAULT, *LANGUAGES):
        if labels.get(key):
            return labels[key]
    return next(iter(labels.values()), None)


def _form_error(message: str) -> FormError:
    row_found, sheet_found = _ROW.search(message), _SHEET.search(message)
    row = int(row_found.group(1)) if row_found else None
    sheet = next((g for g in sheet_found.groups() if g), None) if sheet_found else None
    if row is not None and sheet is None:
        sheet = "survey"  # pyxform's row numbers without a sheet are the survey sheet's
    cleaned = _ROW.sub("", message).strip()
    return FormError(cleaned, sheet=sheet, row=row)
