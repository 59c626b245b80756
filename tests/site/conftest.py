"""Browser tests of the site: the real server (sample organisation, demo sign-in) on a free loopback
port, driven through Debian's Chromium (/usr/bin/chromium) with Playwright. No browser downloads and
no skipping: without Chromium these tests fail and say how to install it.

Every test leaves a screenshot in ``artifacts/screenshots/<test name>.png`` (also when it fails).
"""

from __future__ import annotations

import contextlib
import math
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, expect, sync_playwright

from tests.trellis_server import TrellisServer as SiteServer

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def site_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    server = SiteServer(tmp_path_factory.mktemp("site")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def neo4j_site_server(neo4j_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """The site on the session's real Neo4j (tests/conftest.py ``neo4j_server``), seeded with the sample
    organisation. Other tests clear that Neo4j: call ``neo4j_site_server.seed()`` first if you need the
    sample organisation as it was."""
    server = SiteServer(tmp_path_factory.mktemp("site-neo4j"), neo4j_uri=neo4j_server.uri,
                        neo4j_password=neo4j_server.password)
    server.seed().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install Debian's chromium (ops/install-tools.sh, "
                    "or apt-get install chromium). The browser tests never download a browser.")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


# --- a page of the site, with what the tests need around it ---------------------------------------

def num(x: float) -> str:
    """What the site prints for a number (dom.js ``num``): 10.5, 3, 0.25."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.2f}".rstrip("0").rstrip(".")


def pct(x: float) -> str:
    """What the site prints for a ratio (dom.js ``pct``, Math.round): 0.7123 → "71%"."""
    return f"{math.floor(x * 100 + 0.5)}%"


class Site:
    """A browser page on the site; collects console errors; knows how to sign in and wait."""

    def __init__(self, page: Page, server: SiteServer) -> None:
        self.page, self.server = page, server
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console error: {message.text} ({message.location.get('url', '')})")

    def rendered(self) -> str | None:
        """The router's mark of the last finished render (changes with every render)."""
        try:
            return self.page.evaluate("document.querySelector('main')?.dataset.rendered ?? null")
        except Exception:   # the page is between documents
            return None

    def goto(self, hash_: str = "#/") -> Page:
        """Open a view by its URL (a full load, or a hash change on the same page) and wait for it."""
        before = self.rendered()
        url = f"{self.server.url}/{hash_}"
        if self.page.url == url:
            self.page.reload()
        else:
            self.page.goto(url)
        self.ready(before)
        return self.page

    def ready(self, before: str | None = None, timeout: float = 15_000) -> None:
        """Wait until a render newer than ``before`` finished: a heading, nothing loading, every graph drawn."""
        self.page.wait_for_function("""(before) => {
            const main = document.querySelector('main');
            if (!main || !main.dataset.rendered || main.dataset.rendered === before) return false;
            if (!main.querySelector('h1')) return false;
            if (main.querySelector('.loading, [aria-busy="true"]')) return false;
            return [...main.querySelectorAll('.graph')].every((g) => g.dataset.ready === 'true');
        }""", arg=before, timeout=timeout)

    def navigate(self, action: Any) -> None:
        """Run ``action`` (a click, a selection) that changes the view, and wait for the new render."""
        before = self.rendered()
        action()
        self.ready(before)

    def sign_in(self, person_id: str, next_hash: str = "#/career") -> str:
        """Demo sign-in through the page; returns the token the page keeps in sessionStorage."""
        self.goto(f"#/signin?next={urllib.parse.quote(next_hash, safe='')}")
        self.navigate(lambda: self.page.locator(f"button[data-person-id='{person_id}']").click())
        expect(self.page.locator("#viewer-name")).to_be_visible()
        assert self.page.evaluate("location.hash") == next_hash
        token = self.page.evaluate("sessionStorage.getItem('trellis.token')")
        assert token, "the sign-in left no token in sessionStorage"
        return token

    def text(self, selector: str) -> str:
        return re.sub(r"\s+", " ", self.page.locator(selector).first.inner_text()).strip()

    def assert_no_console_errors(self) -> None:
        assert not self.errors, "\n".join(self.errors)


@contextlib.contextmanager
def open_site(browser: Browser, server: SiteServer, name: str, width: int = 1280) -> Iterator[Site]:
    """A fresh browser context on ``server``; on the way out, a full-page screenshot named after the test."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield Site(page, server)
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")
        try:
            page.screenshot(path=str(SCREENSHOTS / f"{shot}.png"), full_page=True)
        finally:
            context.close()


@pytest.fixture
def site(browser: Browser, site_server: SiteServer, request: pytest.FixtureRequest) -> Iterator[Site]:
    with open_site(browser, site_server, request.node.name) as opened:
        yield opened
