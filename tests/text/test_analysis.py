from __future__ import annotations

import unicodedata

import pytest

from arna.text.analysis import analyze, analyze_many
from arna.text.lid import identify


@pytest.mark.parametrize(
    ("text", "lang", "script"),
    [
        ("Көшедегі шамдар бір айдан бері жанбайды, әкімдікке хат жаздық", "kk", "cyrl"),
        ("кошеде жарык жок, акимдикке неше рет хабарластык", "kk", "cyrl"),
        ("Köşedegı şamdar bır aidan berı janbaidy", "kk", "latn"),
        ("koshede zharyk zhok, akimdik nege zhauap bermeidi", "kk", "latn"),
        ("На нашей улице уже месяц не горят фонари", "ru", "cyrl"),
        ("The street lights on our street have been off for a month", "en", "latn"),
        ("Бишкектин Ак-Босого конушунда бала бакчанын курулушу уланууда.", "other", "cyrl"),
        ("😡😡😡 !!!", "other", "none"),
    ],
)
def test_language_and_script(text: str, lang: str, script: str) -> None:
    found = identify(text)
    assert (found.lang, found.script) == (lang, script)


def test_a_text_in_two_languages_is_mixed_with_each_sentence_named() -> None:
    found = identify(
        "Біздің ауылда жол мүлдем жоқ, жаңбыр жауса балалар мектепке бара алмайды. "
        "Мы уже три года пишем в акимат, и никто не отвечает на наши обращения."
    )
    assert found.lang == "mixed"
    assert [s.lang for s in found.sentences] == ["kk", "ru"]


def test_full_analysis_of_a_complaint() -> None:
    text = "Шымкентте көше шамдары жанбайды, жолда шұңқыр көп. Әкімдік ештеңе істемейді!"
    result = analyze(text).as_dict()
    assert result["lang"] == "kk"
    assert result["sentiment"] == "negative"
    assert result["sentiment_score"] < 0
    assert result["targets"] == ["akimat"]
    assert result["target_sentiment"] == {"akimat": "negative"}
    assert result["category"] == "roads_local"
    assert next(c for c, _ in result["category_top3"]) == "roads_local"
    assert result["place"]["kato"] == "790000000"
    start, end = result["place"]["span"]
    assert text[start:end] == "Шымкентте"
    assert result["toxic"] is False


def test_thanks_are_positive_and_abuse_is_toxic_even_masked() -> None:
    thanks, abuse = analyze_many(
        ["Спасибо большое водоканалу, быстро починили трубу!", "Аким ты с*ка, верни деньги"]
    )
    assert thanks.sentiment == "positive"
    assert "utility_company" in thanks.targets
    assert abuse.toxic is True
    assert abuse.toxicity >= 0.9


def test_ordinary_words_are_not_places_or_targets() -> None:
    result = analyze("Рахмет, өте жақсы! Сотрудники были вежливы, судьба улыбнулась.")
    assert result.place is None
    assert "court" not in result.targets


def test_empty_batch_and_texts_without_words() -> None:
    assert analyze_many([]) == []
    for text in ("   ", "", "0" * 5000, "😡😡 !!! 123", "a"):
        found = analyze(text)
        assert found.lang == "other"
        assert found.category is None
        assert (found.sentiment, found.sentiment_score) == ("neutral", 0.0)
        assert found.place is None


def test_spans_index_the_given_text_even_when_it_is_decomposed() -> None:
    for word, kato in (("Семейде", "101000000"), ("Aqtöbede", "151000000")):
        text = unicodedata.normalize("NFD", f"Кеше {word} жол жабылды")
        place = analyze(text).place
        assert place is not None
        assert place.kato == kato
        assert unicodedata.normalize("NFC", text[place.span[0] : place.span[1]]) == word


def test_links_and_mentions_are_neither_places_nor_languages() -> None:
    found = analyze("На нашей улице нет света https://almaty.gov.kz/t.me @shymkent_akimat")
    assert found.place is None
    assert found.lang == "ru"


def test_the_gist_routes_as_the_full_analysis_would() -> None:
    """What a new appeal takes from its text (category, main language, place, tone) is the same
    whether read in full or as the cheaper gist, on the held-out dev examples."""
    import csv

    from arna.appeals.placement import language_of, suggested_category
    from arna.text.analysis import gist_many
    from arna.text.corpora import PACKAGE_DATA

    with (PACKAGE_DATA / "examples" / "eval" / "dev.csv").open(encoding="utf-8") as f:
        texts = [row["text"] for row in csv.DictReader(f)]
    full = analyze_many(texts)
    gist = gist_many(texts, language=[True] * len(texts), place=[True] * len(texts))
    for a, g in zip(full, gist, strict=True):
        assert language_of(a) == language_of(g)
        assert suggested_category(a) == suggested_category(g)
        assert a.sentiment == g.sentiment
        # the same unit and span; its name is in the text's main language where the full
        # analysis, calling a code-switched text `mixed`, gives it in English
        assert (a.place and (a.place.kato, a.place.span)) == (
            g.place and (g.place.kato, g.place.span)
        )
    unasked = gist_many(texts[:3], language=[False] * 3, place=[False] * 3)
    assert all(g.language is None and g.place is None for g in unasked)
