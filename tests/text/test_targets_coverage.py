"""How people name institutions: utilities, state companies, private business and ministries in
Russian, Kazakh (Cyrillic, official Latin and keyboard Latin) and English each find their
target, and ordinary sentences that share the start of an alias find none.

Conventions the table pins down: homeowners' bodies (КСК, ОСИ, управляющая компания, пәтер иелері
бірлестігі) are `other`, not utilities; ЦОН / ХҚКО is a state company; QazaqGaz by its bare name
is a state company, its regional gas network (QazaqGaz Aimaq) a utility.
"""

from __future__ import annotations

import csv

import pytest

from arna.text import lexicon
from arna.text.analysis import Analysis, analyze_many

U, S, B, M = "utility_company", "state_company", "private_business", "ministry"

NAMED: list[tuple[str, set[str]]] = [
    # utility companies
    ("Водоканал третий день не может устранить порыв на улице Ауэзова.", {U}),
    ("Теплосети обещали дать отопление к 15 октября, а в квартире холодно.", {U}),
    ("Энергосбыт выставил счёт за свет вдвое больше, чем по счётчику.", {U}),
    ("Газовая служба отключила газ во всём доме и молчит.", {U}),
    ("Коммунальщики раскопали двор и бросили яму открытой.", {U}),
    ("АлматыЭнергоСбыт снова начислил пеню без причины.", {U}),
    ("ТЭЦ-2 опять дымит, а батареи еле тёплые.", {U}),
    ("Су арнасы екі күннен бері суды бермей отыр.", {U}),
    ("Жылу желісі жылытуды әлі қоспады, үйде суық.", {U}),
    ("Коммуналдық қызмет қызметкерлері құбырды тез жөндеді, рахмет!", {U}),
    ("Электр желісі компаниясы жарықты күніне үш рет өшіреді.", {U}),
    ("жылу желиси батареяны әлі космады", {U}),
    ("Su arnasy bır aptadan berı sudy bermeidı.", {U}),
    ("Jylu jelısı batareiany äli qospady.", {U}),
    ("zhylu zhelisi teplony kospady, uide suyk", {U}),
    ("elektr zhelisi kompaniyasy zharykty kunde oshiredi", {U}),
    ("Kommunaldyq qyzmet qyzmetkerlerıne raqmet!", {U}),
    ("The water utility has not fixed the burst pipe on our street for a week.", {U}),
    ("Our heating company raised the tariff but the radiators are still cold.", {U}),
    ("The power company cuts electricity every evening without warning.", {U}),
    ("Thanks to the gas service crew who came at night to fix the leak.", {U}),
    ("QazaqGaz Aimaq still has not connected our house to the gas network.", {U}),
    # state companies
    ("В ЦОНе на Абая очередь с шести утра, талонов нет.", {S}),
    ("Казпочта потеряла посылку, трек не обновляется месяц.", {S}),
    ("ЕНПФ не зачислил пенсионные взносы за три месяца.", {S}),
    ("Казахтелеком опять отключил интернет во всём микрорайоне.", {S}),
    ("КТЖ отменила поезд, а деньги за билет не вернули.", {S}),
    ("Отбасы банк не одобрил заявку на арендное жильё.", {S}),
    ("В водхозе говорят, что воды для полива больше нет.", {S}),
    ("ХҚКО-да кезек өте көп, электронды кезек істемейді.", {S}),
    ("Қазпошта сәлемдемені екі айдан бері жеткізбей жатыр.", {S}),
    ("Ауылдағы пошта бөлімшесі жабылып қалды.", {S}),
    ("Әлеуметтік медициналық сақтандыру қоры жарналарымды көрмейді.", {S}),
    ("HQKO-da kezek köp, elektrondy kezek ıstemeidı.", {S}),
    ("Qazpoşta sälemdemenı eki aidan berı jetkızbei jatyr.", {S}),
    ("BJZQ jinağymdy uaqytynda audardy, raqmet.", {S}),
    ("TsON-da kezek po tri chasa, zhumys istemeidi", {S}),
    ("Otbasy bank arqyly jaldamaly üige ötınış berdık.", {S}),
    ("The public service centre in Taraz had no electronic queue again.", {S}),
    ("Kazpost lost my parcel and nobody answers the phone.", {S}),
    ("KazAvtoZhol has not repaired the highway near Kordai.", {S}),
    ("Samruk-Kazyna companies should publish what their managers earn.", {S}),
    ("QazaqGaz should explain why gas prices went up again.", {S}),
    # private business
    ("Застройщик сдал дом без отопления и не отвечает на звонки.", {B}),
    ("Работодатель не платит зарплату третий месяц.", {B}),
    ("Коллекторы звонят моей маме и угрожают.", {B}),
    ("На заправках нет бензина АИ-92 уже неделю.", {B}),
    ("Сотовый оператор списывает деньги за подписку, которую я не подключал.", {B}),
    ("Банк заблокировал карту без объяснений.", {B}),
    ("Турагентство отменило тур и не возвращает деньги.", {B}),
    ("Құрылыс салушы үйді уақытында тапсырмады.", {B}),
    ("Жұмыс беруші жалақыны үш ай бойы төлемей отыр.", {B}),
    ("Дүкенде сатылған ет бұзылған екен.", {B}),
    ("Коллекторлар күніне он рет хабарласады.", {B}),
    ("Жанармай құю бекеттерінде дизель жоқ.", {B}),
    ("Jūmys beruşı jalaqyny üş aidan berı tölemei otyr.", {B}),
    ("zhumys berushi aylykty bermei zhatyr", {B}),
    ("Dükennen alğan telefon bır aptada būzyldy.", {B}),
    ("zapravkada 92 zhok, tek 95 bar", {B}),
    ("kurylys kompaniyasy uidi uakytynda tapsyrmady", {B}),
    ("The developer handed over the flats without heating.", {B}),
    ("My employer has not paid my salary for three months.", {B}),
    ("Debt collectors keep calling my elderly mother.", {B}),
    ("Petrol stations in Kostanay have no diesel.", {B}),
    ("A private clinic refused to return my money.", {B}),
    # ministries, their committees and departments
    ("Министерство здравоохранения, обратите внимание на нехватку врачей в сёлах.", {M}),
    ("Минтруд обещал пересчитать пособия, но ничего не изменилось.", {M}),
    ("Налоговая заблокировала счёт из-за долга в 300 тенге.", {M}),
    ("Таможня держит фуру на границе третьи сутки.", {M}),
    ("Комитет по защите прав потребителей помог вернуть деньги.", {M}),
    ("Антимонопольное ведомство должно проверить цены на сахар.", {M}),
    ("Денсаулық сақтау министрлігі ауылдағы дәрігер тапшылығын шешсін.", {M}),
    ("Мемлекеттік кірістер басқармасы айыппұлды негізсіз салды.", {M}),
    ("Кеденде жүгімізді үш күн ұстады.", {M}),
    ("Сыбайлас жемқорлыққа қарсы агенттікке рахмет.", {M}),
    ("Энергетика министрлігі бензин тапшылығын шешсін.", {M}),
    ("Densaulyq saqtau ministrlıgı därıger tapşylyğyn şeşsın.", {M}),
    ("Memlekettık kırıster basqarmasy aiyppūl saldy.", {M}),
    ("Kedende jükımızdı üş kün ūstady.", {M}),
    ("salyk komitetine baru kerek pe, alde onlain bola ma", {M}),
    ("Jemqorlyqqa qarsy agenttıkke raqmet!", {M}),
    ("The Ministry of Health should deal with the shortage of doctors in villages.", {M}),
    ("The tax office froze my savings over a tiny penalty.", {M}),
    ("Customs officers held our truck for two days.", {M}),
    ("The consumer protection committee helped me get a refund.", {M}),
    ("The financial regulator should look into this.", {M}),
    # homeowners' bodies are `other`; two institutions in one text
    ("КСК собирает взносы, а подъезд не убирают.", {"other"}),
    ("Управляющая компания ссылается на отсутствие денег.", {"other"}),
    ("Пәтер иелері бірлестігі ақша жинайды, бірақ ештеңе істемейді.", {"other"}),
    ("The management company of our building ignores complaints.", {"other"}),
    ("КСК трубку не берёт, а в теплосетях говорят, что это не их вопрос.", {"other", U}),
    ("Прошу СЭС проверить кафе на Достыке, отравились всей семьёй.", {M, B}),
]

UNNAMED = [
    "Как оформить банкротство физического лица?",
    "Заполнил налоговую декларацию за прошлый год, всё прошло быстро.",
    "Положите две столовые ложки сахара и перемешайте.",
    "Мы отдыхали на озере весёлой компанией друзей.",
    "Вчера проработал до ночи, устал.",
    "Зелёная энергетика развивается быстро.",
    "Таможенный союз обсуждали на форуме.",
    "Родительский комитет собирает деньги на выпускной.",
    "Это фирменное блюдо нашей семьи.",
    "Сотрудники были вежливы, судьба улыбнулась.",
    "Кәсіпкерлік туралы жақсы кітап оқыдым.",
    "Мен жеке кәсіпкермін, декларацияны уақытында тапсырдым.",
    "Банк картасымен төледім, бәрі жақсы.",
    "Кеден одағы туралы жаңалық шықты.",
    "halyk ushin enbek etu kerek dep aitty",
    "Kasipkerlik turaly kitap okydym",
    "I read about it in a magazine yesterday.",
    "I need to check my bank account balance.",
    "She went bankrupt last year and started again.",
    "It was a long con from the start.",
    "Took a taxi to the airport, the ride was fine.",
    "Thanks for the donation of sanitary pads to the shelter.",
    "Our parents' committee organised a picnic.",
]


@pytest.fixture(scope="module")
def analysed() -> dict[str, Analysis]:
    texts = [t for t, _ in NAMED] + UNNAMED
    return dict(zip(texts, analyze_many(texts), strict=True))


@pytest.mark.parametrize(("text", "expected"), NAMED, ids=[t[:40] for t, _ in NAMED])
def test_each_kind_of_institution_is_found_by_how_people_name_it(
    analysed: dict[str, Analysis], text: str, expected: set[str]
) -> None:
    assert set(analysed[text].targets) == expected


@pytest.mark.parametrize("text", UNNAMED, ids=[t[:40] for t in UNNAMED])
def test_ordinary_words_sharing_an_aliases_start_name_no_institution(
    analysed: dict[str, Analysis], text: str
) -> None:
    assert analysed[text].targets == ()


def test_the_table_covers_each_kind_in_each_script() -> None:
    def script(text: str) -> str:
        if any("а" <= c.lower() <= "я" or c in "әғқңөұүһі" for c in text):
            return "cyrl"
        return "latn"

    seen = {(t, script(text)) for text, targets in NAMED for t in targets}
    for kind in (U, S, B, M):
        assert {(kind, "cyrl"), (kind, "latn")} <= seen


def test_a_phrase_that_names_nothing_hides_the_shorter_alias_inside_it() -> None:
    found = lexicon.targets().find
    assert found("налоговая декларация") == []
    assert [h.label for h in found("налоговая заблокировала счёт")] == [M]
    assert found("банкротство") == []
    assert [h.label for h in found("банкке бардым")] == [B]
    # of two one-word aliases the more specific wins, whatever their order in the file
    assert [h.label for h in found("taxi service")] == [B]
    assert [h.label for h in found("tax service")] == [M]


def test_every_alias_row_is_well_formed_and_unambiguous() -> None:
    known = {"akimat", "police", "ministry", "parliament", "party", "court", "prosecutor"}
    known |= {U, S, B, "other", lexicon.NOTHING}
    labels: dict[tuple[tuple[str, ...], str], str] = {}
    with (lexicon.DATA / "targets.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            assert row["target"] in known, row
            assert row["lang"] in {"ru", "kk", "en"}, row
            assert row["match"] in {"prefix", "word"}, row
            words = tuple(w for _, _, w in lexicon.tokenize(row["alias"]))
            assert words, row
            key = (words, row["match"])
            assert labels.setdefault(key, row["target"]) == row["target"], row
