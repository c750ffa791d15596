"""HTTP API of petitions: browse, file, send out, sign (with a confirmation step), moderate,
answer, invalidate, and the reference data of thresholds, terms and reasons."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response

from arna.accounts.deps import OfficialDep
from arna.core.clock import now_utc, to_local_date
from arna.core.deps import DatabaseDep, ReadSessionDep, SettingsDep
from arna.core.errors import Conflict, Forbidden, ValidationFailed
from arna.core.problems import problem_responses
from arna.geo.reference import units
from arna.petitions import policy, queries, rules
from arna.petitions.actions import lifecycle, signing
from arna.petitions.addressees import addressees
from arna.petitions.confirmation import Pending, expiry, open_pending, seal_pending
from arna.petitions.deps import signing_queue, source_of, take_signing_quota
from arna.petitions.schemas import (
    AddresseeOut,
    InvalidationDone,
    InvalidationIn,
    ModerationIn,
    PetitionAnswerIn,
    PetitionCreate,
    PetitionCreated,
    PetitionDetail,
    PetitionOut,
    PetitionPage,
    SignConfirm,
    SignIn,
    SignOut,
    SignPreview,
    SurgeOut,
    ThresholdOut,
)

router = APIRouter(tags=["petitions"], responses=problem_responses(400, 404, 409, 413, 422))
SIGNING_ERRORS = problem_responses(429, 503)
OFFICIAL_ERRORS = problem_responses(401, 403)
Lang = Annotated[str, Query(pattern="^(kk|ru|en)$")]
AccessCode = Annotated[
    str | None,
    Header(alias="X-Access-Code", max_length=40, description="The author's code."),
]


@router.post(
    "/petitions/{number}/signatures",
    status_code=201,
    response_model=SignOut,
    responses={200: {"model": SignOut, "description": "Signed before"}, **SIGNING_ERRORS},
    summary="Sign: confirm what …/signing returned",
)  # the first route of the router: the busiest, matched first
async def sign(number: str, data: SignConfirm, request: Request, settings: SettingsDep) -> Response:
    """Answered after the signature is committed (201), or 200 when this person had signed;
    too many from one address or network get 429 with Retry-After."""
    take_signing_quota(request)
    pending = open_pending(settings, data.confirmation, number, now_utc())
    done = await signing_queue(request).sign(signing.Signing(pending, source_of(request, settings)))
    out = SignOut(
        number=done.number, signatures=done.signatures, counted=done.counted, status=done.status
    )
    return Response(out.model_dump_json(), 201 if done.counted else 200, None, "application/json")


@router.get("/petitions", response_model=PetitionPage, summary="Published petitions")
def browse(
    session: ReadSessionDep,
    status: Annotated[str | None, Query(pattern="^(" + "|".join(policy.LISTED) + ")$")] = None,
    addressee: Annotated[str | None, Query(max_length=80)] = None,
    region: Annotated[str | None, Query(pattern=r"^\d{9}$")] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    lang: Lang = "en",
) -> PetitionPage:
    return queries.list_petitions(
        session,
        lang,
        status=status,
        addressee=addressee,
        region=region,
        page=page,
        per_page=per_page,
    )


@router.get(
    "/petitions/addressees",
    response_model=list[AddresseeOut],
    summary="The bodies a petition may be addressed to, with today's thresholds",
)
def addressee_list(lang: Lang = "en") -> list[AddresseeOut]:
    today = to_local_date(now_utc())
    return [
        AddresseeOut(id=a.body.id, name=a.body.name(lang), threshold=a.threshold)
        for a in addressees(today)
    ]


@router.get(
    "/petitions/thresholds",
    response_model=list[ThresholdOut],
    summary="Thresholds by addressee, with their legal basis and validity dates",
)
def threshold_list() -> list[ThresholdOut]:
    return [
        ThresholdOut(
            id=t.id,
            addressee_kind=t.addressee_kind,
            unit_types=sorted(t.unit_types),
            min_population=t.min_population,
            rule=t.rule,
            value=t.value,
            basis=t.basis,
            valid_from=t.valid_from,
            valid_to=t.valid_to,
        )
        for t in rules.thresholds()
    ]


@router.get("/petitions/reasons", summary="Moderation's public reason codes")
def reason_list() -> dict[str, str]:
    return rules.reason_codes()


@router.post(
    "/petitions", status_code=201, response_model=PetitionCreated, summary="File a petition"
)
def create(data: PetitionCreate, db: DatabaseDep, settings: SettingsDep) -> PetitionCreated:
    """A draft, seen only with the author's code until they send it out for co-signers."""
    done = lifecycle.create_petition(db, settings, data)
    return PetitionCreated(
        number=done.number, code=done.code, status=done.status, threshold=done.threshold
    )


@router.get("/petitions/{number}", response_model=PetitionDetail, summary="One petition")
def read(
    number: str,
    session: ReadSessionDep,
    settings: SettingsDep,
    lang: Lang = "en",
    access_code: AccessCode = None,
) -> PetitionDetail:
    petition = queries.petition_for(session, number, access_code)
    return queries.detail(session, petition, lang, settings.min_cell)


@router.post(
    "/petitions/{number}/cosigning",
    response_model=PetitionOut,
    responses=problem_responses(403),
    summary="The author sends the draft out for co-signers",
)
def send_out(
    number: str, db: DatabaseDep, settings: SettingsDep, access_code: AccessCode = None
) -> PetitionOut:
    if not access_code:
        raise ValidationFailed("send the author's code in X-Access-Code", field="X-Access-Code")
    lifecycle.send_for_cosigning(db, settings, number, access_code)
    return _out(db, number)


@router.post(
    "/petitions/{number}/signing",
    response_model=SignPreview,
    summary="Check a signer's details; returns what to confirm",
)
def preview(
    number: str, data: SignIn, session: ReadSessionDep, settings: SettingsDep, lang: Lang = "en"
) -> SignPreview:
    """Nothing is stored: send `confirmation` to …/signatures within 30 minutes to sign."""
    petition = queries.petition_for(session, number)
    if petition.status not in policy.SIGNABLE:
        raise Conflict(f"petition {number} is {petition.status} and takes no signatures")
    region = units().get(data.region)
    if region is None or region.level != 1:
        raise ValidationFailed(
            "region is the KATO code of an oblast or a city of republican significance",
            field="region",
        )
    now = now_utc()
    pending = Pending(
        number,
        lifecycle.person_key(settings, data.iin),
        rules.shown_name(data.first_name, data.last_name),
        region.kato,
        expiry(now),
    )
    return SignPreview(
        number=number,
        title=petition.title,
        shown_as=pending.name,
        region=region.name(lang),
        confirmation=seal_pending(settings, pending),
        expires_at=pending.expires_at,
    )


@router.post(
    "/petitions/{number}/moderation",
    response_model=PetitionOut,
    responses=OFFICIAL_ERRORS,
    summary="Publish or reject (administrators)",
)
def moderate(
    number: str, data: ModerationIn, db: DatabaseDep, settings: SettingsDep, actor: OfficialDep
) -> PetitionOut:
    lifecycle.moderate_petition(
        db,
        settings,
        actor,
        number,
        approve=data.decision == "approve",
        reason=data.reason,
        note=data.note,
    )
    return _out(db, number)


@router.post(
    "/petitions/{number}/answer",
    response_model=PetitionOut,
    responses=OFFICIAL_ERRORS,
    summary="The body that owes the answer gives it",
)
def answer(
    number: str, data: PetitionAnswerIn, db: DatabaseDep, settings: SettingsDep, actor: OfficialDep
) -> PetitionOut:
    lifecycle.answer_petition(db, settings, actor, number, data.text)
    return _out(db, number)


@router.post(
    "/petitions/{number}/invalidations",
    response_model=InvalidationDone,
    responses=OFFICIAL_ERRORS,
    summary="Set aside signatures by a stated condition (administrators)",
)
def invalidate(
    number: str, data: InvalidationIn, db: DatabaseDep, actor: OfficialDep
) -> InvalidationDone:
    count, petition = signing.invalidate_signatures(
        db,
        actor,
        number,
        reason=data.reason,
        source=data.source,
        since=data.since,
        until=data.until,
        region=data.region,
    )
    return InvalidationDone(
        number=number, invalidated=count, signatures=petition.signatures, status=petition.status
    )


@router.get(
    "/petitions/{number}/surges",
    response_model=list[SurgeOut],
    responses=OFFICIAL_ERRORS,
    summary="Sources that sent a sudden share of the signatures (administrators)",
)
def surge_list(number: str, session: ReadSessionDep, actor: OfficialDep) -> list[SurgeOut]:
    if actor.kind != "admin":
        raise Forbidden("surges are shown to the platform's administrators")
    petition = queries.petition_for(session, number)
    return [
        SurgeOut(source=s.source, start=s.start, end=s.end, count=s.count, share=s.share)
        for s in queries.surges(session, petition, now_utc())
    ]


def _out(db: DatabaseDep, number: str) -> PetitionOut:
    with db.read() as session:
        petition = queries.petition_for(session, number)
        return queries.view(petition, "en")
