"""Regenerates ``site/screenshot-career.png`` (the README's picture of the career page):

    .venv/bin/python -m tests.site.readme_screenshot

Starts the real server with the sample organisation, signs in as Priya Raman (demo sign-in) and
photographs her path to Staff Software Engineer: closest roles, the path, the gap chart.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from .conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, Site, SiteServer

OUT = ROOT / "site" / "screenshot-career.png"


def main(out: Path = OUT) -> int:
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as pw:
        server = SiteServer(Path(folder)).start()
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
            site = Site(context.new_page(), server)
            site.sign_in("priya-raman", "#/career/staff-software-engineer")
            page = site.page
            bottom = page.evaluate("""() => { const chart = document.querySelector('#gap .chart');
                return Math.ceil(chart.getBoundingClientRect().bottom + window.scrollY + 16); }""")
            page.screenshot(path=str(out), full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": bottom})
            context.close()
        finally:
            browser.close()
            server.stop()
    print(f"Wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
