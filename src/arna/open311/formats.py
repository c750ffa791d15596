"""GeoReport documents as JSON or XML text, by the spec's element names.

A document is a list of records (or one record, for discovery and a service definition); a
record's list-valued field becomes an element holding one child per item, named in the singular
(`attributes/attribute`, `values/value`, `endpoints/endpoint`, `formats/format`). XML is written
with the standard library's ElementTree: text is escaped, and characters XML 1.0 cannot carry
(control characters) are dropped.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from arna.core.clock import KZ_TZ

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
SINGULAR = {"attributes": "attribute", "values": "value", "endpoints": "endpoint"}
SINGULAR |= {"formats": "format", "errors": "error"}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Record = Mapping[str, Any]


class Format(StrEnum):
    json = "json"
    xml = "xml"


def media_type(fmt: Format) -> str:
    return XML_TYPE if fmt is Format.xml else JSON_TYPE


def render(fmt: Format, root: str, item: str, records: Sequence[Record] | Record) -> str:
    """`records` under `root`, each as an `item` element (XML) or the JSON list; a single
    record (a mapping) is the root element itself, or a JSON object."""
    if fmt is Format.json:
        return json.dumps(records, ensure_ascii=False, separators=(",", ":"))
    top = ET.Element(root)
    if isinstance(records, Mapping):
        _fill(top, records)
    else:
        for record in records:
            _fill(ET.SubElement(top, item), record)
    return '<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="unicode")


def _fill(element: ET.Element, record: Record) -> None:
    for name, value in record.items():
        child = ET.SubElement(element, name)
        if isinstance(value, list):
            for entry in value:
                sub = ET.SubElement(child, SINGULAR.get(name, "item"))
                if isinstance(entry, Mapping):
                    _fill(sub, entry)
                else:
                    sub.text = _text(entry)
        else:
            child.text = _text(value)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def errors(fmt: Format, status: int, descriptions: Sequence[str]) -> str:
    """The spec's error document: `errors/error`, each with `code` and `description`."""
    return render(
        fmt, "errors", "error", [{"code": status, "description": d} for d in descriptions]
    )


def w3c(at: datetime) -> str:
    """A W3C date-time with Kazakhstan's offset, to the second: 2026-12-07T19:20:30+05:00."""
    return at.astimezone(KZ_TZ).isoformat(timespec="seconds")


def end_of(day: date) -> str:
    """The last second of a day in Kazakhstan: when a term that ends that day runs out."""
    return w3c(datetime.combine(day, time(23, 59, 59), tzinfo=KZ_TZ))
