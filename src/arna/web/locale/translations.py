"""Source of the kk and ru catalogs: English message → (Kazakh, Russian).

`python -m arna.web.locale.translations` rewrites the three messages.po files from this table and
the messages extracted from the code and templates (pybabel extract -F babel.cfg). Translators
may edit the .po files directly; this table is how the first version was made.
"""

from __future__ import annotations

T: dict[str, tuple[str, str]] = {
    "Complaint": ("Шағым", "Жалоба"),
    "Request": ("Өтініш", "Заявление"),
    "Proposal": ("Ұсыныс", "Предложение"),
    "Report of a problem": ("Мәселе туралы хабарлама", "Сообщение о проблеме"),
    "Thanks": ("Алғыс", "Благодарность"),
    "Registered and sent to the responsible body": (
        "Тіркелді және жауапты органға жіберілді",
        "Зарегистрировано и направлено в ответственный орган",
    ),
    "Taken into work": ("Жұмысқа алынды", "Принято в работу"),
    "Forwarded to another body": ("Басқа органға жіберілді", "Перенаправлено в другой орган"),
    "Answered": ("Жауап берілді", "Дан ответ"),
    "Deadline extended": ("Мерзім ұзартылды", "Срок продлён"),
    "The applicant said the problem is not solved": (
        "Өтініш беруші мәселе шешілмеді деді",
        "Заявитель сообщил, что проблема не решена",
    ),
    "Escalated to the body above": ("Жоғары органға жіберілді", "Передано в вышестоящий орган"),
    "Closed": ("Жабылды", "Закрыто"),
    "No body above is left to escalate to": (
        "Жіберетін жоғары орган қалмады",
        "Вышестоящих органов больше нет",
    ),
    "Describe the problem in 1 to 10,000 characters.": (
        "Мәселені 1-ден 10 000 таңбаға дейін сипаттаңыз.",
        "Опишите проблему: от 1 до 10 000 символов.",
    ),
    "Choose what kind of appeal this is.": (
        "Өтініштің түрін таңдаңыз.",
        "Выберите вид обращения.",
    ),
    "Choose a topic from the list.": ("Тізімнен тақырып таңдаңыз.", "Выберите тему из списка."),
    "Say where the problem is: choose a region or a district, or name the place in the text.": (
        "Мәселе қай жерде екенін көрсетіңіз: облысты немесе ауданды таңдаңыз не мәтінде атаңыз.",
        "Укажите, где проблема: выберите область или район либо назовите место в тексте.",
    ),
    "Give your name (up to 200 characters).": (
        "Атыңызды жазыңыз (200 таңбаға дейін).",
        "Укажите имя (до 200 символов).",
    ),
    "Check the e-mail address, e.g. aigerim@example.kz.": (
        "Электрондық пошта мекенжайын тексеріңіз, мысалы aigerim@example.kz.",
        "Проверьте адрес электронной почты, например aigerim@example.kz.",
    ),
    "Give a Kazakhstan phone number: +7 and 10 digits, e.g. +7 701 234 56 78.": (
        "Қазақстандық телефон нөмірін жазыңыз: +7 және 10 цифр, мысалы +7 701 234 56 78.",
        "Укажите казахстанский номер: +7 и 10 цифр, например +7 701 234 56 78.",
    ),
    "An IIN has 12 digits and a valid check digit; check it or leave it empty.": (
        "ЖСН 12 цифрдан тұрады және бақылау цифры дұрыс болуы керек; тексеріңіз не бос қалдырыңыз.",
        "ИИН состоит из 12 цифр с верной контрольной цифрой; проверьте его или оставьте пустым.",
    ),
    "No appeal with this number and access code. Check both and try again.": (
        "Бұл нөмір мен қол жеткізу коды бойынша өтініш табылмады. Екеуін де тексеріп, қайталаңыз.",
        "Обращение с таким номером и кодом доступа не найдено. Проверьте оба и попробуйте снова.",
    ),
    "Say whether the answer solved your problem and rate it from 1 to 5.": (
        "Жауап мәселеңізді шешті ме, айтыңыз және оны 1-ден 5-ке дейін бағалаңыз.",
        "Скажите, решил ли ответ вашу проблему, и оцените его от 1 до 5.",
    ),
    "Feedback can be given once, after the answer.": (
        "Пікір жауаптан кейін бір рет беріледі.",
        "Отзыв можно оставить один раз, после ответа.",
    ),
    "Thank you. We have recorded that the problem is solved.": (
        "Рахмет. Мәселе шешілгені тіркелді.",
        "Спасибо. Мы отметили, что проблема решена.",
    ),
    "Thank you. The appeal goes up to the body above.": (
        "Рахмет. Өтініш жоғары органға жіберіледі.",
        "Спасибо. Обращение передаётся в вышестоящий орган.",
    ),
    "Arna reads this as:": ("Арна мұны былай түсінді:", "Арна понимает это как:"),
    "Appeal registered": ("Өтініш тіркелді", "Обращение зарегистрировано"),
    "Your appeal is registered": ("Өтінішіңіз тіркелді", "Ваше обращение зарегистрировано"),
    "Tracking number": ("Бақылау нөмірі", "Номер для отслеживания"),
    "Access code": ("Қол жеткізу коды", "Код доступа"),
    "Sent to": ("Кімге жіберілді", "Направлено в"),
    "Answer due by": ("Жауап беру мерзімі", "Срок ответа"),
    "Write down the number and the access code: they are shown only once. With them you can follow your appeal and reply to the answer on the tracking page.": (  # noqa: E501
        "Нөмір мен қол жеткізу кодын жазып алыңыз: олар тек бір рет көрсетіледі. Солар арқылы бақылау бетінде өтінішіңізді қадағалап, жауапқа пікір бере аласыз.",  # noqa: E501
        "Запишите номер и код доступа: они показываются только один раз. С ними вы сможете следить за обращением и ответить на ответ на странице отслеживания.",  # noqa: E501
    ),
    "Track my appeal": ("Өтінішімді қадағалау", "Отследить обращение"),
    "File an appeal": ("Өтініш беру", "Подать обращение"),
    "Your appeal goes to the state body responsible for the problem, which must answer within 15 working days. If it does not, the appeal goes up to the body above.": (  # noqa: E501
        "Өтінішіңіз мәселеге жауапты мемлекеттік органға жіберіледі, ол 15 жұмыс күні ішінде жауап беруге міндетті. Жауап болмаса, өтініш жоғары органға жіберіледі.",  # noqa: E501
        "Обращение поступит в государственный орган, ответственный за проблему; он обязан ответить в течение 15 рабочих дней. Если ответа нет, обращение передаётся в вышестоящий орган.",  # noqa: E501
    ),
    "Some fields need correcting; see the messages below.": (
        "Кейбір өрістерді түзету керек; төмендегі хабарламаларды қараңыз.",
        "Некоторые поля нужно исправить; см. сообщения ниже.",
    ),
    "Your appeal": ("Сіздің өтінішіңіз", "Ваше обращение"),
    "What is the problem?": ("Мәселе неде?", "В чём проблема?"),
    "Kind of appeal": ("Өтініш түрі", "Вид обращения"),
    "Topic": ("Тақырып", "Тема"),
    "(optional: Arna suggests one from your text)": (
        "(міндетті емес: Арна мәтініңізге қарап ұсынады)",
        "(необязательно: Арна предложит по вашему тексту)",
    ),
    "Let Arna choose": ("Арна таңдасын", "Пусть выберет Арна"),
    "Where is the problem?": ("Мәселе қай жерде?", "Где проблема?"),
    "Region": ("Өңір", "Регион"),
    "Named in the text": ("Мәтінде аталған", "Указано в тексте"),
    "District or city": ("Аудан немесе қала", "Район или город"),
    "(optional)": ("(міндетті емес)", "(необязательно)"),
    "The whole region": ("Бүкіл өңір", "Весь регион"),
    "About you": ("Сіз туралы", "О вас"),
    "Your name": ("Атыңыз", "Ваше имя"),
    "E-mail": ("Электрондық пошта", "Электронная почта"),
    "(optional: we write to you when the appeal moves)": (
        "(міндетті емес: өтініш қозғалғанда хабарлаймыз)",
        "(необязательно: напишем, когда обращение продвинется)",
    ),
    "Phone": ("Телефон", "Телефон"),
    "IIN": ("ЖСН", "ИИН"),
    "Who sees it": ("Кім көреді", "Кто это увидит"),
    "Officials of the responsible body see everything you write here. The public sees a public appeal's text and history, but never your name, IIN, phone or e-mail; IINs, phone numbers and e-mail addresses written in the text are removed too. Do not write other people's names in the text.": (  # noqa: E501
        "Жауапты органның қызметкерлері мұнда жазғаныңыздың бәрін көреді. Жұртшылық ашық өтініштің мәтіні мен тарихын көреді, бірақ атыңызды, ЖСН-ді, телефонды не электрондық поштаны ешқашан көрмейді; мәтінде жазылған ЖСН, телефон нөмірлері мен электрондық пошта мекенжайлары да алынып тасталады. Мәтінде басқа адамдардың аты-жөнін жазбаңыз.",  # noqa: E501
        "Сотрудники ответственного органа видят всё, что вы здесь пишете. Публика видит текст и историю публичного обращения, но никогда — ваше имя, ИИН, телефон или почту; ИИН, номера телефонов и адреса почты, написанные в тексте, тоже удаляются. Не пишите в тексте имена других людей.",  # noqa: E501
    ),
    "Decide by topic (public for roads, utilities and other shared problems; private for personal matters)": (  # noqa: E501
        "Тақырыпқа қарай шешу (жол, коммуналдық қызмет сияқты ортақ мәселелер — ашық; жеке мәселелер — жабық)",  # noqa: E501
        "Решить по теме (дороги, коммунальные услуги и другие общие проблемы — публично; личные вопросы — закрыто)",  # noqa: E501
    ),
    "Public": ("Ашық", "Публично"),
    "Private": ("Жабық", "Закрыто для публики"),
    "Send the appeal": ("Өтінішті жіберу", "Отправить обращение"),
    "Show": ("Көрсету", "Показать"),
    "Status": ("Күйі", "Статус"),
    "Registered": ("Тіркелді", "Зарегистрировано"),
    "In progress": ("Жұмыста", "В работе"),
    "Handled by": ("Қарайтын орган", "Рассматривает"),
    "overdue": ("мерзімі өтті", "просрочено"),
    "Times escalated": ("Жоғары жіберілген рет саны", "Сколько раз передавалось выше"),
    "Answer": ("Жауап", "Ответ"),
    "Did this solve your problem?": ("Бұл мәселеңізді шешті ме?", "Это решило вашу проблему?"),
    "Yes": ("Иә", "Да"),
    "No — send it to the body above": ("Жоқ — жоғары органға жіберу", "Нет — передать выше"),
    "Rate the answer from 1 (bad) to 5 (good)": (
        "Жауапты 1-ден (нашар) 5-ке (жақсы) дейін бағалаңыз",
        "Оцените ответ от 1 (плохо) до 5 (хорошо)",
    ),
    "Send": ("Жіберу", "Отправить"),
    "History": ("Тарихы", "История"),
    "Hash of this event in the public audit chain": (
        "Осы оқиғаның ашық аудит тізбегіндегі хэші",
        "Хэш этого события в публичной цепочке аудита",
    ),
    "Skip to content": ("Мазмұнға өту", "Перейти к содержанию"),
    "A channel between citizens and the state": (
        "Азаматтар мен мемлекет арасындағы арна",
        "Канал между гражданами и государством",
    ),
    "Main": ("Негізгі мәзір", "Главное меню"),
    "Language": ("Тіл", "Язык"),
    "Boundaries: geokz by Alexander Rodionov (CC BY 4.0). Population: Bureau of National Statistics, ASPR RK.": (  # noqa: E501
        "Шекаралар: geokz, Александр Родионов (CC BY 4.0). Халық саны: ҚР СЖРА Ұлттық статистика бюросы.",  # noqa: E501
        "Границы: geokz, Александр Родионов (CC BY 4.0). Население: Бюро национальной статистики АСПР РК.",  # noqa: E501
    ),
    "Regions and their akimats": ("Өңірлер және олардың әкімдіктері", "Регионы и их акиматы"),
    "Arna: a channel between citizens and the state": (
        "Арна: азаматтар мен мемлекет арасындағы арна",
        "Арна: канал между гражданами и государством",
    ),
    "File an appeal and Arna sends it to the body responsible, starts the legal clock of 15 working days and, if the body does not answer or you are not satisfied, takes it up to the body above, in public.": (  # noqa: E501
        "Өтініш беріңіз: Арна оны жауапты органға жібереді, заңдағы 15 жұмыс күнінің есебін бастайды, ал орган жауап бермесе не сіз жауапқа көңіліңіз толмаса, өтінішті ашық түрде жоғары органға көтереді.",  # noqa: E501
        "Подайте обращение: Арна направит его в ответственный орган, запустит законный срок в 15 рабочих дней, а если орган не ответит или ответ вас не устроит — публично передаст обращение в вышестоящий орган.",  # noqa: E501
    ),
    "The request could not be read": ("Сұрауды оқу мүмкін болмады", "Не удалось прочитать запрос"),
    "This action is not allowed": ("Бұл әрекетке рұқсат жоқ", "Это действие не разрешено"),
    "This page does not accept that kind of request": (
        "Бұл бет мұндай сұрауды қабылдамайды",
        "Эта страница не принимает такой запрос",
    ),
    "This cannot be done in the appeal's present state": (
        "Өтініштің қазіргі күйінде мұны істеу мүмкін емес",
        "В нынешнем состоянии обращения это сделать нельзя",
    ),
    "What was sent is too large": ("Жіберілген дерек тым үлкен", "Отправлено слишком много данных"),
    "Some of what was sent cannot be used": (
        "Жіберілген деректің бір бөлігін пайдалану мүмкін емес",
        "Часть отправленных данных нельзя использовать",
    ),
    "Too many attempts; wait a little and try again": (
        "Тым көп әрекет; біраз күтіп, қайталаңыз",
        "Слишком много попыток; подождите немного и повторите",
    ),
    "Something went wrong": ("Бірдеңе дұрыс болмады", "Что-то пошло не так"),
    "Go back and check what you entered, or start again from the home page.": (
        "Артқа оралып, енгізгеніңізді тексеріңіз немесе басты беттен қайта бастаңыз.",
        "Вернитесь и проверьте введённое или начните заново с главной страницы.",
    ),
    "Technical details": ("Техникалық мәліметтер", "Технические подробности"),
    "Akimat": ("Әкімдік", "Акимат"),
    "Maslikhat": ("Мәслихат", "Маслихат"),
    "Districts and cities": ("Аудандар мен қалалар", "Районы и города"),
    "Population": ("Халық саны", "Население"),
}


def table() -> dict[str, tuple[str, str]]:
    from arna.web.locale import official, public

    return {**T, **public.T, **official.T}


def main() -> None:
    """Rewrite the kk, ru and en catalogs from the extracted messages and this table."""
    import subprocess
    import sys
    from pathlib import Path

    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    here = Path(__file__).parent
    pot = here / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_", "-k", "gettext_", "--no-location", "--omit-header", "-o", str(pot), "."],
        check=True,
    )  # fmt: skip
    with open(pot, "rb") as f:
        template = read_po(f)
    known = table()
    missing = [m.id for m in template if m.id and m.id not in known]
    if missing:
        raise SystemExit(f"no translation for: {missing}")
    for index, lang in ((0, "kk"), (1, "ru"), (None, "en")):
        catalog = Catalog(locale=lang, project="Arna", domain="messages")
        for m in template:
            if m.id:
                text = m.id if index is None else known[str(m.id)][index]
                catalog.add(m.id, text)
        out = here / lang / "LC_MESSAGES"
        out.mkdir(parents=True, exist_ok=True)
        with open(out / "messages.po", "wb") as f:
            write_po(f, catalog, omit_header=False, width=100)


if __name__ == "__main__":
    main()
