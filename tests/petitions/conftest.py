"""Petitions' test setting: an app on a fresh database, officials with tokens, many valid IINs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from arna.app import create_app
from arna.core.iin import iin_check_digit
from arna.core.settings import Settings
from tests.appeals.conftest import Env
from tests.conftest import DatabaseFactory

CITY = "akimat-101000000"  # Semey (district-level city over 50,000): 2,500 signatures
ALMATY = "750000000"
PETITION = {
    "title": "Жаяу жүргіншілер өткелін №12 мектептің жанына салу",
    "text": "Семейдегі №12 мектептің жанындағы көшеде өткел жоқ, балалар жолды қауіпті жерден "
    "кесіп өтеді. Мектеп алдына реттелетін жаяу жүргіншілер өткелін салуды сұраймыз.",
    "addressee_id": CITY,
    "author_iin": "900101300126",
    "author_first_name": "Сәуле",
    "author_last_name": "Нұрланқызы",
}
# Roomy quotas: the tests of limits make their own app with the default ones.
ROOMY = {"signature_limits": "100000/minute", "signature_network_limits": "100000/minute"}


def iins(n: int, start: int = 0) -> list[str]:
    """`n` different valid IINs (born 1980-2003, men and women of the 20th and 21st century)."""
    found: list[str] = []
    i = start
    while len(found) < n:
        born = date(1980, 1, 1) + timedelta(days=i % 8000)
        century = "3" if born.year < 2000 else "5"
        first = f"{born:%y%m%d}{century}{i // 8000 % 10}{i % 1000:03d}"
        check = iin_check_digit(first)
        if check is not None:
            found.append(first + str(check))
        i += 1
    return found


@pytest.fixture
def env(databases: DatabaseFactory) -> Iterator[Env]:
    db = databases.ready()
    settings = Settings(database_url=db.url, **ROOMY)
    with TestClient(create_app(settings, db=db)) as client:
        yield Env(db, settings, client)


def sign(client: TestClient, number: str, iin: str, region: str = ALMATY, **names: str) -> dict:
    """Sign through both steps of the API; the JSON of the second answer with its status."""
    signer = {"iin": iin, "first_name": "Асқар", "last_name": "Бекұлы", "region": region, **names}
    preview = client.post(f"/api/v1/petitions/{number}/signing", json=signer)
    if preview.status_code != 200:
        return {**preview.json(), "http": preview.status_code}
    done = client.post(
        f"/api/v1/petitions/{number}/signatures",
        json={"confirmation": preview.json()["confirmation"]},
    )
    return {**done.json(), "http": done.status_code}
