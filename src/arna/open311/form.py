"""Reading what a GeoReport client sends: the form of `POST requests` (made into an ordinary
appeal) and the filters of the lists. Every problem is named with the field the client sent
(`lat`, `attribute[iin]`), all of them at once; nothing is written before all is well.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import parse_qsl, urlencode

from pydantic import ValidationError

from arna.appeals.schemas import AppealCreate, Applicant
from arna.core.clock import KZ_TZ
from arna.core.errors import NotFound, ValidationFailed
from arna.geo.locate import locate
from arna.geo.reference import COUNTRY_KATO, chain, units
from arna.open311.services import DEFAULT_KIND, KINDS, offered

FIELDS = frozenset(
    {
        "api_key", "jurisdiction_id", "service_code", "lat", "long", "address_string",
        "address_id", "email", "device_id", "account_id", "first_name", "last_name", "phone",
        "description", "media_url",
    }
)  # fmt: skip
ATTRIBUTES = frozenset({"kind", "iin", "language"})
_ATTRIBUTE = re.compile(r"^attribute\[([^\]]*)\]$")
_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>|&#?\w+;")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_URL = re.compile(r"^https?://[^\s<>\"]+$")
MAX_FIELDS = 40
MAX_DESCRIPTION = 4_000  # the spec's limit
MAX_DAYS = 90  # the spec's longest span of a list, and its default window
MAX_RECORDS = 1_000

Problems = list[dict[str, str]]


@dataclass(frozen=True)
class Form:
    fields: dict[str, str]
    attributes: dict[str, str]

    def digest(self) -> str:
        """The same for the same request however its fields are ordered (the key aside): what
        a replay of it is known by."""
        pairs = sorted((k, v) for k, v in self.fields.items() if k != "api_key")
        pairs += sorted((f"attribute[{k}]", v) for k, v in self.attributes.items())
        return hashlib.sha256(urlencode(pairs).encode()).hexdigest()


def parse_form(body: bytes) -> Form:
    """An application/x-www-form-urlencoded body in UTF-8: each field once."""
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            max_num_fields=MAX_FIELDS,
            errors="strict",
        )
    except UnicodeDecodeError:
        raise ValidationFailed("the form is not UTF-8: encode its text as UTF-8") from None
    except ValueError:
        raise ValidationFailed(f"the form has more than {MAX_FIELDS} fields") from None
    fields: dict[str, str] = {}
    attributes: dict[str, str] = {}
    problems: Problems = []
    for name, value in pairs:
        attribute = _ATTRIBUTE.match(name)
        into, key = (attributes, attribute.group(1)) if attribute else (fields, name)
        if attribute and key not in ATTRIBUTES:
            problems.append(_problem(name, f"no such attribute; the services have {_names()}"))
        elif not attribute and name not in FIELDS:
            problems.append(_problem(name, "not a field of a GeoReport v2 service request"))
        elif key in into:
            problems.append(_problem(name, "given more than once"))
        else:
            into[key] = value.strip()
    if problems:
        raise _invalid(problems)
    return Form({k: v for k, v in fields.items() if v}, {k: v for k, v in attributes.items() if v})


def jurisdiction(kato: str | None) -> str | None:
    """A KATO code of a unit Arna knows (None: the whole country)."""
    if kato is None or kato == "":
        return None
    if kato not in units():
        raise NotFound(f"unknown jurisdiction_id {kato!r}: give the KATO code of a region or "
                       "district, or leave it out for the whole country")  # fmt: skip
    return kato


def service_code(code: str | None) -> str:
    if not code:
        raise ValidationFailed(
            "service_code: required", errors=[_problem("service_code", "required")]
        )
    if code not in offered():
        raise NotFound(f"unknown service_code {code!r}; see GET services")
    return code


def appeal_of(form: Form, place: str | None) -> AppealCreate:
    """The appeal a service request files, in jurisdiction `place` (None: anywhere)."""
    f, problems = form.fields, []
    description = f.get("description", "")
    if not description:
        problems.append(_problem("description", "required: say what the problem is"))
    problems += _plain("description", description, MAX_DESCRIPTION)
    address = f.get("address_string", "")
    problems += _plain("address_string", address, 500)
    name = " ".join(x for x in (f.get("first_name"), f.get("last_name")) if x)
    if not name:
        problems.append(_problem("first_name", "give first_name or last_name: appeals are "
                                 "not anonymous under the law"))  # fmt: skip
    for field in ("first_name", "last_name"):
        problems += _plain(field, f.get(field, ""), 100)
    for field in ("device_id", "account_id"):
        problems += _plain(field, f.get(field, ""), 200)
    media = f.get("media_url", "")
    if media and (len(media) > 1000 or not _URL.match(media)):
        problems.append(
            _problem("media_url", "an http or https address of at most 1,000 characters")
        )
    point, kato = _location(form, place, problems)
    kind = form.attributes.get("kind", DEFAULT_KIND)
    if kind not in KINDS:
        problems.append(_problem("attribute[kind]", f"one of {', '.join(KINDS)}"))
    language = form.attributes.get("language")
    if language is not None and language not in ("kk", "ru", "en"):
        problems.append(_problem("attribute[language]", "one of kk, ru, en"))
    applicant = _applicant(name or "-", form, problems)
    if problems or applicant is None:
        raise _invalid(problems)
    text = "\n\n".join(x for x in (description, address, media) if x)
    return AppealCreate(
        text=text,
        kind=kind,
        category=f.get("service_code"),
        kato=kato,
        lat=point[0] if point else None,
        lon=point[1] if point else None,
        applicant=applicant,
        public=True,  # GeoReport is a public protocol: see docs/open311.md
        language=language,
    )


def _location(
    form: Form, place: str | None, problems: Problems
) -> tuple[tuple[float, float] | None, str | None]:
    """The point and the KATO code of the place the request names."""
    f = form.fields
    point: tuple[float, float] | None = None
    kato = None
    if "lat" in f or "long" in f:
        point = _point(f.get("lat"), f.get("long"), problems)
        where = locate(*point) if point else None
        if point and where is None:
            problems.append(
                _problem("lat", f"the point {point[0]}, {point[1]} is outside Kazakhstan")
            )
        elif where and place and not _within((where.district or where.region).kato, place):
            problems.append(_problem("lat", f"the point is outside jurisdiction {place}"))
    if "address_id" in f:
        kato = f["address_id"]
        if kato not in units():
            problems.append(_problem("address_id", "the KATO code of a region or district"))
        elif place and not _within(kato, place):
            problems.append(_problem("address_id", f"outside jurisdiction {place}"))
    if not ({"lat", "long", "address_id", "address_string"} & set(f)):
        problems.append(_problem("lat", "say where: lat and long, address_string or address_id"))
    elif point is None and kato is None and place and place != COUNTRY_KATO:
        kato = place  # only a street address: the jurisdiction is the place it is in
    return point, kato


def _point(lat: str | None, lon: str | None, problems: Problems) -> tuple[float, float] | None:
    if lat is None or lon is None:
        problems.append(_problem("lat" if lat is None else "long", "give both lat and long"))
        return None
    try:
        point = float(lat), float(lon)
    except ValueError:
        problems.append(_problem("lat", "lat and long are decimal degrees (WGS84), e.g. 43.238"))
        return None
    if not all(math.isfinite(x) for x in point) or abs(point[0]) > 90 or abs(point[1]) > 180:
        problems.append(_problem("lat", "lat within -90..90 and long within -180..180"))
        return None
    return point


def _within(kato: str, place: str) -> bool:
    return any(u.kato == place for u in chain(kato))


def _applicant(name: str, form: Form, problems: Problems) -> Applicant | None:
    data = {
        "name": name[:200],
        "email": form.fields.get("email"),
        "phone": form.fields.get("phone"),
        "iin": form.attributes.get("iin"),
    }
    try:
        return Applicant.model_validate(data)
    except ValidationError as exc:
        named = {"iin": "attribute[iin]", "name": "first_name"}
        for e in exc.errors():
            field = str(e["loc"][0]) if e["loc"] else "first_name"
            message = str(e["msg"]).removeprefix("Value error, ")
            problems.append(_problem(named.get(field, field), message))
        return None


def _plain(field: str, value: str, limit: int) -> Problems:
    if len(value) > limit:
        return [_problem(field, f"at most {limit:,} characters (this has {len(value):,})")]
    if _HTML.search(value):
        return [_problem(field, "plain text only: no HTML or code")]
    if _CONTROL.search(value):
        return [_problem(field, "no control characters")]
    return []


def _problem(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message}


def _names() -> str:
    return ", ".join(sorted(ATTRIBUTES))


def _invalid(problems: Problems) -> ValidationFailed:
    detail = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    return ValidationFailed(detail, errors=problems)


# --- the filters of the lists -----------------------------------------------------------------


def instant(value: str | None, field: str, *, end: bool = False) -> datetime | None:
    """A W3C date-time (2026-12-01T00:00:00+05:00, or Z); without an offset, Kazakhstan's time;
    a bare date is its first second (or, for an end, its last)."""
    if not value:
        return None
    if "T" in value:  # a "+05:00" sent unescaped in a query arrives as " 05:00"
        value = value.replace(" ", "+")
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day, time.max if end else time.min, tzinfo=KZ_TZ)
        at = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            f"{field}: a W3C date-time such as 2026-12-01T00:00:00+05:00",
            errors=[_problem(field, "a W3C date-time such as 2026-12-01T00:00:00+05:00")],
        ) from None
    return at if at.tzinfo else at.replace(tzinfo=KZ_TZ)


def window(
    start: datetime | None, end: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    """The span a list covers: at most 90 days; by default the 90 days up to now."""
    span = timedelta(days=MAX_DAYS)
    if start is None and end is None:
        return now - span, now
    if start is None:
        assert end is not None
        return end - span, end
    if end is None:
        end = start + span
    if end < start:
        raise ValidationFailed("end_date is before start_date")
    if end - start > span:
        raise ValidationFailed(f"start_date and end_date are at most {MAX_DAYS} days apart")
    return start, end


def listed(value: str | None, field: str, limit: int = MAX_RECORDS) -> list[str]:
    """A comma-separated list (the spec's way to give several values)."""
    items = [x.strip() for x in (value or "").split(",") if x.strip()]
    if len(items) > limit:
        raise ValidationFailed(f"{field}: at most {limit:,} values")
    return items


def statuses(value: str | None) -> set[str]:
    found = set(listed(value, "status", 2))
    if found - {"open", "closed"}:
        raise ValidationFailed("status: open, closed, or both (open,closed)")
    return found


def service_codes(value: str | None) -> set[str]:
    found = set(listed(value, "service_code", 50))
    for code in found - set(offered()):
        raise NotFound(f"unknown service_code {code!r}; see GET services")
    return found
