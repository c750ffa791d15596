"""Screenshots of Arna's main pages in kk, ru and en for docs/screenshots/ (`make screenshots`).

Seeds the demo season into a temporary SQLite database, serves it on a free loopback port,
drives Debian's Chromium (/usr/bin/chromium) through Playwright and saves one PNG per page,
language and width under a stable name (`<page>-<lang>-<width>.png`), then writes the folder's
README.md index. Nothing leaves the machine: the pages load only their own files.

    .venv/bin/python tools/screenshots.py [--out docs/screenshots] [--lang kk --lang ru]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
LANGS = ("kk", "ru", "en")
NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
DESKTOP, PHONE = (1280, 800), (390, 844)
PHONE_TALL = 2400  # px of a phone page shown, from the top


@dataclass(frozen=True)
class Shot:
    name: str  # the file's stem and the index's row
    title: str
    who: str  # "visitor", "official", "supervisor"
    open: Callable[[Any, str, str], None]  # (page, base, lang)
    phone: bool = False  # also at 390 px


@dataclass
class Demo:
    number: str
    body: str
    region: str
    track: tuple[str, str]
    official: str
    supervisor: str


def serve(folder: Path) -> Any:
    """The demo season in `folder`, served in a thread, as the page sweep serves it (the same
    helper, from the tests); yields the base URL, the database and the application."""
    sys.path.insert(0, str(ROOT))  # `tests` is a package of the repository, not installed
    from tests.web.sweep_checks import serve_demo

    return serve_demo(folder, text_readers=0)


def find_demo(api: Any, base: str, db: Any) -> Demo:
    """A public appeal that climbed, its body and region; an appeal filed and answered here
    (its access code is known only to whoever filed it); the demo accounts to log in as."""
    from sqlalchemy import select

    from arna.accounts.actions import create_token
    from arna.accounts.models import User
    from arna.core.actors import system

    items = api.get(f"{base}/api/v1/appeals?limit=100").json()["items"]
    shown = max(items, key=lambda a: (a["escalation_depth"], a["status"] != "registered"))
    text = "Шымкентте Тұран көшесінде жолда үлкен шұңқыр бар, көліктер бұзылып жатыр."
    filed = api.post(
        f"{base}/api/v1/appeals",
        data={"text": text, "kind": "complaint", "applicant": {"name": "Айгерім Сапарова"}},
    ).json()
    with db.read() as session:
        users = sorted((u.role, u.email, u.body_id) for u in session.scalars(select(User)))
    admin = next(email for role, email, _ in users if role == "admin")
    token = create_token(db, email=admin, actor=system("screenshots"))
    api.post(
        f"{base}/api/v1/appeals/{filed['number']}/answer",
        headers={"Authorization": f"Bearer {token}"},
        data={
            "outcome": "resolved",
            "text": "Тұран көшесіндегі шұңқыр асфальтталды, жол белгілері қойылды.",
        },
    )
    officials = [(email, body) for role, email, body in users if role == "official"]
    official = next((e for e, b in officials if b == shown["body"]["id"]), officials[0][0])
    supervisors = [email for role, email, _ in users if role == "supervisor"]
    supervisor = next((e for e in supervisors if "government" in e), supervisors[0])
    return Demo(
        number=shown["number"],
        body=shown["body"]["id"],
        region=shown["region_kato"],
        track=(filed["number"], filed["access_code"]),
        official=official,
        supervisor=supervisor,
    )


def _url(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def goto(path: str) -> Callable[[Any, str, str], None]:
    def run(page: Any, base: str, lang: str) -> None:
        page.goto(base + _url(path, lang), wait_until="networkidle")

    return run


def track(number: str, code: str) -> Callable[[Any, str, str], None]:
    def run(page: Any, base: str, lang: str) -> None:
        page.goto(base + _url("/track", lang), wait_until="load")
        form = page.locator("main form:has([name=code])").first
        form.locator("[name=number]").fill(number)
        form.locator("[name=code]").fill(code)
        with page.expect_navigation(wait_until="networkidle"):
            form.locator("button[type=submit]").last.click()

    return run


def official_appeal(fallback: str) -> Callable[[Any, str, str], None]:
    """The first appeal of the official's inbox."""

    def run(page: Any, base: str, lang: str) -> None:
        page.goto(base + _url("/official/", lang), wait_until="load")
        link = page.locator("main a[href^='/official/appeals/']").first
        href = link.get_attribute("href") if link.count() else f"/official/appeals/{fallback}"
        page.goto(base + _url(href.split("?")[0], lang), wait_until="networkidle")

    return run


def shots(demo: Demo) -> list[Shot]:
    return [
        Shot("home", "Home: figures, charts, map", "visitor", goto("/"), phone=True),
        Shot("appeals", "Public appeals", "visitor", goto("/appeals"), phone=True),
        Shot("new-appeal", "File an appeal", "visitor", goto("/appeals/new"), phone=True),
        Shot("public-appeal", "A public appeal", "visitor", goto(f"/appeals/{demo.number}"), True),
        Shot("track-result", "Tracking an answered appeal", "visitor", track(*demo.track), True),
        Shot("body", "A state body", "visitor", goto(f"/bodies/{demo.body}")),
        Shot("region", "A region", "visitor", goto(f"/regions/{demo.region}")),
        Shot("official-inbox", "Official: the inbox", "official", goto("/official/"), True),
        Shot("official-appeal", "Official: an appeal", "official", official_appeal(demo.number)),
        Shot("overview", "Supervisor: overview", "supervisor", goto("/official/overview"), True),
    ]


def sign_in(browser: Any, base: str, email: str) -> Any:
    from arna.appeals.demo import DEMO_PASSWORD

    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/official/login", wait_until="load")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation(wait_until="load"):
        page.locator("main form button[type=submit]").last.click()
    if "/official/login" in page.url:
        raise SystemExit(f"could not log in as {email}")
    return page


def write_index(out: Path, table: list[Shot], langs: tuple[str, ...]) -> None:
    lines = [
        "# Screenshots",
        "",
        "The main pages of the demo season (`make demo`) in Kazakh, Russian and English, at",
        "1280 px and, for the pages people use on a phone, at 390 px. Regenerate them all with",
        "`make screenshots` (tools/screenshots.py: a temporary demo database, Debian's Chromium).",
        "",
        "| Page | " + " | ".join(NAMES[lang] for lang in langs) + " |",
        "|---|" + "---|" * len(langs),
    ]
    for shot in table:
        cells = []
        for lang in langs:
            links = [f"[1280 px]({shot.name}-{lang}-1280.png)"]
            if shot.phone:
                links.append(f"[390 px]({shot.name}-{lang}-390.png)")
            cells.append(" · ".join(links))
        lines.append(f"| {shot.title} | " + " | ".join(cells) + " |")
    lines += ["", f"![{table[0].title}]({table[0].name}-{langs[0]}-1280.png)", ""]
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8")


def take(browser: Any, base: str, db: Any, out: Path, langs: tuple[str, ...]) -> list[Shot]:
    """Every screenshot of the table, with a progress bar; returns the table."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    visitor = browser.new_context()
    demo = find_demo(visitor.request, base, db)
    pages = {
        "visitor": visitor.new_page(),
        "official": sign_in(browser, base, demo.official),
        "supervisor": sign_in(browser, base, demo.supervisor),
    }
    table = shots(demo)
    jobs = [
        (shot, lang, size)
        for shot in table
        for lang in langs
        for size in ((DESKTOP, PHONE) if shot.phone else (DESKTOP,))
    ]
    columns = (TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns) as progress:
        task = progress.add_task("Screenshots", total=len(jobs))
        for shot, lang, (width, height) in jobs:
            progress.update(task, description=f"{shot.name} {lang} {width}")
            page = pages[shot.who]
            page.set_viewport_size({"width": width, "height": height})
            shot.open(page, base, lang)
            path = str(out / f"{shot.name}-{lang}-{width}.png")
            if width == PHONE[0]:  # a phone's page is read by scrolling: show more of it
                tall = min(page.evaluate("document.documentElement.scrollHeight"), PHONE_TALL)
                clip = {"x": 0, "y": 0, "width": width, "height": tall}
                page.screenshot(path=path, full_page=True, clip=clip)
            else:
                page.screenshot(path=path)
            progress.advance(task)
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", action="append", choices=LANGS, help="default: all three")
    args = parser.parse_args(argv)
    langs = tuple(args.lang or LANGS)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="arna-shots-") as tmp,
        serve(Path(tmp)) as (base, db, _app),
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        table = take(browser, base, db, args.out, langs)
        browser.close()
    write_index(args.out, table, langs)
    print(f"{len(list(args.out.glob('*.png')))} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
