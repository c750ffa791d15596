"""Whatever a client sends, the answer is the spec's error document with a reason and a 4xx, never
a 500, and nothing of a refused request is kept: no appeal, no audit event, no replay key, no
e-mail. A replay files nothing twice."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from tests.open311.conftest import KURCHATOV, POTHOLE, ROOT, GeoEnv

NO_PLACE = {k: v for k, v in POTHOLE.items() if k not in ("lat", "long", "address_string")}
NAMELESS = {k: v for k, v in POTHOLE.items() if k not in ("first_name", "last_name")}
FORM = {"content-type": "application/x-www-form-urlencoded"}


def _changes(geo: GeoEnv) -> list[tuple[str, dict[str, str], int, str]]:
    """(what, form fields over the pothole, status, words of the reason)."""
    return [
        ("unknown service", {"service_code": "potholes"}, 404, "unknown service_code"),
        ("no service", {"service_code": ""}, 400, "service_code: required"),
        ("unknown jurisdiction", {"jurisdiction_id": "123456789"}, 404, "jurisdiction_id"),
        ("point abroad", {"lat": "41.31", "long": "69.24"}, 400, "outside Kazakhstan"),
        ("point elsewhere", {"jurisdiction_id": "750000000"}, 400, "outside jurisdiction"),
        ("lat only", {"long": ""}, 400, "give both lat and long"),
        ("lat a word", {"lat": "north"}, 400, "decimal degrees"),
        ("lat not a number", {"lat": "nan"}, 400, "within -90..90"),
        ("lat too big", {"lat": "91"}, 400, "within -90..90"),
        ("no place", {"lat": "", "long": "", "address_string": ""}, 400, "say where"),
        ("unknown address id", {"address_id": "999"}, 400, "address_id"),
        ("too long", {"description": "ш" * 4_001}, 400, "at most 4,000 characters"),
        ("html", {"description": "<b>яма</b>"}, 400, "no HTML"),
        ("script", {"description": "яма <script>alert(1)</script>"}, 400, "no HTML"),
        ("control", {"description": "яма\x00"}, 400, "control characters"),
        ("no description", {"description": ""}, 400, "description: required"),
        ("bad iin", {"attribute[iin]": "900101300127"}, 400, "attribute[iin]"),
        ("short iin", {"attribute[iin]": "12345"}, 400, "attribute[iin]"),
        ("bad phone", {"phone": "+1 202 555 0100"}, 400, "phone: a Kazakhstan phone number"),
        ("bad email", {"email": "aigerim@"}, 400, "email:"),
        ("bad kind", {"attribute[kind]": "thanks"}, 400, "attribute[kind]"),
        ("bad language", {"attribute[language]": "de"}, 400, "attribute[language]"),
        ("unknown attribute", {"attribute[colour]": "red"}, 400, "no such attribute"),
        ("notice is no field", {"attribute[notice]": "x"}, 400, "no such attribute"),
        ("unknown field", {"priority": "high"}, 400, "not a field"),
        ("media not a url", {"media_url": "javascript:alert(1)"}, 400, "media_url"),
        ("no key", {"api_key": ""}, 400, "api_key: required"),
        ("bad key", {"api_key": "arna_key_guess"}, 403, "invalid api_key"),
        ("long name", {"first_name": "А" * 101}, 400, "first_name: at most 100"),
    ]


def _error(answer: Any, fmt: str) -> str:
    if fmt == "json":
        errors = answer.json()
        assert isinstance(errors, list) and errors and all(set(e) == {"code", "description"}
                                                           for e in errors)  # fmt: skip
        assert {e["code"] for e in errors} == {answer.status_code}
        return " | ".join(e["description"] for e in errors)
    tree = ET.fromstring(answer.content)
    assert tree.tag == "errors" and all(e.tag == "error" for e in tree)
    assert {e.findtext("code") for e in tree} == {str(answer.status_code)}
    return " | ".join(e.findtext("description") or "" for e in tree)


def test_each_bad_request_is_refused_with_its_reason_and_keeps_nothing(geo: GeoEnv) -> None:
    before = geo.written()
    for i, (what, change, status, reason) in enumerate(_changes(geo)):
        fmt = ("json", "xml")[i % 2]
        form = {"api_key": geo.key, **POTHOLE, **change}
        answer = geo.client.post(f"{ROOT}/requests.{fmt}", data=form)
        assert answer.status_code == status, (what, answer.text)
        assert reason in _error(answer, fmt), (what, answer.text)
    for what, fields in (("nameless", NAMELESS), ("no place named", NO_PLACE)):
        answer = geo.post(**{**fields, "address_string": "үйдің жанында"})
        assert answer.status_code == 400, (what, answer.text)
    assert "not anonymous" in _error(geo.post(**NAMELESS), "json")
    assert "no place Arna knows" in _error(
        geo.post(**{**NO_PLACE, "address_string": "үйдің жанында"}), "json"
    )
    assert geo.written() == before


def test_malformed_forms_and_bodies(geo: GeoEnv) -> None:
    before = geo.written()
    url = f"{ROOT}/requests.xml"
    sent = [
        (b"api_key=x&description=%FF%FE", FORM, 400, "not UTF-8"),
        (b"\xff\xfe=\x00", FORM, 400, "not UTF-8"),
        (b"&".join(b"f%d=1" % i for i in range(50)), FORM, 400, "more than 40 fields"),
        (b"service_code=a&service_code=b", FORM, 400, "given more than once"),
        (b"attribute[kind][]=report", FORM, 400, "not a field"),
        (b'{"service_code": "roads_local"}', {"content-type": "application/json"}, 400,
         "application/x-www-form-urlencoded"),
        (b"", {}, 400, "application/x-www-form-urlencoded"),
        (b"a=" + b"x" * 300_000, FORM, 413, "larger than"),
    ]  # fmt: skip
    for body, headers, status, reason in sent:
        answer = geo.client.post(url, content=body, headers=headers)
        assert answer.status_code == status, (body[:40], answer.text)
        assert reason in _error(answer, "xml"), (body[:40], answer.text)
    # a body streamed without its length is cut off as it goes over the cap, all the same
    chunks = iter([b"a=" + b"x" * 200_000, b"x" * 200_000])
    answer = geo.client.post(url.replace(".xml", ".json"), content=chunks, headers=FORM)
    assert answer.status_code == 413 and "larger than" in _error(answer, "json")
    bad_header = geo.client.post(
        url, data={"api_key": geo.key, **POTHOLE}, headers={"Idempotency-Key": "two words"}
    )
    assert bad_header.status_code == 400 and "Idempotency-Key" in _error(bad_header, "xml")
    assert geo.written() == before


def test_bad_filters_and_addresses(geo: GeoEnv) -> None:
    asked = [
        ("requests.json?start_date=yesterday", 400, "start_date: a W3C date-time"),
        ("requests.xml?end_date=2026-13-01", 400, "end_date"),
        ("requests.json?start_date=2026-01-01&end_date=2026-06-01", 400, "at most 90 days"),
        ("requests.json?start_date=2026-06-01&end_date=2026-01-01", 400, "before start_date"),
        ("requests.json?status=pending", 400, "status: open, closed"),
        ("requests.xml?service_code=potholes", 404, "unknown service_code"),
        ("requests.json?jurisdiction_id=abc", 404, "unknown jurisdiction_id"),
        ("requests/A-2026-000001.json", 404, "no service request"),
        ("requests/A-2026-000001.yaml", 400, "format"),
        ("servicerequestupdates.xml?start_date=2025-01-01", 200, ""),
        ("servicerequestupdates.json?end_date=later", 400, "end_date"),
        ("services/roads_local.json?jurisdiction_id=1", 404, "jurisdiction_id"),
        ("no/such/thing.xml", 404, "Not Found"),
    ]
    for path, status, reason in asked:
        answer = geo.client.get(f"{ROOT}/{path}")
        assert answer.status_code == status, (path, answer.text)
        if status != 200:
            assert reason in _error(answer, "xml" if ".xml" in path else "json"), path
    wrong_method = geo.client.delete(f"{ROOT}/requests.xml")
    assert wrong_method.status_code == 405 and _error(wrong_method, "xml")


def test_a_replay_files_nothing_twice(geo: GeoEnv) -> None:
    first = geo.post(**POTHOLE)
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    after_first = geo.written()
    # the same form again, its fields in another order, in the other format: the same request
    again = geo.post("xml", **dict(reversed(list(POTHOLE.items()))))
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    number = first.json()[0]["service_request_id"]
    assert ET.fromstring(again.content).findtext("request/service_request_id") == number
    assert geo.written() == after_first

    # with the client's own Idempotency-Key: a retry is the same, another form under it is 409
    keyed = {"Idempotency-Key": "report-42"}
    other = {"api_key": geo.key, **POTHOLE, "description": "Басқа шұңқыр"}
    made = geo.client.post(f"{ROOT}/requests.json", data=other, headers=keyed)
    retried = geo.client.post(f"{ROOT}/requests.json", data=other, headers=keyed)
    assert made.status_code == retried.status_code == 201
    assert made.json() == retried.json() and made.json()[0]["service_request_id"] != number
    changed = {**other, "description": "Үшінші шұңқыр"}
    clash = geo.client.post(f"{ROOT}/requests.xml", data=changed, headers=keyed)
    assert clash.status_code == 409 and "different request" in _error(clash, "xml")
    # another client's key is another namespace: the same form is its own new request
    from arna.accounts.actions import create_api_key
    from arna.core.actors import system

    _, second_key = create_api_key(geo.db, name="second client", actor=system("test"))
    theirs = geo.client.post(f"{ROOT}/requests.json", data={**POTHOLE, "api_key": second_key})
    assert theirs.status_code == 201 and theirs.json()[0]["service_request_id"] != number
    assert geo.written()[0] == after_first[0] + 2
    # a point on Kazakhstan's side stays fine after all this
    assert geo.post(**{**POTHOLE, **KURCHATOV, "description": "тағы"}).status_code == 201
