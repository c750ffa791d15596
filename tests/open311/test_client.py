"""A GeoReport v2 client written from the specification alone (XML, the format every server must
serve; httpx and ElementTree, nothing of Arna's) files a report with Arna and reads it back: the
agency the law routes it to, the date its answer is due, and then the answer itself."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx2 as httpx
import pytest

from arna.accounts.actions import create_token, create_user
from arna.core.actors import system
from tests.open311.conftest import ROOT, GeoEnv

LISTS = {"attributes", "values"}


def _record(element: ET.Element) -> dict[str, object]:
    def value(child: ET.Element) -> object:
        if child.tag in LISTS:
            return [_record(item) for item in child]
        return child.text or ""

    return {child.tag: value(child) for child in element}


class GeoReportError(Exception):
    def __init__(self, status: int, errors: list[tuple[str, str]]) -> None:
        super().__init__(f"{status}: {errors}")
        self.status, self.errors = status, errors


@dataclass
class GeoReport:
    """The spec's calls over an HTTP client: `endpoint` is the server's base URL."""

    http: httpx.Client
    endpoint: str
    api_key: str
    jurisdiction_id: str | None = None

    def _get(self, resource: str, **params: str) -> ET.Element:
        if self.jurisdiction_id:
            params["jurisdiction_id"] = self.jurisdiction_id
        return self._read(self.http.get(f"{self.endpoint}/{resource}.xml", params=params))

    @staticmethod
    def _read(response: httpx.Response) -> ET.Element:
        tree = ET.fromstring(response.content)
        if response.status_code >= 400 or tree.tag == "errors":
            errors = [(e.findtext("code") or "", e.findtext("description") or "") for e in tree]
            raise GeoReportError(response.status_code, errors)
        return tree

    def services(self) -> list[dict[str, object]]:
        return [_record(s) for s in self._get("services")]

    def definition(self, service_code: str) -> dict[str, object]:
        return _record(self._get(f"services/{service_code}"))

    def submit(
        self, service_code: str, attributes: dict[str, str], **fields: str
    ) -> tuple[str, str]:
        """POST a request; the id (following a token if the server gives one) and the notice."""
        form = {"api_key": self.api_key, "service_code": service_code, **fields}
        form |= {f"attribute[{code}]": value for code, value in attributes.items()}
        if self.jurisdiction_id:
            form["jurisdiction_id"] = self.jurisdiction_id
        [made] = self._read(self.http.post(f"{self.endpoint}/requests.xml", data=form))
        notice = made.findtext("service_notice") or ""
        if made.findtext("service_request_id"):
            return made.findtext("service_request_id") or "", notice
        [found] = self._get(f"tokens/{made.findtext('token')}")
        return found.findtext("service_request_id") or "", notice

    def request(self, service_request_id: str) -> dict[str, object]:
        [found] = self._get(f"requests/{service_request_id}")
        return _record(found)

    def updates(self, start: datetime, end: datetime) -> list[dict[str, object]]:
        updates = self._get(
            "servicerequestupdates", start_date=start.isoformat(), end_date=end.isoformat()
        )
        return [_record(u) for u in updates]


def _when(w3c: object) -> datetime:
    return datetime.fromisoformat(str(w3c))


def test_a_client_from_the_spec_files_and_follows_a_report(geo: GeoEnv) -> None:
    client = GeoReport(geo.client, ROOT, geo.key, jurisdiction_id="750000000")  # Almaty
    started = datetime.now().astimezone()
    potholes = [s for s in client.services() if "potholes" in str(s["keywords"])]
    assert len(potholes) == 1 and potholes[0]["metadata"] == "true"
    code = str(potholes[0]["service_code"])
    definition = client.definition(code)
    required = [
        a for a in definition["attributes"]  # type: ignore[attr-defined]
        if a["variable"] == "true" and a["required"] == "true"
    ]  # fmt: skip
    kinds = next(a for a in definition["attributes"] if a["code"] == "kind")  # type: ignore[attr-defined]
    assert required == [] and "complaint" in [v["key"] for v in kinds["values"]]

    number, notice = client.submit(
        code,
        {"kind": "complaint"},
        lat="43.2495",
        long="76.907",
        description="Абай даңғылында жол бұзылған, түнде жарық жоқ.",
        first_name="Ерлан",
        last_name="Сейітов",
        email="erlan@example.kz",
    )
    assert number in notice
    filed = client.request(number)
    assert filed["status"] == "open" and filed["service_code"] == code

    # the agency is the one Arna's routing names for that service at that place (asked over
    # HTTP, as another system would), and the due date is the legal term: 15 working days
    routed = geo.client.get(
        "/api/v1/route", params={"category": code, "kato": str(filed["address_id"])}
    ).json()
    assert filed["agency_responsible"] == routed["body"]["name_en"] != ""
    requested, expected = _when(filed["requested_datetime"]), _when(filed["expected_datetime"])
    assert timedelta(days=15) < expected - requested < timedelta(days=30)
    assert expected.date().isoformat() in notice

    # the body answers; the client sees it in the request and in the updates
    create_user(
        geo.db, email="o@akimat.kz", password="password-123", role="admin", body_id=None,
        actor=system("test"),
    )  # fmt: skip
    token = create_token(geo.db, email="o@akimat.kz", actor=system("test"))
    answered = geo.client.post(
        f"/api/v1/appeals/{number}/answer",
        json={"outcome": "resolved", "text": "Жол жөнделді, шамдар орнатылды."},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answered.status_code == 200, answered.text
    done = client.request(number)
    assert done["status"] == "closed" and done["status_notes"] == "Жол жөнделді, шамдар орнатылды."
    mine = [u for u in client.updates(started - timedelta(minutes=1), datetime.now().astimezone())
            if u["service_request_id"] == number]  # fmt: skip
    assert [u["status"] for u in mine] == ["OPEN", "FIXED"]
    assert "Жол жөнделді" in str(mine[-1]["description"])

    with pytest.raises(GeoReportError) as refused:  # a wrong key, as the spec says
        GeoReport(geo.client, ROOT, "not-a-key").submit(code, {}, lat="43.25", long="76.9")
    assert refused.value.status == 403 and refused.value.errors[0][0] == "403"
