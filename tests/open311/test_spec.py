"""The GeoReport v2 wiki's examples, walked in both formats: discovery, the services, a service
definition, a request posted with every field the spec names, the lists and their filters,
one request, tokens and the errors. Each answer has exactly the spec's field names, and the XML
says what the JSON says."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from typing import Any

from arna.appeals.actions import lifecycle
from arna.core.actors import Actor
from tests.open311.conftest import KURCHATOV, POTHOLE, ROOT, GeoEnv

SERVICE = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
ATTRIBUTE = ["variable", "code", "datatype", "required", "datatype_description", "order"]
ATTRIBUTE += ["description", "values"]
REQUEST = ["service_request_id", "status", "status_notes", "service_name", "service_code"]
REQUEST += ["description", "agency_responsible", "service_notice", "requested_datetime"]
REQUEST += ["updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat"]
REQUEST += ["long", "media_url"]
UPDATE = ["update_id", "service_request_id", "status", "updated_datetime", "description"]
UPDATE += ["media_url"]
LISTS = {"attributes", "values", "endpoints", "formats"}
ADMIN = Actor("admin", name="system:test-official")


def _from_xml(element: ET.Element) -> Any:
    if element.tag in LISTS:
        return [_from_xml(child) for child in element]
    if len(element) == 0:
        return element.text
    return {child.tag: _from_xml(child) for child in element}


def _as_text(value: Any) -> Any:
    """A JSON value as XML carries it: text, or nothing for null."""
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


def both(geo: GeoEnv, path: str, root: str, item: str | None, status: int = 200) -> Any:
    """GET the resource as JSON and as XML: the same document, with the spec's root and item
    elements; the JSON is returned."""
    as_json = geo.client.get(f"{ROOT}/{path.replace('{fmt}', 'json')}")
    as_xml = geo.client.get(f"{ROOT}/{path.replace('{fmt}', 'xml')}")
    assert (as_json.status_code, as_xml.status_code) == (status, status), as_json.text
    assert as_json.headers["content-type"] == "application/json; charset=utf-8"
    assert as_xml.headers["content-type"] == "text/xml; charset=utf-8"
    assert as_xml.text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    tree = ET.fromstring(as_xml.content)
    assert tree.tag == root
    if item is None:
        assert _as_text(as_json.json()) == _from_xml(tree)
    else:
        assert all(child.tag == item for child in tree)
        assert _as_text(as_json.json()) == [_from_xml(child) for child in tree]
    return as_json.json()


def _w3c(value: str) -> datetime:
    at = datetime.fromisoformat(value)
    assert at.tzinfo is not None and "T" in value, value
    return at


def test_discovery_services_and_definitions(geo: GeoEnv) -> None:
    found = both(geo, "discovery.{fmt}", "discovery", None)
    assert list(found) == ["changeset", "contact", "key_service", "endpoints"]
    [endpoint] = found["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["formats"] == ["text/xml", "application/json"]
    _w3c(found["changeset"])

    services = both(geo, "services.{fmt}", "services", "service")
    assert all(list(s) == SERVICE for s in services)
    codes = [s["service_code"] for s in services]
    assert "roads_local" in codes and "pensions_payment" not in codes  # personal: not offered
    assert {s["type"] for s in services} == {"realtime"} and all(s["metadata"] for s in services)
    road = services[codes.index("roads_local")]
    assert "potholes" in road["keywords"] and road["group"] == "Roads and transport"
    russian = geo.client.get(f"{ROOT}/services.json", headers={"Accept-Language": "ru"}).json()
    assert russian[codes.index("roads_local")]["service_name"].startswith("Дороги")

    definition = both(geo, "services/roads_local.{fmt}", "service_definition", None)
    assert list(definition) == ["service_code", "attributes"]
    attributes = {a["code"]: a for a in definition["attributes"]}
    assert all(list(a) == ATTRIBUTE for a in attributes.values())
    assert [a["order"] for a in definition["attributes"]] == [1, 2, 3, 4]
    assert attributes["notice"]["variable"] is False  # information, not a field
    assert "15 working days" in attributes["notice"]["description"]
    assert attributes["kind"]["datatype"] == "singlevaluelist"
    assert attributes["kind"]["values"][0]["key"] == "report"
    assert attributes["iin"]["datatype"] == "string" and not attributes["iin"]["required"]
    assert [v["key"] for v in attributes["language"]["values"]] == ["kk", "ru", "en"]

    # a jurisdiction is a KATO code; an unknown one, like an unknown service, is 404
    assert geo.client.get(f"{ROOT}/services.json?jurisdiction_id=100000000").status_code == 200
    for path in ("services.{fmt}?jurisdiction_id=999999999", "services/potholes.{fmt}"):
        [error] = both(geo, path, "errors", "error", 404)
        assert list(error) == ["code", "description"] and error["code"] == 404


def test_post_a_request_and_read_it_back(geo: GeoEnv) -> None:
    before = geo.written()
    posted = geo.post("xml", **POTHOLE)
    assert posted.status_code == 201, posted.text
    [request] = ET.fromstring(posted.content)
    assert (posted.headers["content-type"], request.tag) == ("text/xml; charset=utf-8", "request")
    assert [e.tag for e in request] == ["service_request_id", "service_notice", "account_id"]
    number = request.findtext("service_request_id") or ""
    assert number.startswith("A-") and request.find("token") is None  # an id, never a token
    assert f"Registered as appeal {number} and sent to" in (
        request.findtext("service_notice") or ""
    )
    appeals, events, keys, mails = geo.written()
    assert (appeals, keys) == (before[0] + 1, before[2] + 1) and events > before[1]
    assert mails > before[3]  # the applicant's e-mail, and the body's: an ordinary appeal

    [one] = both(geo, f"requests/{number}.{{fmt}}", "service_requests", "request")
    assert list(one) == REQUEST
    assert one["service_request_id"] == number and one["status"] == "open"
    assert one["service_code"] == "roads_local" and one["status_notes"] is None
    assert one["agency_responsible"] == "Akimat of Kurchatov city"
    assert one["address"] == "Kurchatov, Abai Region" and one["address_id"] == "101800000"
    assert one["description"].startswith(POTHOLE["description"])
    assert POTHOLE["address_string"] in one["description"]  # the place as the client wrote it
    requested, expected = _w3c(one["requested_datetime"]), _w3c(one["expected_datetime"])
    assert timedelta(days=15) <= expected - requested <= timedelta(days=30)  # 15 working days
    assert requested.utcoffset() == timedelta(hours=5)  # Kazakhstan's time
    # the applicant's name, contacts, IIN and point are never shown
    shown = geo.client.get(f"{ROOT}/requests/{number}.xml").text
    for personal in ("Айгерім", "Сапарова", "aigerim@", "5551234", "900101300126", "78.5671"):
        assert personal not in shown.replace(" ", ""), personal
    assert one["lat"] is None and one["long"] is None

    # the same appeal, as the appeals API shows it: routed, clocked, audited like any other
    appeal = geo.client.get(f"/api/v1/appeals/{number}").json()
    assert appeal["public"] is True and appeal["kind"] == "report"
    assert appeal["body"]["id"] == "akimat-101800000" and appeal["kato"] == "101800000"
    assert appeal["due_date"] == expected.date().isoformat()
    assert [e["type"] for e in appeal["events"]] == ["appeal.submitted"]


def test_the_lists_and_their_filters(geo: GeoEnv) -> None:
    numbers = [geo.post(**{**POTHOLE, "description": f"Шұңқыр №{i}"}).json()[0] for i in range(3)]
    first, second, third = [n["service_request_id"] for n in numbers]
    almaty = {**POTHOLE, "lat": "43.238", "long": "76.889", "description": "Аялдама сынған"}
    bus = geo.post(**{**almaty, "service_code": "public_transport"}).json()[0]
    lifecycle.answer_appeal(
        geo.db,
        geo.settings,
        ADMIN,
        first,
        outcome="resolved",
        text="Жол жөнделді, тел. 87015551234",
    )

    listed = both(geo, "requests.{fmt}", "service_requests", "request")
    assert [r["service_request_id"] for r in listed][:4] == [
        bus["service_request_id"], third, second, first
    ]  # fmt: skip
    assert all(list(r) == REQUEST for r in listed)
    answered = next(r for r in listed if r["service_request_id"] == first)
    assert answered["status"] == "closed" and answered["status_notes"].startswith("Жол жөнделді")
    assert "[phone]" in answered["status_notes"]  # the answer, redacted

    def ids(query: str) -> list[str]:
        got = both(geo, f"requests.{{fmt}}?{query}", "service_requests", "request")
        return [r["service_request_id"] for r in got]

    assert ids("status=closed") == [first]
    assert ids("status=open") == [bus["service_request_id"], third, second]
    assert ids("status=open,closed") == ids("")
    assert ids("service_code=public_transport") == [bus["service_request_id"]]
    assert ids("service_code=public_transport,roads_local") == ids("")
    assert ids("jurisdiction_id=750000000") == [bus["service_request_id"]]  # Almaty
    assert ids("jurisdiction_id=101800000") == [third, second, first]  # Kurchatov
    # service_request_id overrides the rest
    assert ids(f"service_request_id={first},{third}&status=open&service_code=x") == [third, first]
    now = datetime.now().astimezone()
    day = timedelta(days=1)
    assert ids(f"start_date={(now - day).date()}&end_date={(now + day).date()}") == ids("")
    assert ids(f"start_date={(now - 100 * day).date()}&end_date={(now - 20 * day).date()}") == []
    assert ids(f"start_date={(now + day).isoformat()}") == []

    updates = both(geo, "servicerequestupdates.{fmt}", "service_request_updates", "request_update")
    assert all(list(u) == UPDATE for u in updates)
    assert [(u["service_request_id"], u["status"]) for u in updates][-1] == (first, "FIXED")
    assert "Жол жөнделді" in updates[-1]["description"]


def test_tokens_and_errors(geo: GeoEnv) -> None:
    # Arna answers every POST with the id, so it never issues a token
    [error] = both(geo, "tokens/12345.{fmt}", "errors", "error", 404)
    assert "issues no tokens" in error["description"]
    # 403: a bad key; 400: a missing argument; 404: an unknown code or request
    for fmt in ("json", "xml"):
        bad_key = geo.client.post(f"{ROOT}/requests.{fmt}", data={**POTHOLE, "api_key": "xyz"})
        missing = geo.post(fmt, **{k: v for k, v in POTHOLE.items() if k != "service_code"})
        unknown = geo.post(fmt, **{**POTHOLE, "service_code": "001"})
        for answer, status, said in (
            (bad_key, 403, "invalid api_key"),
            (missing, 400, "service_code: required"),
            (unknown, 404, "unknown service_code '001'"),
        ):
            assert answer.status_code == status, answer.text
            if fmt == "json":
                assert answer.json() == [
                    {"code": status, "description": answer.json()[0]["description"]}
                ]
                assert said in answer.json()[0]["description"]
            else:
                tree = ET.fromstring(answer.content)
                assert tree.tag == "errors" and [e.tag for e in tree] == ["error"]
                assert tree.findtext("error/code") == str(status)
                assert said in (tree.findtext("error/description") or "")
    both(geo, "requests/A-2026-999999.{fmt}", "errors", "error", 404)
    [unknown] = both(geo, "requests.{fmt}?jurisdiction_id=123", "errors", "error", 404)
    assert "jurisdiction_id" in unknown["description"]
    # several problems at once: one error each
    answer = geo.post(**{**POTHOLE, "phone": "12345", "email": "not-an-e-mail", **KURCHATOV})
    described = [e["description"] for e in answer.json()]
    assert answer.status_code == 400 and len(described) == 2, described
    assert described[0].startswith("email:") and described[1].startswith("phone:")
