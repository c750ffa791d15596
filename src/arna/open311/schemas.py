"""What GeoReport v2 gives, by the spec's field names: the records the JSON lists hold (and the
XML elements carry, `formats.render`). Times are W3C date-times with Kazakhstan's offset."""

from __future__ import annotations

from pydantic import BaseModel, Field

NUMBER = "A-2026-000123"


class Endpoint(BaseModel):
    specification: str = Field(examples=["http://wiki.open311.org/GeoReport_v2"])
    url: str = Field(examples=["https://arna.kz/open311/v2"])
    changeset: str = Field(examples=["2026-12-07T00:00:00+05:00"])
    type: str = Field(examples=["production"])
    formats: list[str] = Field(examples=[["text/xml", "application/json"]])


class Discovery(BaseModel):
    changeset: str
    contact: str
    key_service: str
    endpoints: list[Endpoint]


class Service(BaseModel):
    service_code: str = Field(examples=["roads_local"])
    service_name: str = Field(examples=["Oblast and district roads; city streets; potholes"])
    description: str
    metadata: bool = Field(description="Whether the service has attributes (always true).")
    type: str = Field(examples=["realtime"])
    keywords: str = Field(examples=["potholes, street lighting"])
    group: str = Field(examples=["Roads and transport"])


class AttributeValue(BaseModel):
    key: str = Field(examples=["report"])
    name: str = Field(examples=["Report of a problem"])


class ServiceAttribute(BaseModel):
    variable: bool = Field(description="false: information to show, not a field to send.")
    code: str = Field(examples=["iin"])
    datatype: str = Field(examples=["singlevaluelist"])
    required: bool
    datatype_description: str | None
    order: int
    description: str
    values: list[AttributeValue] = Field(default_factory=list)


class ServiceDefinition(BaseModel):
    service_code: str = Field(examples=["roads_local"])
    attributes: list[ServiceAttribute]


class RequestCreated(BaseModel):
    service_request_id: str = Field(examples=[NUMBER], description="The appeal's number.")
    service_notice: str | None
    account_id: str | None = None


class TokenFound(BaseModel):
    service_request_id: str = Field(examples=[NUMBER])
    token: str


class ServiceRequest(BaseModel):
    service_request_id: str = Field(examples=[NUMBER], description="The appeal's number.")
    status: str = Field(examples=["open"], description="open or closed.")
    status_notes: str | None = Field(description="The body's public answer (redacted).")
    service_name: str
    service_code: str = Field(examples=["roads_local"])
    description: str = Field(description="The appeal's text, personal data masked.")
    agency_responsible: str = Field(description="The body that holds the appeal now.")
    service_notice: str | None
    requested_datetime: str = Field(examples=["2026-12-07T10:15:00+05:00"])
    updated_datetime: str
    expected_datetime: str = Field(description="The end of the legal due date.")
    address: str = Field(examples=["Kurchatov, Abai Region"], description="The place's name.")
    address_id: str = Field(examples=["101800000"], description="The place's KATO code.")
    zipcode: str | None = None
    lat: float | None = Field(default=None, description="Not published (see docs/open311.md).")
    long: float | None = None
    media_url: str | None = None


class RequestUpdate(BaseModel):
    update_id: str = Field(examples=["4711"])
    service_request_id: str = Field(examples=[NUMBER])
    status: str = Field(examples=["INTERNAL_REFERRAL"])
    updated_datetime: str
    description: str
    media_url: str | None = None


class Error(BaseModel):
    code: int = Field(examples=[404])
    description: str = Field(examples=["unknown service_code 'potholes'; see GET services"])
