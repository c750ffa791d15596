"""The petitions' pages through HTTP: browse, start one (errors beside their fields, the code shown
once), the author's manage page (a draft hidden without its code), sign in two steps, the 429
page, and the officials' moderation and answer forms."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from arna.app import create_app
from arna.core.settings import Settings
from tests.appeals.conftest import Env
from tests.conftest import DatabaseFactory
from tests.petitions.conftest import ALMATY, CITY, PETITION, iins
from tests.petitions.seeding import Site, bulk, file, seed_site


@pytest.fixture
def site(env: Env) -> Site:
    return seed_site(env.db, env.settings, threshold_reached=False)


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', page)
    assert found, f"no hidden {name}"
    return html.unescape(found.group(1))


def _status(env: Env, number: str) -> str:
    return str(env.client.get(f"/api/v1/petitions/{number}").json()["status"])


def test_the_list_shows_published_petitions_with_their_progress(env: Env, site: Site) -> None:
    page = env.client.get("/petitions?lang=en")
    assert page.status_code == 200
    text = _text(page.text)
    assert "Қалада велосипед жолдарын салу" in text  # open
    assert "Тұрғын үй аулаларында тұрақ салуды тоқтату" in text  # rejected: listed, ended
    assert "Аулаларға балалар алаңдарын салу" not in text  # gathering co-signers: by link only
    assert "Жаңа саябақ салу" not in text  # a draft
    assert "130 of 2,500 signatures" in text and 'href="/petitions/new"' in page.text
    only_open = _text(env.client.get("/petitions?status=open&lang=en").text)
    assert "велосипед" in only_open and "тұрақ" not in only_open
    ru = env.client.get(f"/petitions?addressee_id={CITY}&lang=ru")
    assert "Собираются подписи" in _text(ru.text) or "велосипед" in ru.text
    ignored = env.client.get("/petitions?status=nonsense&region=<b>&page=x")
    assert ignored.status_code == 200 and "&lt;b&gt;" not in ignored.text


def test_start_a_petition_with_errors_beside_the_fields(env: Env) -> None:
    form = env.client.get("/petitions/new?lang=en")
    assert form.status_code == 200 and 'name="addressee_id"' in form.text
    assert "Akimat of Semey" in form.text and "Government of the Republic" in form.text
    bad = env.client.post(
        "/petitions/new?lang=en",
        data={"title": "short", "text": "too short", "iin": "123", "first_name": "Айгерім"},
    )
    assert bad.status_code == 422
    for field in ("title", "text", "addressee_id", "iin", "last_name"):
        assert f'id="{field}-error"' in bad.text, field
        assert 'aria-describedby="' in bad.text
    assert 'id="first_name-error"' not in bad.text
    assert 'value="Айгерім"' in bad.text  # what was typed stays
    assert "Choose the body the petition is addressed to." in bad.text

    ru = env.client.post("/petitions/new?lang=ru", data={"title": "x"})
    assert ru.status_code == 422 and "Выберите" in ru.text

    values = {
        "title": PETITION["title"], "text": PETITION["text"], "addressee_id": CITY,
        "iin": PETITION["author_iin"], "first_name": "Сәуле", "last_name": "Нұрланқызы",
    }  # fmt: skip
    done = env.client.post("/petitions/new?lang=en", data=values)
    assert done.status_code == 201, done.text
    assert done.headers["cache-control"] == "no-store"
    number = re.search(r'id="number">([^<]+)<', done.text).group(1)  # type: ignore[union-attr]
    code = re.search(r'id="author-code">([^<]+)<', done.text).group(1)  # type: ignore[union-attr]
    assert f"/petitions/{number}/manage#code={code}" in done.text
    assert _status_of_draft(env, number, code) == "draft"


def test_a_draft_is_seen_only_with_the_code_and_sent_out_from_the_manage_page(env: Env) -> None:
    number, code = file(env.db, env.settings)
    assert env.client.get(f"/petitions/{number}").status_code == 404
    assert env.client.get(f"/petitions/{number}/regions.json").status_code == 404
    ask = env.client.get(f"/petitions/{number}/manage?lang=en")
    assert (
        ask.status_code == 200 and 'name="code"' in ask.text and PETITION["title"] not in ask.text
    )
    wrong = env.client.post(f"/petitions/{number}/manage?lang=en", data={"code": "AAAAA-AAAAA"})
    assert wrong.status_code == 404 and PETITION["title"] not in wrong.text
    assert "do not match" in wrong.text
    empty = env.client.post(f"/petitions/{number}/manage?lang=en", data={"code": " "})
    assert empty.status_code == 422
    forged = env.client.post(f"/petitions/{number}/manage/send", data={"code": "AAAAA-AAAAA"})
    assert forged.status_code == 404 and _status_of_draft(env, number, code) == "draft"

    mine = env.client.post(f"/petitions/{number}/manage?lang=en", data={"code": code.lower()})
    assert mine.status_code == 200 and PETITION["title"] in mine.text
    assert "Draft" in mine.text and 'id="send-form"' in mine.text
    assert mine.headers["referrer-policy"] == "no-referrer"
    sent = env.client.post(f"/petitions/{number}/manage/send?lang=en", data={"code": code})
    assert sent.status_code == 200 and "Gathering co-signers" in sent.text
    assert f"/petitions/{number}" in _text(sent.text) and 'id="share-link"' in sent.text
    again = env.client.post(f"/petitions/{number}/manage/send?lang=en", data={"code": code})
    assert again.status_code == 409 and "sent out already" in again.text
    public = env.client.get(f"/petitions/{number}?lang=en")
    assert public.status_code == 200 and 'action="/petitions/' in public.text


def _status_of_draft(env: Env, number: str, code: str) -> str:
    got = env.client.get(f"/api/v1/petitions/{number}", headers={"X-Access-Code": code})
    return str(got.json()["status"])


def test_the_petition_page_shows_progress_chart_map_and_regions(env: Env, site: Site) -> None:
    page = env.client.get(f"/petitions/{site.open}?lang=en")
    assert page.status_code == 200
    text = _text(page.text)
    assert "Collecting signatures" in text and "130 of 2,500 signatures" in text
    assert "2,500 signatures for a city of over 50,000 people" in text  # the legal basis
    assert 'id="chart-signatures-over-time"' in page.text
    assert 'data-src="/petitions/' in page.text
    # the regions' table: Abai's 3 signers show no figure
    assert re.search(r"Almaty \(city\)</th><td class=\"num\">90<", page.text)
    assert "fewer than 10" in text and "Асқар Б." in text
    assert "Akimat of Semey" in text
    figures = env.client.get(f"/petitions/{site.open}/regions.json?lang=en").json()
    by_kato = {f["properties"]["kato"]: f["properties"] for f in figures["features"]}
    assert by_kato[ALMATY]["lines"] == [["Signatures", "90"]]
    assert by_kato["100000000"]["lines"] == [["Signatures", "fewer than 10"]]
    assert by_kato["100000000"]["fill"] == "#cccccc"
    rejected = _text(env.client.get(f"/petitions/{site.rejected}?lang=ru").text)
    assert "Отклонена" in rejected and "Осы тақырыпта петиция ашық." in rejected
    assert env.client.get("/petitions/P-1999-999999").status_code == 404


def test_sign_in_two_steps_and_count_once(env: Env, site: Site) -> None:
    number = site.open
    signer = {"iin": iins(1, 9000)[0], "first_name": "Айгерім", "last_name": "сапарова"}
    bad = env.client.post(f"/petitions/{number}/sign?lang=en", data={**signer, "iin": "1"})
    assert bad.status_code == 422 and 'id="sign-iin-error"' in bad.text
    assert 'id="sign-region-error"' in bad.text and 'value="Айгерім"' in bad.text
    step = env.client.post(f"/petitions/{number}/sign?lang=en", data={**signer, "region": ALMATY})
    assert step.status_code == 200
    assert "You sign as Айгерім С., Almaty (city)." in _text(step.text)
    assert signer["iin"] not in step.text and step.headers["cache-control"] == "no-store"
    token = _hidden(step.text, "confirmation")
    done = env.client.post(
        f"/petitions/{number}/sign/confirm", data={"confirmation": token}, follow_redirects=False
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"/petitions/{number}?signed=yes#sign"
    assert env.client.get(f"/api/v1/petitions/{number}").json()["signatures"] == 131
    thanks = env.client.get(done.headers["location"].split("#")[0] + "&lang=en")
    assert "your signature is counted" in thanks.text
    spaced = f"{signer['iin'][:6]} {signer['iin'][6:]}"
    again = env.client.post(
        f"/petitions/{number}/sign", data={**signer, "iin": spaced, "region": ALMATY}
    )
    token = _hidden(again.text, "confirmation")
    before = env.client.post(
        f"/petitions/{number}/sign/confirm", data={"confirmation": token}, follow_redirects=False
    )
    assert before.headers["location"].endswith("?signed=before#sign")
    assert env.client.get(f"/api/v1/petitions/{number}").json()["signatures"] == 131

    forged = env.client.post(
        f"/petitions/{number}/sign/confirm?lang=en", data={"confirmation": "x" * 40}
    )
    assert forged.status_code == 422 and "cannot be used" in forged.text
    other = env.client.post(
        f"/petitions/{site.cosigning}/sign/confirm", data={"confirmation": token}
    )
    assert other.status_code == 422
    closed = env.client.post(f"/petitions/{site.rejected}/sign?lang=en", data=signer)
    assert closed.status_code == 409 and "takes no signatures" in closed.text


def test_cosigners_sign_by_direct_link_until_moderation(env: Env, site: Site) -> None:
    page = env.client.get(f"/petitions/{site.cosigning}?lang=en")
    assert "7 of the 50 co-signers needed" in _text(page.text)
    bulk(env.db, env.settings, site.cosigning, 42, start=3000)
    signer = {"iin": iins(1, 9100)[0], "first_name": "Нұрлан", "last_name": "Ахметов"}
    step = env.client.post(f"/petitions/{site.cosigning}/sign", data={**signer, "region": ALMATY})
    token = _hidden(step.text, "confirmation")
    env.client.post(f"/petitions/{site.cosigning}/sign/confirm", data={"confirmation": token})
    assert _status(env, site.cosigning) == "moderation"


@pytest.fixture
def tight(databases: DatabaseFactory) -> Iterator[Env]:
    db = databases.ready()
    settings = Settings(database_url=db.url, signature_limits="2/hour")
    with TestClient(create_app(settings, db=db)) as client:
        yield Env(db, settings, client)


def test_a_flood_from_one_address_gets_a_clear_429_page(tight: Env) -> None:
    number, code = file(tight.db, tight.settings)
    tight.client.post(f"/petitions/{number}/manage/send", data={"code": code})
    answers = []
    for iin in iins(3, 7000):
        signer = {"iin": iin, "first_name": "Иван", "last_name": "Ким", "region": ALMATY}
        step = tight.client.post(f"/petitions/{number}/sign", data=signer)
        token = _hidden(step.text, "confirmation")
        answers.append(
            tight.client.post(
                f"/petitions/{number}/sign/confirm?lang=en",
                data={"confirmation": token},
                follow_redirects=False,
            )
        )
    assert [a.status_code for a in answers] == [303, 303, 429]
    refused = answers[-1]
    assert int(refused.headers["retry-after"]) >= 1
    assert "Too many signatures from your connection" in refused.text
    assert "Nothing was stored" in refused.text
    assert tight.client.get(f"/api/v1/petitions/{number}").json()["signatures"] == 2


def _login(env: Env, email: str) -> None:
    page = env.client.get("/official/login")
    csrf = _hidden(page.text, "csrf")
    done = env.client.post(
        "/official/login",
        data={"email": email, "password": "password-123", "csrf": csrf},
        follow_redirects=False,
    )
    assert done.status_code == 303


def test_officials_moderate_and_answer_on_the_workbench(env: Env, site: Site) -> None:
    assert env.client.get("/official/petitions", follow_redirects=False).status_code == 303
    env.token("admin", None, "admin@example.kz")
    env.token("official", CITY, "semey@example.kz")
    env.token("official", "akimat-790000000", "shymkent@example.kz")
    _login(env, "admin@example.kz")
    page = env.client.get("/official/petitions?lang=en")
    assert page.status_code == 200 and site.moderation in page.text
    assert 'href="/official/petitions" aria-current="page"' in page.text
    csrf = _hidden(page.text, "csrf")
    url = f"/official/petitions/{site.moderation}/moderation?lang=en"
    forged = env.client.post(url, data={"csrf": "forged", "decision": "approve"})
    assert forged.status_code == 403 and _status(env, site.moderation) == "moderation"
    undecided = env.client.post(url, data={"csrf": csrf})
    assert undecided.status_code == 422 and "Choose to publish or to reject." in undecided.text
    no_reason = env.client.post(url, data={"csrf": csrf, "decision": "reject"})
    assert no_reason.status_code == 422 and "names its reason" in no_reason.text
    done = env.client.post(url, data={"csrf": csrf, "decision": "approve"}, follow_redirects=False)
    assert done.status_code == 303 and "done=published" in done.headers["location"]
    assert _status(env, site.moderation) == "open"

    bulk(env.db, env.settings, site.moderation, 2450, start=5000)
    assert _status(env, site.moderation) == "response_due"
    _login(env, "shymkent@example.kz")
    other = env.client.get("/official/petitions?lang=en")
    assert site.moderation not in other.text and "Nothing awaits you now." in other.text
    refused = env.client.post(
        f"/official/petitions/{site.moderation}/answer",
        data={"csrf": _hidden(other.text, "csrf"), "text": "x" * 40},
    )
    assert refused.status_code == 403 and _status(env, site.moderation) == "response_due"

    _login(env, "semey@example.kz")
    mine = env.client.get("/official/petitions?lang=en")
    assert site.moderation in mine.text and 'name="text"' in mine.text
    csrf = _hidden(mine.text, "csrf")
    url = f"/official/petitions/{site.moderation}/answer?lang=en"
    short = env.client.post(url, data={"csrf": csrf, "text": "Жоқ."})
    assert short.status_code == 422 and "20 to 20,000 characters" in short.text
    answered = env.client.post(
        url, data={"csrf": csrf, "text": "Жарық 2027 жылы орнатылады, қаражат бөлінді."},
        follow_redirects=False,
    )  # fmt: skip
    assert answered.status_code == 303
    assert _status(env, site.moderation) == "answered"
    public = _text(env.client.get(f"/petitions/{site.moderation}?lang=en").text)
    assert "Жарық 2027 жылы орнатылады" in public and "Answered" in public


def test_administrators_see_surges_and_set_them_aside(env: Env, site: Site) -> None:
    from datetime import UTC, datetime, timedelta

    from arna.petitions.actions.lifecycle import person_key
    from arna.petitions.actions.signing import Signing, sign_batch
    from arna.petitions.confirmation import Pending

    far = datetime.now(UTC) + timedelta(hours=1)
    office = "cd" * 32
    sign_batch(
        env.db,
        [
            Signing(
                Pending(site.open, person_key(env.settings, i), "Office O.", ALMATY, far), office
            )
            for i in iins(40, start=60_000)
        ],
    )
    env.token("admin", None, "admin@example.kz")
    env.token("official", CITY, "semey@example.kz")
    _login(env, "semey@example.kz")
    assert "Sudden surges" not in env.client.get("/official/petitions?lang=en").text
    _login(env, "admin@example.kz")
    page = env.client.get("/official/petitions?lang=en")
    assert page.status_code == 200 and office in page.text and site.open in page.text
    csrf = _hidden(page.text, "csrf")
    url = f"/official/petitions/{site.open}/invalidations?lang=en"
    before = env.client.get(f"/api/v1/petitions/{site.open}").json()["signatures"]
    vague = env.client.post(url, data={"csrf": csrf, "source": office, "reason": "bots"})
    assert vague.status_code == 422 and "10 to 500 characters" in vague.text
    done = env.client.post(
        url,
        data={
            "csrf": csrf,
            "source": office,
            "reason": "40 signatures in one minute from one office",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and "done=invalidated" in done.headers["location"]
    after = env.client.get(f"/api/v1/petitions/{site.open}").json()
    assert after["signatures"] == before - 40 and after["invalidations"][-1]["count"] == 40
    public = _text(env.client.get(f"/petitions/{site.open}?lang=en").text)
    assert "one office" in public
    assert office not in env.client.get("/official/petitions?lang=en").text  # decided
