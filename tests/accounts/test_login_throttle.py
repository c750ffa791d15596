"""Failed logins through the login form: throttled per client address and per account, never a
lockout of the rightful user, the same answers for known and unknown e-mails; the form's CSRF
token (issue 12, defects 6 and 7)."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from arna.accounts import passwords
from arna.accounts.actions import create_user
from arna.accounts.models import WebSession
from arna.accounts.throttle import client_key
from arna.app import create_app
from arna.core.actors import system
from arna.core.audit import AuditEvent
from arna.core.db import Database
from arna.core.settings import Settings
from tests.conftest import DatabaseFactory

LOGIN = "/official/login"
EMAIL = "o@akimat.kz"
PASSWORD = "password-123"
TOKEN = "t" * 43  # a form token both sites accept, so that their pages can be compared whole


@dataclass
class Site:
    db: Database
    app: FastAPI

    def visitor(self, address: str) -> TestClient:
        """A browser at `address` that has opened the login form."""
        client = TestClient(self.app, client=(address, 50000), follow_redirects=False)
        client.get(LOGIN)
        return client

    def count(self, model: type[WebSession] | type[AuditEvent]) -> int:
        with self.db.read() as session:
            return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with the smallest cost: these tests count attempts, each would take ~0.2 s."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    monkeypatch.setattr(passwords, "DUMMY", cheap.hash("not-a-password-of-anyone"))


def _site(databases: DatabaseFactory, *, with_account: bool) -> Site:
    db = databases.migrated()
    if with_account:
        create_user(
            db, email=EMAIL, password=PASSWORD, role="admin", body_id=None, actor=system("test")
        )
    return Site(db, create_app(Settings(database_url=db.url), db=db))


@pytest.fixture
def site(databases: DatabaseFactory) -> Site:
    return _site(databases, with_account=True)


def _token(client: TestClient) -> str:
    return client.cookies.get("arna_login_csrf") or ""


def attempt(client: TestClient, email: str, password: str, csrf: str | None = None) -> Any:
    form = {"email": email, "password": password, "csrf": _token(client) if csrf is None else csrf}
    return client.post(f"{LOGIN}?lang=en", data=form)


def test_wrong_passwords_from_one_address_keep_out_that_address_only(site: Site) -> None:
    attacker = site.visitor("203.0.113.7")
    answers = [attempt(attacker, EMAIL, f"guess-{i}") for i in range(12)]
    assert [a.status_code for a in answers] == [401] * 10 + [429] * 2
    refused = answers[-1]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60  # the oldest failure leaves the minute
    assert "Too many attempts; wait a little and try again" in refused.text
    # Refused before the password is checked: even the right one, from that address.
    assert attempt(attacker, EMAIL, PASSWORD).status_code == 429
    # The rightful user, from another address, is not locked out.
    owner = site.visitor("198.51.100.20")
    assert attempt(owner, EMAIL, PASSWORD).headers["location"] == "/official/"
    assert site.count(WebSession) == 1


def test_known_and_unknown_emails_get_the_same_answers(databases: DatabaseFactory) -> None:
    """The same attempts against a site where the account exists and one where it does not:
    statuses, headers and pages are the same byte for byte, throttled or not."""
    known, unknown = _site(databases, with_account=True), _site(databases, with_account=False)
    # 12 attempts from one address, then 3 from each of seven more
    sequence = ["192.0.2.1"] * 12 + [a for i in range(2, 9) for a in [f"192.0.2.{i}"] * 3]
    statuses = []
    clients: dict[tuple[int, str], TestClient] = {}
    for i, address in enumerate(sequence):
        pair = []
        for n, site in enumerate((known, unknown)):
            if (n, address) not in clients:
                clients[n, address] = TestClient(site.app, client=(address, 50000))
                clients[n, address].cookies.set("arna_login_csrf", TOKEN)
            pair.append(attempt(clients[n, address], EMAIL, f"wrong-{i}", csrf=TOKEN))
        a, b = pair
        assert a.status_code == b.status_code, (i, address)
        assert a.content == b.content, (i, address)
        assert abs(int(a.headers.get("Retry-After", 0)) - int(b.headers.get("Retry-After", 0))) <= 1
        each = ("retry-after", "x-request-id")  # every answer has its own request id
        same = {k: v for k, v in a.headers.items() if k not in each}
        assert same == {k: v for k, v in b.headers.items() if k not in each}
        statuses.append(a.status_code)
    # the first address: 10 failures, then its own limit; the account counts 3 failures of each
    # address and refuses new addresses at 20 (the 7th address's third attempt)
    assert statuses[:12] == [401] * 10 + [429] * 2
    assert statuses[12:] == [401] * 17 + [429] * 4
    assert known.count(WebSession) == unknown.count(WebSession) == 0


def test_many_addresses_slow_an_account_but_its_known_address_still_gets_in(site: Site) -> None:
    office = site.visitor("198.51.100.20")
    assert attempt(office, EMAIL, PASSWORD).status_code == 303  # this address knows the password
    for i in range(10):  # a botnet: 3 counted failures per address, 20 an hour per account
        bot = site.visitor(f"203.0.113.{i + 1}")
        for _ in range(3):
            attempt(bot, EMAIL, "guess")
    newcomer = site.visitor("192.0.2.200")
    slowed = attempt(newcomer, EMAIL, PASSWORD)
    assert slowed.status_code == 429  # a new address waits while the account is under attack
    assert int(slowed.headers["Retry-After"]) > 60
    again = site.visitor("198.51.100.20")
    assert attempt(again, EMAIL, PASSWORD).status_code == 303
    assert site.count(WebSession) == 2


@pytest.mark.parametrize("csrf", ["", "forged-token-forged-token-forged-token-xx"])
def test_a_login_without_the_forms_token_is_refused_and_writes_nothing(
    site: Site, csrf: str
) -> None:
    events = site.count(AuditEvent)
    visitor = site.visitor("198.51.100.20")
    refused = attempt(visitor, EMAIL, PASSWORD, csrf=csrf)
    assert refused.status_code == 403
    assert "The form expired. Reload the page and try again." in refused.text
    # a site that posts the form from elsewhere: no cookie (SameSite=Strict), a token of its own
    stranger = TestClient(site.app, client=("198.51.100.21", 50000), follow_redirects=False)
    assert attempt(stranger, EMAIL, PASSWORD, csrf=TOKEN).status_code == 403
    assert site.count(WebSession) == 0 and site.count(AuditEvent) == events
    assert "arna_session" not in visitor.cookies and "arna_session" not in stranger.cookies
    # the refusal gives the form a token: sent back, the login works
    token = re.search(r'name="csrf" value="([^"]+)"', refused.text)
    assert token and token.group(1) == _token(visitor)
    assert attempt(visitor, EMAIL, PASSWORD).status_code == 303


def test_the_form_token_cookie_is_httponly_strict_and_the_form_carries_it(site: Site) -> None:
    client = TestClient(site.app, follow_redirects=False)
    page = client.get(LOGIN)
    cookie = page.headers["set-cookie"]
    assert "arna_login_csrf=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert f'name="csrf" value="{_token(client)}"' in page.text
    assert page.headers["cache-control"] == "no-store"


def test_a_login_waits_for_no_crowd_of_password_checks(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the password checks' queue is full, a login is refused at once and counts nothing."""
    full = threading.BoundedSemaphore(1)
    full.acquire()
    monkeypatch.setattr(passwords, "_waiting", full)
    visitor = site.visitor("198.51.100.20")
    for _ in range(12):  # more than an address may fail: none of these counted
        busy = attempt(visitor, EMAIL, PASSWORD)
        assert busy.status_code == 429 and busy.headers["Retry-After"] == "2"
    monkeypatch.undo()
    assert attempt(visitor, EMAIL, PASSWORD).status_code == 303


def test_clients_are_counted_by_their_address_or_ipv6_network() -> None:
    assert client_key("203.0.113.7") == "203.0.113.7"
    assert client_key("2001:db8:1:2:3:4:5:6") == client_key("2001:db8:1:2:ffff::1")
    assert client_key("2001:db8:1:2::1") != client_key("2001:db8:1:3::1")
    assert client_key("::ffff:203.0.113.7") == "203.0.113.7"
    assert client_key(None) == "unknown"
