"""Browser tests of the site: the real server (sample organisation, demo sign-in) on a free loopback
port, driven through Debian's Chromium (/usr/bin/chromium) with Playwright. No browser downloads and
no skipping: without Chromium these tests fail and say how to install it.

Every test leaves a screenshot in ``artifacts/screenshots/<test name>.png`` (also when it fails).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, expect, sync_playwright

from tests.neo4j_server import free_port

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


class SiteServer:
    """``python -m server.cli serve`` on a free port with a fresh store (the sample organisation, or
    ``--dataset NAME``: a public framework from ../shared/data, imported on start).

    With ``neo4j_uri`` (+ ``neo4j_password``) it serves that Neo4j instead of the embedded store
    (``seed()`` loads the sample organisation into it). ``stop()`` then ``start()`` (or ``restart()``)
    keeps the store: the same ``TRELLIS_DATA`` file, or the same Neo4j, and the same port and secret."""

    def __init__(self, folder: Path, port: int | None = None, dataset: str | None = None,
                 neo4j_uri: str | None = None, neo4j_password: str | None = None) -> None:
        self.folder, self.port, self.dataset = folder, port or free_port(), dataset
        self.neo4j_uri, self.neo4j_password = neo4j_uri, neo4j_password
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = folder / "server.log"

    def env(self) -> dict[str, str]:
        """The environment the server (and ``python -m server.cli`` commands on its store) run with."""
        env = {**os.environ, "TRELLIS_DATA": str(self.folder / "store.json"), "TRELLIS_DEMO": "1",
               "HOST": "127.0.0.1", "PORT": str(self.port)}
        for key in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "TRELLIS_SECRET"):
            env.pop(key, None)
        if self.neo4j_uri:
            env.update({"NEO4J_URI": self.neo4j_uri, "NEO4J_USER": "neo4j",
                        "NEO4J_PASSWORD": self.neo4j_password or ""})
        return env

    def cli(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """``python -m server.cli ARGS`` on this server's store (asserting it succeeds)."""
        done = subprocess.run([sys.executable, "-m", "server.cli", *args], cwd=ROOT, env=self.env(),
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
        assert done.returncode == 0, f"trellis {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done

    def seed(self) -> SiteServer:
        """Load the sample organisation into the store (``trellis seed``); no-op if it holds it already."""
        self.cli("seed")
        return self

    def restart(self, timeout: float = 60) -> SiteServer:
        """Stop and start again on the same store and port."""
        self.stop()
        return self.start(timeout)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> SiteServer:
        env = self.env()
        with open(self.log, "ab") as log:
            extra = ["--dataset", self.dataset] if self.dataset else []
            self.proc = subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--port", str(self.port), *extra],
                                         cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as resp:
                    if resp.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"trellis serve did not start (log {self.log}):\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self.proc = None

    # --- the API, as the tests see it -------------------------------------------------------

    def graphql(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
        """The data of a query (asserting there are no errors), with the given bearer token."""
        headers = {"content-type": "application/json", "accept": "application/graphql-response+json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        req = urllib.request.Request(f"{self.url}/graphql", data=json.dumps({"query": query, "variables": variables or {}}).encode(),
                                     headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                body = json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            with exc:
                body = json.loads(exc.read())
        assert not body.get("errors"), body["errors"]
        return body["data"]


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
