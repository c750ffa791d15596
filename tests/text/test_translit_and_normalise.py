from __future__ import annotations

import random
import re

from hypothesis import assume, given
from hypothesis import strategies as st

from arna.text.corpora import training_examples
from arna.text.features import fold
from arna.text.normalise import clean, script_of, sentences
from arna.text.restore import latin_to_cyrillic, restore
from arna.text.translit import to_ascii, to_cyrillic, to_latin, without_kazakh_letters

# Letters whose 2021 Latin spelling is unambiguous on the way back (и/й share "i", я is "ia").
KAZAKH = "аәбвгғдежзкқлмнңоөпрстуұүфшыі"


def test_official_alphabet_examples() -> None:
    assert to_latin("Шектес теңіздері балыққа бай") == "Şektes teñızderı balyqqa bai"
    assert to_latin("Жапония") == "Japoniia"
    assert to_ascii("Жобаны жүзеге асыру мерзімі") == "Zhobany zhuzege asyru merzimi"


@given(st.text(alphabet=KAZAKH + " ", min_size=1, max_size=40))
def test_official_latin_round_trips(word: str) -> None:
    assume(not any(pair in word for pair in ("ыа", "ыу", "шш")))
    assert to_cyrillic(to_latin(word)) == word


def _kazakh_words() -> list[str]:
    words = {
        w
        for ex in training_examples()
        if ex.lang == "kk" and ex.script == "cyrl"
        for w in re.findall(r"[а-яәғқңөұүһі]+", ex.text.lower())
        if re.search("[әғқңөұүһі]", w)
    }
    return sorted(words)


@given(st.lists(st.sampled_from(_kazakh_words()), min_size=1, max_size=6), st.integers(0, 9999))
def test_every_spelling_of_kazakh_words_folds_to_one_skeleton(words: list[str], seed: int) -> None:
    word = " ".join(words)
    typed = fold(word)
    assert fold(to_latin(word)) == typed
    assert fold(without_kazakh_letters(word)) == typed
    assert fold(to_ascii(word, random.Random(seed))) == typed


def test_clean_drops_links_mentions_emoji_and_keeps_hashtag_words() -> None:
    text = "Смотрите https://t.me/x @akimat_almaty #жолдар 😡😡 пишите на a.b@mail.kz"
    assert clean(text) == "Смотрите жолдар пишите на"


def test_script_and_sentences() -> None:
    assert script_of("Алматыда жол жоқ") == "cyrl"
    assert script_of("Almatyda jol joq") == "latn"
    assert script_of("Алматыда jol joq") == "mixed"
    assert script_of("123 😡") == "none"
    text = "Бірінші сөйлем. Второе!  Third?"
    assert [text[a:b] for a, b in sentences(text)] == ["Бірінші сөйлем.", "Второе!", "Third?"]


def test_kazakh_letters_are_restored_where_the_spelling_is_unambiguous() -> None:
    assert restore("кошеде жарык жок, акимдик жауап бермейди") == (
        "көшеде жарық жоқ, әкімдік жауап бермейді"
    )
    assert restore("Алматыда су жок") == "Алматыда су жоқ"  # су is a word of its own
    assert latin_to_cyrillic("koshede zharyk zhok") == "көшеде жарық жоқ"
    assert latin_to_cyrillic("Şektes teñızderı balyqqa bai") == "шектес теңіздері балыққа бай"


def test_translit_command() -> None:
    from typer.testing import CliRunner

    from arna.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["text", "translit", "zhol zhok"]).output == "жол жоқ\n"
    assert runner.invoke(app, ["text", "translit", "жол жок", "--to", "latn"]).output == (
        "jol joq\n"
    )
    bad = runner.invoke(app, ["text", "translit", "x", "--to", "greek"])
    assert bad.exit_code == 2
