"""The reference endpoint the appeals benchmark compares Arna with: FastAPI, one Pydantic model,
one durable insert of the same document per request (POST /submit), nothing else; POST /sign
does the same with a petition signature's body (benchmarks/petition_signing.py).

SQLite: a sync endpoint, WAL + synchronous=FULL, writes serialised by a lock, one commit each.
PostgreSQL: an async endpoint on an asyncpg pool (run with 2 workers), one insert each.
Run: uvicorn --factory benchmarks.bare_app:make_app with BARE_DATABASE=sqlite:PATH or a DSN.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field


class Applicant(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    email: str | None = None
    phone: str | None = None
    iin: str | None = None


class Document(BaseModel):
    text: str = Field(min_length=1, max_length=10_000)
    kind: str
    category: str | None = None
    kato: str | None = None
    lat: float | None = None
    lon: float | None = None
    applicant: Applicant
    public: bool | None = None
    language: str | None = None


class Confirmation(BaseModel):
    """The body of a petition signature (benchmarks/petition_signing.py)."""

    confirmation: str = Field(min_length=20, max_length=2_000)


def make_app() -> FastAPI:
    target = os.environ["BARE_DATABASE"]
    if target.startswith("sqlite:"):
        return _sqlite_app(target.removeprefix("sqlite:"))
    return _postgres_app(target)


def _sqlite_app(path: str) -> FastAPI:
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS docs (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    lock = threading.Lock()
    app = FastAPI()

    @app.post("/submit", status_code=201)
    def create(doc: Document) -> dict[str, Any]:
        body = doc.model_dump_json()
        with lock:
            cur = conn.execute("BEGIN IMMEDIATE")
            cur = conn.execute("INSERT INTO docs (body) VALUES (?)", (body,))
            conn.execute("COMMIT")
        return {"id": cur.lastrowid}

    @app.post("/sign", status_code=201)
    def sign(doc: Confirmation) -> dict[str, Any]:
        with lock:
            conn.execute("BEGIN IMMEDIATE")
            cur = conn.execute("INSERT INTO docs (body) VALUES (?)", (doc.confirmation,))
            conn.execute("COMMIT")
        return {"id": cur.lastrowid}

    return app


def _postgres_app(dsn: str) -> FastAPI:
    import asyncpg  # type: ignore[import-untyped]

    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # the benchmark creates bare_docs first: two workers creating it at once can fail
        state["pool"] = await asyncpg.create_pool(dsn, min_size=16, max_size=16)
        yield
        await state["pool"].close()

    app = FastAPI(lifespan=lifespan)

    @app.post("/submit", status_code=201)
    async def create(doc: Document) -> dict[str, Any]:
        async with state["pool"].acquire() as conn:
            new_id = await conn.fetchval(
                "INSERT INTO bare_docs (body) VALUES ($1::jsonb) RETURNING id",
                json.dumps(doc.model_dump()),
            )
        return {"id": new_id}

    @app.post("/sign", status_code=201)
    async def sign(doc: Confirmation) -> dict[str, Any]:
        async with state["pool"].acquire() as conn:
            new_id = await conn.fetchval(
                "INSERT INTO bare_docs (body) VALUES ($1::jsonb) RETURNING id",
                json.dumps(doc.model_dump()),
            )
        return {"id": new_id}

    return app
