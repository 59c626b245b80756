"""Write seeds/sample/people.yaml: the people of Northwind Labs and their assessments.

The organisation (names, roles, reporting lines, a profile per person) is
written out by hand below; the assessment histories are generated from it and
from ``sample/architecture.yaml`` (role requirements and moves) and
``sample/learning.yaml`` (course and certification titles used as evidence).

The output is deterministic: one ``random.Random(2026)``, no other randomness,
everything iterated in a fixed order and written sorted. Running the script
twice gives byte-identical files::

    python seeds/make_people.py            # writes seeds/sample/people.yaml
    python seeds/make_people.py OUT.yaml   # writes elsewhere
"""
from __future__ import annotations

import datetime as dt
import json
import random
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "sample"

# ---------------------------------------------------------------------------
# The organisation
#
# (name, role, manager's name, profile, since, joined)
#
# profile: READY (at or above their role, ready for the next one),
#          SOLID (meets their role), DEVELOPING (below it in places),
#          PROMOTED (recently promoted, growing into the role),
#          NEW (joined recently: few or no assessments).
# since:   when they took their current role; None = drawn from the RNG.
# joined:  when they joined Northwind, only for recent joiners (assessments
#          start after it); None = long enough ago for the whole history.
# ---------------------------------------------------------------------------

ROOT = "Helena Marsh"

ORG: list[tuple[str, str, str | None, str, str | None, str | None]] = [
    # Engineering: the Director of Engineering (co-founder) is the root of the tree.
    ("Helena Marsh", "director-of-engineering", None, "SOLID", "2016-04-01", None),
    ("Rahul Venkataraman", "senior-engineering-manager", "Helena Marsh", "SOLID", None, None),
    ("Sofia Ricci", "engineering-manager", "Helena Marsh", "READY", None, None),
    ("Yusuf Demir", "principal-software-engineer", "Helena Marsh", "SOLID", None, None),
    ("Grace Lindqvist", "engineering-manager", "Rahul Venkataraman", "SOLID", None, None),
    ("Kwame Mensah", "engineering-manager", "Rahul Venkataraman", "DEVELOPING", "2026-02-01", None),
    ("Mei Lin Zhao", "staff-software-engineer", "Rahul Venkataraman", "READY", None, None),
    ("Daniel Kowalski", "staff-software-engineer", "Sofia Ricci", "SOLID", None, None),
    # Billing team
    ("Ada Okafor", "senior-software-engineer", "Grace Lindqvist", "READY", "2024-03-01", None),
    ("Lukas Becker", "senior-software-engineer", "Grace Lindqvist", "PROMOTED", "2026-04-01", None),
    ("Priya Raman", "software-engineer", "Grace Lindqvist", "READY", None, None),
    ("Chen Wei", "software-engineer", "Grace Lindqvist", "SOLID", None, None),
    ("Mateo Álvarez", "software-engineer", "Grace Lindqvist", "DEVELOPING", None, None),
    ("Hannah Schmidt", "associate-software-engineer", "Grace Lindqvist", "DEVELOPING", None, None),
    # Scheduling team
    ("Siobhan O'Brien", "senior-software-engineer", "Kwame Mensah", "SOLID", None, None),
    ("Arjun Mehta", "senior-software-engineer", "Kwame Mensah", "READY", None, None),
    ("Nadia Haddad", "software-engineer", "Kwame Mensah", "SOLID", None, None),
    ("Jonas Eriksson", "software-engineer", "Kwame Mensah", "DEVELOPING", None, None),
    ("Aisha Bello", "associate-software-engineer", "Kwame Mensah", "READY", None, None),
    ("Tom Whitaker", "associate-software-engineer", "Kwame Mensah", "NEW", "2026-11-02", "2026-11-02"),
    # Platform team
    ("Ingrid Solberg", "senior-site-reliability-engineer", "Sofia Ricci", "SOLID", None, None),
    ("Kenji Watanabe", "site-reliability-engineer", "Sofia Ricci", "READY", None, None),
    ("Fatima Zahra Benali", "site-reliability-engineer", "Sofia Ricci", "SOLID", None, None),
    ("Oliver Grant", "senior-software-engineer", "Sofia Ricci", "SOLID", None, None),
    # Data
    ("Beatriz Santos", "head-of-data", "Helena Marsh", "SOLID", None, None),
    ("Samuel Osei", "analytics-manager", "Beatriz Santos", "SOLID", None, None),
    ("Elif Yılmaz", "lead-data-analyst", "Samuel Osei", "READY", None, None),
    ("Marcus Johnson", "senior-data-analyst", "Samuel Osei", "SOLID", None, None),
    ("Leila Ahmadi", "data-analyst", "Samuel Osei", "READY", None, None),
    ("Connor Walsh", "data-analyst", "Samuel Osei", "PROMOTED", "2026-07-01", None),
    ("Zoë Bergström", "associate-data-analyst", "Samuel Osei", "DEVELOPING", None, None),
    ("Inês Carvalho", "senior-data-scientist", "Samuel Osei", "SOLID", None, None),
    ("Felix Wagner", "data-scientist", "Samuel Osei", "DEVELOPING", None, None),
    ("Dmitri Volkov", "senior-data-engineer", "Beatriz Santos", "READY", None, None),
    ("Amara Nwosu", "data-engineer", "Beatriz Santos", "SOLID", None, None),
    # Product
    ("Catherine Dubois", "director-of-product", "Helena Marsh", "SOLID", None, None),
    ("Ibrahim Al-Sayed", "group-product-manager", "Catherine Dubois", "SOLID", None, None),
    ("Julia Novak", "principal-product-manager", "Catherine Dubois", "SOLID", None, None),
    ("Rosa Jiménez", "lead-product-manager", "Catherine Dubois", "READY", None, None),
    ("Olga Petrova", "senior-product-analyst", "Catherine Dubois", "SOLID", None, None),
    ("Ethan Park", "senior-product-manager", "Ibrahim Al-Sayed", "READY", None, None),
    ("Anjali Kapoor", "senior-product-manager", "Ibrahim Al-Sayed", "SOLID", None, None),
    ("Liam Fitzgerald", "product-manager", "Ibrahim Al-Sayed", "DEVELOPING", None, None),
    ("Yuki Tanaka", "product-manager", "Ibrahim Al-Sayed", "SOLID", None, None),
    ("Noah Levi", "associate-product-manager", "Ibrahim Al-Sayed", "NEW", "2026-08-03", "2026-08-03"),
    ("Diego Morales", "product-analyst", "Ibrahim Al-Sayed", "SOLID", None, None),
    # Design
    ("Amélie Laurent", "head-of-design", "Helena Marsh", "SOLID", None, None),
    ("Kofi Asante", "design-manager", "Amélie Laurent", "SOLID", None, None),
    ("Freya Nilsson", "lead-ux-designer", "Amélie Laurent", "READY", None, None),
    ("Tara Singh", "senior-user-researcher", "Amélie Laurent", "SOLID", None, None),
    ("Gabriel Costa", "senior-ux-designer", "Kofi Asante", "SOLID", None, None),
    ("Hana Kim", "ux-designer", "Kofi Asante", "READY", None, None),
    ("Ruth Abebe", "ux-designer", "Kofi Asante", "DEVELOPING", None, None),
    ("Lucas Moreau", "associate-ux-designer", "Kofi Asante", "SOLID", None, None),
    ("Ben Adler", "user-researcher", "Kofi Asante", "SOLID", None, None),
    # Customer success and support
    ("Patrick Byrne", "head-of-customer-success", "Helena Marsh", "SOLID", None, None),
    ("Naomi Fischer", "support-manager", "Patrick Byrne", "SOLID", None, None),
    ("Sipho Dlamini", "customer-success-team-lead", "Patrick Byrne", "PROMOTED", "2026-02-01", None),
    ("Wojciech Nowak", "senior-support-engineer", "Naomi Fischer", "READY", None, None),
    ("Ayesha Siddiqui", "support-engineer", "Naomi Fischer", "READY", None, None),
    ("Jamal Carter", "support-engineer", "Naomi Fischer", "SOLID", None, None),
    ("Carmen Ortega", "support-engineer", "Naomi Fischer", "DEVELOPING", None, None),
    ("Erik Lund", "associate-support-engineer", "Naomi Fischer", "SOLID", None, None),
    ("Mariam Yousef", "associate-support-engineer", "Naomi Fischer", "NEW", "2026-10-12", "2026-10-12"),
    ("Charlotte Evans", "lead-customer-success-manager", "Sipho Dlamini", "SOLID", None, None),
    ("Vikram Iyer", "senior-customer-success-manager", "Sipho Dlamini", "READY", None, None),
    ("Laura Bianchi", "senior-customer-success-manager", "Sipho Dlamini", "SOLID", None, None),
    ("Emeka Obi", "customer-success-manager", "Sipho Dlamini", "READY", None, None),
    ("Sara Lindgren", "customer-success-manager", "Sipho Dlamini", "SOLID", None, None),
    ("Jasmine Wright", "associate-customer-success-manager", "Sipho Dlamini", "DEVELOPING", "2026-01-12", "2026-01-12"),
    # People partnering
    ("Margaret Okonkwo", "head-of-people", "Helena Marsh", "SOLID", None, None),
    ("David Cohen", "people-operations-manager", "Margaret Okonkwo", "SOLID", None, None),
    ("Aroha Ngata", "senior-people-partner", "David Cohen", "READY", None, None),
    ("Pedro Alves", "people-partner", "David Cohen", "SOLID", None, None),
    ("Emily Tran", "associate-people-partner", "David Cohen", "DEVELOPING", None, None),
    ("Ayumi Sato", "senior-talent-acquisition-partner", "David Cohen", "SOLID", None, None),
    ("Rhys Morgan", "talent-acquisition-partner", "David Cohen", "READY", None, None),
]

# New joiners with no assessment at all (the rest of NEW get an onboarding self-assessment).
NO_ASSESSMENTS = {"Tom Whitaker"}

# ---------------------------------------------------------------------------
# The assessment calendar
# ---------------------------------------------------------------------------

WINDOW_START = dt.date(2025, 11, 1)
WINDOW_END = dt.date(2026, 11, 15)
BASELINE = dt.date(2025, 11, 3)  # the framework's roll-out baseline (some never refreshed)
# Quarterly review cycle: (manager's date, manager's note, self-assessment note);
# people write their self-assessment a few days before the manager's.
CYCLES = [
    (dt.date(2025, 12, 15), "Q4 2025 review", "Q4 2025 self-assessment"),
    (dt.date(2026, 3, 15), "Q1 2026 check-in", "Q1 2026 self-assessment"),
    (dt.date(2026, 6, 15), "Mid-year review 2026", "Mid-year 2026 self-assessment"),
    (dt.date(2026, 9, 15), "Q3 2026 check-in", "Q3 2026 self-assessment"),
]
SOURCE_ORDER = {"SELF": 0, "PEER": 1, "MANAGER": 2, "ASSESSED": 3}

# Concrete evidence, by competency.
EVIDENCE: dict[str, list[str]] = {
    "software-design": ["Led the design review of the billing service split", "Wrote the design note for the new scheduling rules engine", "Refactored the invoice export module behind a clean interface"],
    "code-quality": ["Reviews on the customer portal repo are thorough and kind", "Introduced ruff to the jobs service and fixed 300 lint findings", "Pull requests for mobile sync were small and well described"],
    "testing": ["Added contract tests between billing and payments", "Fixed the flaky end-to-end suite for route planning", "Reproduced the timezone bug with a failing test before fixing it"],
    "system-architecture": ["Proposed the event bus between scheduling and notifications", "Wrote the ADR for moving file uploads to object storage", "Mapped the monolith's dependencies ahead of the split"],
    "cloud-infrastructure": ["Moved the staging environment to Terraform", "Right-sized worker autoscaling and cut compute cost by 18%", "Set up the network for the new EU region"],
    "security-practice": ["Ran the threat-modelling session for the portal login", "Fixed the SSRF finding from the external pen test", "Rolled out dependency scanning across all services"],
    "reliability": ["Defined SLOs for the scheduling API", "Incident commander for the March payments outage", "Added alerting on queue lag for the sync workers"],
    "data-modelling": ["Designed the dimensional model for job completions", "Cleaned up the customer dimension and its history", "Documented the warehouse naming conventions"],
    "sql-analytics": ["Rewrote the churn query: 20 minutes down to 2", "Built the weekly revenue retention analysis", "Answered the pricing question with a cohort query in a day"],
    "statistics": ["Explained the confidence intervals in the onboarding experiment readout", "Caught a sample ratio mismatch in the pricing test", "Sized the reminder-email experiment with a power analysis"],
    "machine-learning": ["Shipped the first churn model to the CS dashboard", "Improved travel-time prediction error by 12%", "Set up drift monitoring for the ETA model"],
    "data-pipelines": ["Migrated the nightly warehouse load to Airflow", "Added data-quality checks to billing ingestion", "Halved late-arriving data in the event pipeline"],
    "data-visualisation": ["Redesigned the executive KPI dashboard", "The adoption funnel chart became the team's weekly reference", "Replaced twelve ad hoc charts with one board pack"],
    "product-discovery": ["Ran twelve customer interviews on dispatch pain points", "Dropped the bulk-edit idea after a fake-door test", "Framed the opportunity tree for technician onboarding"],
    "roadmapping": ["Rebuilt the mobile roadmap around outcomes", "Presented the H1 roadmap to sales and support", "Worked out the trade-off between invoicing and reporting work"],
    "product-analytics": ["Instrumented the new booking flow", "Defined the activation metric with the data team", "Read out the A/B test on the onboarding checklist"],
    "interaction-design": ["Designed the drag-and-drop interactions of the dispatch board", "Prototyped the technician check-in flow on mobile", "Simplified the invoice editor from five steps to two"],
    "visual-design": ["Refreshed the icon set in the design system", "New dashboard layout was well received in critique", "Defined the colour tokens for dark mode"],
    "user-research": ["Ran usability tests of the booking flow with eight customers", "Synthesised the field-technician diary study", "Set up the research participant panel"],
    "accessibility": ["Fixed keyboard navigation across the scheduling calendar", "Audited the customer portal against WCAG 2.2 AA", "Added screen-reader labels to the mobile app forms"],
    "customer-onboarding": ["Onboarded three enterprise customers ahead of plan", "Rewrote the onboarding checklist for small accounts", "Ran the kickoff workshop for the Meridian Facilities rollout"],
    "account-management": ["Saved the Harbourline account after the outage", "Grew the Corvid Logistics account by two product lines", "Built the renewal plan for the top ten accounts"],
    "troubleshooting": ["Traced the duplicate-invoice tickets to a retry bug in the logs", "Resolved the SSO escalation for Brightwater in one day", "Wrote the runbook for sync failures"],
    "employment-practice": ["Handled flexible-working requests in line with the new policy", "Updated the disciplinary procedure after the legal review", "Advised on the redundancy consultation in support"],
    "reward": ["Ran the salary benchmarking for the engineering bands", "Built the pay-review budget model", "Explained the new bonus scheme to managers"],
    "communication": ["Clear all-hands update on the platform migration", "Explained the incident to customers in plain words", "Weekly status notes are short and useful"],
    "writing": ["Wrote the customer-facing post-mortem", "The permissions design doc needed no rewrite", "Rewrote the knowledge-base article on recurring jobs"],
    "collaboration": ["Paired with the data team on the events schema", "Worked across design and support on the portal relaunch", "Unblocked the mobile team during the release crunch"],
    "stakeholder-management": ["Kept sales and support aligned on the pricing change", "Managed finance's expectations on the reporting delay", "Brought the operations director on board with the plan"],
    "problem-solving": ["Broke the route-planning slowdown into testable hypotheses", "Found a cheap workaround for the payment provider's rate limit", "Structured the churn investigation into clear questions"],
    "ownership": ["Followed the billing fix through to the customer's confirmation", "Took on the orphaned reporting service", "Closed every action from the incident review"],
    "adaptability": ["Picked up the new on-call rota without fuss", "Switched to the EU launch at short notice", "Adapted quickly to the new ticketing tool"],
    "customer-empathy": ["Shadowed two technicians for a day and shared the findings", "Pushed back on a change that would have hurt small customers", "Escalation notes show real understanding of the customer"],
    "feedback": ["Gave specific, kind feedback in design critique", "Asked for feedback on the quarterly presentation and acted on it", "Gave a peer difficult feedback constructively"],
    "facilitation": ["Facilitated the quarterly planning workshop", "Ran a well-structured retrospective after the outage", "Kept the pricing workshop on time and on topic"],
    "negotiation": ["Negotiated the Corvid renewal at a 5% uplift", "Closed a senior candidate's offer within budget", "Agreed the scope trade-off with the customer's IT team"],
    "continuous-learning": ["Finished the cloud course and shared notes with the team", "Set a learning goal for the quarter and met it", "Runs the Friday reading group"],
    "coaching": ["Mentors two associates on code review", "Coached a new CSM through their first renewal", "Helped a colleague set and reach development goals"],
    "people-management": ["Every report has a development plan and regular one-on-ones", "Handled a performance issue early and fairly", "Team engagement score went up this quarter"],
    "hiring": ["Ran a well-calibrated interview loop for two hires", "Rewrote the interview scorecard for the role", "Sourced three strong candidates from the community"],
    "strategic-thinking": ["Wrote the two-year platform strategy", "Connected the team's roadmap to the company goals", "Spotted the market's shift towards self-serve"],
    "decision-making": ["Delayed the release with clearly documented reasoning", "Documented the build-versus-buy decision for search", "Decided quickly during the outage with partial information"],
    "team-building": ["Set up working agreements with the new team", "Organised the team's first offsite", "Hired for complementary skills across the team"],
    "performance-management": ["Ran fair, well-evidenced mid-year reviews", "Set clear expectations for a struggling report", "Calibration notes were precise and balanced"],
    "org-design": ["Proposed the split into platform and product teams", "Designed the support tiers", "Redrew team boundaries around customer journeys"],
    "change-leadership": ["Led the move to quarterly planning", "Brought the team through the reorganisation", "Ran the roll-out of the new career framework"],
    "influence": ["Convinced three teams to adopt the shared auth library", "Persuaded leadership to invest in reliability", "Changed how sales runs product demos"],
}


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


# Letters that Unicode does not decompose into an ASCII base letter.
TRANSLITERATE = str.maketrans({"ı": "i", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "đ": "d"})


def slug(text: str, sep: str = "-") -> str:
    """ASCII slug of a name: 'Siobhan O'Brien' -> 'siobhan-obrien'."""
    text = text.translate(TRANSLITERATE)
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_ = ascii_.replace("'", "").lower()
    return re.sub(r"[^a-z0-9]+", sep, ascii_).strip(sep)


def email(name: str) -> str:
    parts = [slug(p) for p in name.split()]
    return ".".join(p for p in parts if p) + "@northwind.example"


def clamp(level: int) -> int:
    return max(1, min(5, level))


def day(d: dt.date) -> str:
    return d.isoformat()


@dataclass
class Person:
    id: str
    name: str
    role: str
    manager: str | None
    profile: str
    since: str
    joined: dt.date | None
    optimism: float = 0.0  # probability that a self-assessment is one level high


@dataclass
class Track:
    """The 'true' level of one person in one competency over the year."""

    start: int
    end: int
    change: dt.date  # when start becomes end

    def at(self, when: dt.date) -> int:
        return self.end if when >= self.change else self.start


@dataclass
class Assessment:
    person: str
    competency: str
    level: int
    source: str
    at: dt.date
    note: str
    evidence: list[dict[str, str]] = field(default_factory=list)


class Generator:
    def __init__(self, architecture: dict[str, Any], learning: dict[str, Any]) -> None:
        self.rng = random.Random(2026)
        self.roles = {r["id"]: r for r in architecture["roles"]}
        self.requires = {
            r["id"]: [(q["competency"], int(q["level"]), bool(q.get("essential", False))) for q in r["requires"]]
            for r in architecture["roles"]
        }
        moves = architecture["moves"]
        self.next_roles: dict[str, list[str]] = {}
        self.promotion: dict[str, str] = {}
        for a, b in moves["progresses_to"]:
            self.next_roles.setdefault(a, []).append(b)
            self.promotion.setdefault(a, b)
        for a, b in moves.get("can_move_to", []):
            self.next_roles.setdefault(a, []).append(b)
        self.resources = learning["resources"]
        self.assessments: list[Assessment] = []

    # -- people ---------------------------------------------------------------

    def people(self) -> list[Person]:
        out: list[Person] = []
        for name, role, manager, profile, since, joined in ORG:
            assert role in self.roles, role
            if since is None:
                # Longer in post the more senior; always before the assessment window.
                rank = int(self.roles[role]["level"][1:])
                year = self.rng.randint(max(2017, 2025 - rank - 2), 2025)
                month = self.rng.randint(1, 9 if year == 2025 else 12)
                since = f"{year}-{month:02d}-01"
            p = Person(
                id=slug(name), name=name, role=role,
                manager=slug(manager) if manager else None, profile=profile, since=since,
                joined=dt.date.fromisoformat(joined) if joined else None,
            )
            p.optimism = self.rng.choice([0.05, 0.15, 0.3, 0.5])
            out.append(p)
        return out

    # -- levels ---------------------------------------------------------------

    def target(self, p: Person) -> str | None:
        """The role a READY person is ready for: their promotion, else their first curated move."""
        return self.promotion.get(p.role) or next(iter(self.next_roles.get(p.role, [])), None)

    def track(self, p: Person, required: int, essential: bool, aim: int | None) -> Track:
        """aim: the level the person's target role requires, for READY people."""
        r = self.rng.random()
        if p.profile == "READY" and aim is not None:
            offset = max(required, aim if r < 0.75 else aim - 1) - required
            grow = 0.55
        elif p.profile == "READY":
            offset = 1 if r < 0.4 else (0 if r < 0.92 else -1)
            grow = 0.55
        elif p.profile == "SOLID":
            offset = 0 if r < 0.78 else (-1 if r < 0.9 else 1)
            grow = 0.35
        elif p.profile == "DEVELOPING":
            offset = -1 if r < 0.5 else (0 if r < 0.88 else -2)
            if essential and offset == 0 and self.rng.random() < 0.3:
                offset = -1
            grow = 0.4
        elif p.profile == "PROMOTED":
            offset = 0 if r < 0.6 else -1
            grow = 0.75
        else:  # NEW
            offset = 0 if r < 0.5 else -1
            grow = 0.0
        end = clamp(required + offset)
        start = clamp(end - 1) if self.rng.random() < grow else end
        change = CYCLES[self.rng.randint(1, len(CYCLES) - 1)][0]
        return Track(start, end, change)

    def self_level(self, p: Person, level: int) -> int:
        if self.rng.random() < p.optimism:
            return clamp(level + 1)
        if self.rng.random() < 0.05:
            return clamp(level - 1)
        return level

    # -- evidence ---------------------------------------------------------------

    def learning_for(self, competency: str, level: int, kinds: tuple[str, ...], primary: bool = False) -> str | None:
        """A resource title that takes `competency` up to `level` (primary: its first competency)."""
        titles = [
            r["title"] for r in self.resources if r["kind"] in kinds
            for d in (r["develops"][:1] if primary else r["develops"])
            if d["competency"] == competency and d["from"] < level <= d["to"]
        ]
        return self.rng.choice(titles) if titles else None

    def evidence(self, p: Person, a: Assessment, required: int | None, count: int, kinds: list[str]) -> None:
        phrases = list(EVIDENCE[a.competency])
        self.rng.shuffle(phrases)
        for i in range(count):
            kind = self.rng.choice(kinds)
            note = phrases[i % len(phrases)]
            if kind == "COURSE":
                title = self.learning_for(a.competency, a.level, ("COURSE", "READING", "MENTORING", "PROJECT"))
                if title is None:
                    kind = "REVIEW"
                else:
                    note = f"Completed {title}"
            if kind == "ONE_ON_ONE" and required is not None and a.level < required:
                title = self.learning_for(a.competency, a.level + 1, ("COURSE", "READING", "MENTORING", "PROJECT"))
                topic = a.competency.replace("-", " ")
                note = f"Development area: {topic}" + (f"; agreed to take {title}" if title else "")
            earliest = max(WINDOW_START, p.joined or WINDOW_START)
            back = self.rng.randint(0, 28)
            when = max(earliest, a.at - dt.timedelta(days=back))
            if any(e["note"] == note for e in a.evidence):
                continue
            a.evidence.append({"kind": kind, "note": note, "at": day(when)})

    # -- assessments --------------------------------------------------------------

    def add(self, a: Assessment) -> Assessment:
        assert WINDOW_START <= a.at <= WINDOW_END, a
        self.assessments.append(a)
        return a

    def self_date(self, when: dt.date) -> dt.date:
        return when - dt.timedelta(days=self.rng.randint(2, 9))

    def scattered(self, p: Person) -> dt.date:
        earliest = max(WINDOW_START, p.joined or WINDOW_START)
        span = (WINDOW_END - earliest).days
        return earliest + dt.timedelta(days=self.rng.randint(0, span))

    def history(self, p: Person, competency: str, required: int, essential: bool, aim: int | None) -> None:
        t = self.track(p, required, essential, aim)
        has_manager = p.manager is not None
        if essential:
            pattern = "BOTH"
        else:
            r = self.rng.random()
            pattern = "MIXED" if r < 0.75 else "BOTH" if r < 0.83 else "SELF_ONLY" if r < 0.93 else "STALE"
        if p.joined and pattern == "STALE":
            pattern = "MIXED"  # joined after the baseline
        if not has_manager and pattern in ("MIXED", "BOTH"):
            pattern = "SELF_PEER"

        if pattern == "STALE":
            source = "MANAGER" if has_manager and self.rng.random() < 0.6 else "SELF"
            level = t.start if source == "MANAGER" else self.self_level(p, t.start)
            a = self.add(Assessment(p.id, competency, level, source, BASELINE, "Framework roll-out baseline"))
            if self.rng.random() < 0.4:
                self.evidence(p, a, required, 1, ["REVIEW"])
            return

        cycles = [c for c in CYCLES if not (p.joined and c[0] < p.joined)]
        for when, label, self_label in cycles:
            level = t.at(when)
            if pattern == "MIXED":
                # One assessment a quarter, from the manager or the person.
                sources = ["MANAGER"] if self.rng.random() < 0.55 else ["SELF"]
            elif pattern == "BOTH":
                # Essential skills: the manager every quarter, the person often.
                sources = ["MANAGER"] + (["SELF"] if self.rng.random() < (0.5 if essential else 0.85) else [])
            else:  # SELF_ONLY, SELF_PEER
                sources = ["SELF"]
            for source in sources:
                if source == "MANAGER":
                    a = self.add(Assessment(p.id, competency, level, "MANAGER", when, label))
                    n = self.rng.choices([0, 1, 2], weights=[55, 37, 8])[0]
                    self.evidence(p, a, required, n, ["ONE_ON_ONE", "REVIEW", "REVIEW"])
                else:
                    a = self.add(Assessment(p.id, competency, self.self_level(p, level), "SELF",
                                            self.self_date(when), self_label))
                    n = self.rng.choices([0, 1], weights=[80, 20])[0]
                    self.evidence(p, a, required, n, ["REVIEW", "COURSE"])

        # Occasional peer feedback (always some for people without a manager).
        peers = 2 if pattern == "SELF_PEER" else (1 if self.rng.random() < 0.12 else 0)
        for _ in range(peers):
            when = self.scattered(p)
            level = t.at(when)
            if self.rng.random() < 0.2:
                level = clamp(level + self.rng.choice([-1, 1]))
            a = self.add(Assessment(p.id, competency, level, "PEER", when, "360 feedback"))
            self.evidence(p, a, required, 1, ["FEEDBACK"])

        # Rare certification: only where a certification covers the level reached.
        cert = self.learning_for(competency, t.end, ("CERTIFICATION",), primary=True)
        if cert and self.rng.random() < 0.5:
            when = self.scattered(p)
            if when < t.change:
                when = min(WINDOW_END, t.change + dt.timedelta(days=self.rng.randint(3, 40)))
            a = self.add(Assessment(p.id, competency, t.end, "ASSESSED", when, f"Certified: {cert}"))
            a.evidence.append({"kind": "CERTIFICATION", "note": f"Passed {cert}", "at": day(when)})

        # Off-cycle update in the autumn, e.g. after a course or for a promotion case.
        if has_manager and self.rng.random() < (0.15 if p.profile == "READY" else 0.04):
            when = dt.date(2026, 10, 1) + dt.timedelta(days=self.rng.randint(0, 44))
            note = "Promotion case review" if p.profile == "READY" else "Off-cycle check-in"
            a = self.add(Assessment(p.id, competency, t.end, "MANAGER", when, note))
            self.evidence(p, a, required, 1, ["REVIEW"])

    def aspirations(self, p: Person, own: list[str]) -> None:
        """Competencies outside the role, from the roles a person could move to.

        READY people are assessed on everything their target role adds; the
        others on one to three skills they are curious about.
        """
        candidates: list[tuple[str, int]] = []
        for target in self.next_roles.get(p.role, []):
            for c, level, _ in self.requires[target]:
                if c not in own and c not in [x for x, _ in candidates]:
                    candidates.append((c, level))
        if not candidates:
            return
        chosen = self.rng.sample(candidates, min(len(candidates), self.rng.randint(1, 3)))
        target = self.target(p)
        if p.profile == "READY" and target is not None:
            needed = [(c, level) for c, level, _ in self.requires[target] if c not in own]
            chosen = needed + [x for x in chosen[:1] if x not in needed]
        for c, target_level in chosen:
            if p.profile == "READY":
                level = clamp(target_level - self.rng.choice([0, 0, 1]))
            else:
                level = clamp(self.rng.randint(1, max(1, target_level - 1)))
            cycles = [cy for cy in CYCLES[self.rng.randint(1, 2):] if not (p.joined and cy[0] < p.joined)]
            for when, _, self_label in cycles:
                a = self.add(Assessment(p.id, c, self.self_level(p, level), "SELF", self.self_date(when), self_label))
                self.evidence(p, a, None, self.rng.choice([0, 1]), ["REVIEW", "COURSE"])
            if p.manager and cycles and (p.profile == "READY" or self.rng.random() < 0.25):
                when, label, _ = CYCLES[-1]
                a = self.add(Assessment(p.id, c, level, "MANAGER", when, label))
                self.evidence(p, a, None, 1, ["ONE_ON_ONE"])

    def onboarding(self, p: Person) -> None:
        """New joiners: one self-assessment two weeks in, on a few competencies."""
        assert p.joined is not None
        when = p.joined + dt.timedelta(days=14)
        for c, required, essential in self.requires[p.role]:
            if essential or self.rng.random() < 0.3:
                level = clamp(required - self.rng.choice([0, 1]))
                self.add(Assessment(p.id, c, self.self_level(p, level), "SELF", when, "Onboarding self-assessment"))

    def run(self) -> tuple[list[Person], list[Assessment]]:
        people = self.people()
        for p in people:
            if p.name in NO_ASSESSMENTS:
                continue
            if p.profile == "NEW" and (p.joined is None or p.joined > CYCLES[-1][0]):
                self.onboarding(p)
                continue
            own = [c for c, _, _ in self.requires[p.role]]
            if p.joined:
                self.onboarding(p)
            target = self.target(p) if p.profile == "READY" else None
            aims = {c: level for c, level, _ in self.requires[target]} if target else {}
            for c, required, essential in self.requires[p.role]:
                self.history(p, c, required, essential, aims.get(c))
            self.aspirations(p, own)
        return people, self.assessments


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

PLAIN = re.compile(r"^[^\W\d_][\w'. -]*[\w.]$")
RESERVED = {"null", "true", "false", "yes", "no", "on", "off", "y", "n", "~"}


def scalar(value: Any, quote: bool = False) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if not quote and PLAIN.match(text) and text.lower() not in RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"


def render(people: list[Person], assessments: list[Assessment]) -> str:
    lines = [
        "# Northwind Labs people and assessment histories (fictional sample data for Trellis).",
        "# Generated by seeds/make_people.py from architecture.yaml and learning.yaml:",
        "# edit the script, not this file.",
        "",
        "people:",
    ]
    for p in sorted(people, key=lambda x: x.id):
        lines.append("  - " + flow([
            ("id", p.id), ("name", scalar(p.name)), ("email", email(p.name)),
            ("role", p.role), ("since", scalar(p.since, quote=True)), ("manager", scalar(p.manager)),
        ]))
    lines += ["", "assessments:"]
    ordered = sorted(assessments, key=lambda a: (a.person, a.competency, a.at, SOURCE_ORDER[a.source]))
    for n, a in enumerate(ordered, start=1):
        pairs = [
            ("id", f"a-{n:04d}"), ("person", a.person), ("competency", a.competency), ("level", str(a.level)),
            ("source", a.source), ("at", scalar(day(a.at), quote=True)), ("note", scalar(a.note, quote=True)),
        ]
        if a.evidence:
            items = [
                flow([("kind", e["kind"]), ("note", scalar(e["note"], quote=True)), ("at", scalar(e["at"], quote=True))])
                for e in sorted(a.evidence, key=lambda e: (e["at"], e["kind"], e["note"]))
            ]
            pairs.append(("evidence", "[" + ", ".join(items) + "]"))
        lines.append("  - " + flow(pairs))
    return "\n".join(lines) + "\n"


def check(people: list[Person], assessments: list[Assessment]) -> None:
    ids = [p.id for p in people]
    assert len(ids) == len(set(ids)), "duplicate person ids"
    by_id = {p.id: p for p in people}
    roots = [p for p in people if p.manager is None]
    assert [p.name for p in roots] == [ROOT], roots
    for p in people:
        seen = {p.id}
        m = p.manager
        while m is not None:
            assert m in by_id, (p.id, m)
            assert m not in seen, f"reporting cycle at {p.id}"
            seen.add(m)
            m = by_id[m].manager
    for a in assessments:
        assert a.person in by_id and 1 <= a.level <= 5, a


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else SAMPLE / "people.yaml"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    architecture = yaml.load((SAMPLE / "architecture.yaml").read_text(encoding="utf-8"), Loader=loader)
    learning = yaml.load((SAMPLE / "learning.yaml").read_text(encoding="utf-8"), Loader=loader)
    gen = Generator(architecture, learning)
    people, assessments = gen.run()
    check(people, assessments)
    for p in people:
        if p.manager is not None:
            manager_role = next(q.role for q in people if q.id == p.manager)
            assert gen.roles[manager_role]["track"] == "management", (p.id, manager_role)
    out.write_text(render(people, assessments), encoding="utf-8")
    print(f"wrote {out}: {len(people)} people, {len(assessments)} assessments")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
