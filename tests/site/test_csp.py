"""The site passes its own Content-Security-Policy (no inline script or style, nothing from elsewhere):
every view, as an employee, a manager and HR, in a real Chromium, with no policy violation reported."""

from __future__ import annotations

import urllib.request

from playwright.sync_api import Browser

from server.security import CSP

from .conftest import SiteServer, open_site

VIEWS = {
    "priya-raman": ["#/", "#/career", "#/career/staff-software-engineer", "#/person/priya-raman", "#/architecture",
                    "#/role/senior-software-engineer"],
    "grace-lindqvist": ["#/team", "#/succession", "#/person/chen-wei", "#/inventory"],
    "margaret-okonkwo": ["#/editor", "#/editor/moves", "#/succession", "#/inventory", "#/architecture?view=list"],
}
WATCH = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
    (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));"""


def test_the_server_sends_the_policy(site_server: SiteServer) -> None:
    with urllib.request.urlopen(f"{site_server.url}/") as resp:
        assert resp.headers["content-security-policy"] == CSP
        assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP


def test_every_view_runs_under_the_policy(browser: Browser, site_server: SiteServer) -> None:
    seen = 0
    for person, views in VIEWS.items():
        with open_site(browser, site_server, f"csp-{person}") as site:
            site.page.add_init_script(WATCH)
            site.sign_in(person, views[0])
            for view in views:
                site.goto(view)
                violations = site.page.evaluate("window.__csp")
                assert violations == [], f"{person} {view}: {violations}"
                assert site.page.locator("main h1").count() == 1
                seen += 1
            refused = [e for e in site.errors if "Content Security Policy" in e or "Refused to" in e]
            assert refused == [], refused
    assert seen == sum(len(v) for v in VIEWS.values())
