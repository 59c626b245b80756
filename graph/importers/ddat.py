"""The UK government Digital and Data (DDaT) Capability Framework as a Trellis organisation.

The mapping, applied by :func:`load` and repeated in ``ImportResult.notes``:

* **Scale**: DDaT's own four skill levels, Awareness 1, Working 2, Practitioner 3, Expert 4
  (a four-level scale for this framework instead of Trellis's default five).
* **Families**: the role families (``Architecture``, ``Data``, ...), ids are slugs.
* **Roles**: one Trellis role per DDaT *role level* (``Senior data engineer``): the id is the
  slug of the role level's name (``senior-data-engineer``), which is unique in the framework;
  the description is the role level's description followed by the role's.
* **Levels**: DDaT orders levels only by their names. Each role level gets a rank from
  :data:`RANK_WORDS` (first match wins; no match → 4, the plain "mid" level): apprentice,
  trainee 1; associate 2; junior 3; (none) 4; senior 5; lead, major 6; principal 7; head of,
  chief 8. An *analyst* level in a role named "... manager" (``Service desk analyst`` in
  *Service desk manager*) ranks two lower, so that analyst < senior analyst < manager. The
  ranks are the global Levels ``entry`` .. ``head``.
* **Tracks**: level names ending in `` - management`` (Software developer, DevOps engineer)
  are on track ``management``; every other role level is on ``ic``.
* **Moves**: ``progresses_to`` from each level of a role to the level(s) of the next higher
  rank on the same ladder (the management ladder continues from the ic levels below its
  first management level); ``can_move_to`` both ways between levels of one role at the same
  rank (``Senior developer`` ↔ ``Senior developer - management``).
* **Competencies**: the 188 skills of ``skills.csv`` (id = slug of the name); each level's
  "You can:" list split into one indicator per bullet; "This skill level is currently not
  defined." and empty levels give no indicator. Category: see :data:`CATEGORY_RULES`.
* **Requirements**: the skill level a role level lists, weight 1.0, not essential (DDaT
  marks no skill as essential). Exact duplicate rows are kept once.
* Role levels whose level is ``NOT IN USE`` (the four Senior Civil Service roles of *Chief
  digital and data*) have no skill levels either: they are reported in ``skipped``, because
  a role with no requirements would be "ready" for everyone.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from .common import ImportResult, Progress, bullets, clean, read_rows, require_dir, scale, slug

__all__ = ["load", "rank_of", "RANK_WORDS", "LEVELS", "SKILL_LEVELS", "CATEGORY_RULES"]

FILES = ("roles_levels_skills.csv", "skills.csv")
SKILL_LEVELS = ("Awareness", "Working", "Practitioner", "Expert")

RANK_WORDS: tuple[tuple[str, int], ...] = (
    (r"\bhead of\b", 8), (r"\bchief\b", 8), (r"\bprincipal\b", 7), (r"\blead\b", 6), (r"\bmajor\b", 6),
    (r"\bsenior\b", 5), (r"\bjunior\b", 3), (r"\bassociate\b", 2), (r"\btrainee\b", 1), (r"\bapprentice\b", 1),
)
"""(pattern in the lower-cased level name, rank): the first match wins; no match is rank 4."""

LEVELS = {1: ("entry", "Entry (apprentice, trainee)"), 2: ("associate", "Associate"), 3: ("junior", "Junior"),
          4: ("mid", "Mid"), 5: ("senior", "Senior"), 6: ("lead", "Lead"), 7: ("principal", "Principal"),
          8: ("head", "Head")}

CATEGORY_RULES: tuple[tuple[str, str], ...] = (
    (r"leadership|\bleading\b|strateg|capability building|shaping the direction|ownership"
     r"|making and guiding decisions", "LEADERSHIP"),
    (r"communicat|stakeholder|collaborat|empathy|consultancy|designing together|team dynamics", "BEHAVIOURAL"),
)
"""(pattern in the lower-cased skill name, category): first match wins; otherwise TECHNICAL."""

_NOT_DEFINED = "this skill level is currently not defined"
_MANAGEMENT = re.compile(r"\s+-\s+management$", re.I)


def rank_of(level_name: str, role_name: str = "") -> int:
    """The rank of a DDaT role level, read from its name.

    >>> [rank_of(n) for n in ("Apprentice developer", "Junior developer", "Developer",
    ...                       "Senior developer - management", "Lead developer", "Head of product")]
    [1, 3, 4, 5, 6, 8]
    >>> rank_of("Senior service desk analyst", "Service desk manager"), rank_of("Service desk manager")
    (3, 4)
    """
    name = _MANAGEMENT.sub("", level_name.strip()).lower()
    rank = next((r for pattern, r in RANK_WORDS if re.search(pattern, name)), 4)
    if re.search(r"\banalyst\b", name) and role_name.strip().lower().endswith("manager"):
        rank -= 2
    return max(1, rank)


def _category(name: str) -> str:
    low = name.lower()
    return next((c for pattern, c in CATEGORY_RULES if re.search(pattern, low)), "TECHNICAL")


def load(path: Path, progress: Progress | None = None) -> ImportResult:
    """Read the DDaT CSV files in ``path`` (a folder) into an organisation document."""
    root = require_dir(Path(path), "UK DDaT", FILES)
    skipped: list[str] = []

    # ---- competencies
    competencies: list[dict[str, Any]] = []
    comp_ids: dict[str, str] = {}
    not_defined = empty = 0
    for r in read_rows(root / "skills.csv", progress):
        name = clean(r["Skill Name"])
        cid = slug(name)
        if cid in comp_ids.values():
            skipped.append(f"skill '{name}' has the same id as another skill: skipped")
            continue
        comp_ids[name] = cid
        indicators = {}
        for level, column in enumerate(SKILL_LEVELS, 1):
            text = clean(r.get(column))
            if not text:
                empty += 1
            elif text.lower().rstrip(".") == _NOT_DEFINED:
                not_defined += 1
            else:
                indicators[level] = bullets(text)
        competencies.append({"id": cid, "name": name, "category": _category(name),
                             "description": clean(r["Skill Description"]), "indicators": indicators})
    if not_defined:
        skipped.append(f"{not_defined} skill levels are 'currently not defined' in skills.csv: no indicators")
    if empty:
        skipped.append(f"{empty} skill levels have no description in skills.csv: no indicators")

    # ---- role levels
    levels_of: dict[str, dict[str, Any]] = {}          # role level id -> role dict (+ private keys)
    ladder: dict[tuple[str, str], list[str]] = defaultdict(list)
    requires: dict[str, dict[str, int]] = defaultdict(dict)
    dup = conflict = 0
    not_in_use: dict[str, int] = Counter()
    unknown_skill: Counter[str] = Counter()
    level_index = {name.lower(): i for i, name in enumerate(SKILL_LEVELS, 1)}
    families: dict[str, str] = {}
    for r in read_rows(root / "roles_levels_skills.csv", progress):
        family, role, level_name = clean(r["Role Family"]), clean(r["Role"]), clean(r["Role Level"])
        if level_name.upper() == "NOT IN USE" or r["Skill Level"].strip().upper() == "NOT IN USE":
            not_in_use[f"{role} ({family})"] += 1
            continue
        rid = slug(level_name)
        if rid in levels_of and levels_of[rid]["_role"] != (family, role):
            rid = slug(f"{role} {level_name}")      # the same level name in two roles: qualify it
        if rid not in levels_of:
            rank = rank_of(level_name, role)
            families[slug(family)] = family
            levels_of[rid] = {
                "id": rid, "title": level_name,
                "description": f"{clean(r['Role Level Description'])}\n\n{role}: {clean(r['Role Description'])}",
                "family": slug(family), "track": "management" if _MANAGEMENT.search(level_name) else "ic",
                "level": LEVELS[rank][0], "_role": (family, role), "_rank": rank,
            }
            ladder[(family, role)].append(rid)
        skill = clean(r["Skill Name"])
        if skill not in comp_ids:
            unknown_skill[skill] += 1
            continue
        lvl = level_index.get(r["Skill Level"].strip().lower())
        if lvl is None:
            skipped.append(f"{level_name} / {skill}: unknown skill level '{r['Skill Level']}': skipped")
            continue
        cid = comp_ids[skill]
        if cid in requires[rid]:
            if requires[rid][cid] == lvl:
                dup += 1
            else:
                conflict += 1
                requires[rid][cid] = max(lvl, requires[rid][cid])
            continue
        requires[rid][cid] = lvl
    for role, n in sorted(not_in_use.items()):
        skipped.append(f"{role}: role level and skill levels are 'NOT IN USE' (Senior Civil Service); "
                       f"not imported ({n} rows)")
    if dup:
        skipped.append(f"{dup} rows repeat a role level × skill already listed with the same level: kept once")
    if conflict:
        skipped.append(f"{conflict} rows list a role level × skill again at another level: the higher level kept")
    for skill, n in unknown_skill.items():
        skipped.append(f"skill '{skill}' is not in skills.csv: {n} requirements skipped")

    # ---- moves along each role's ladder
    progresses: list[list[str]] = []
    lateral: list[list[str]] = []
    for key, rids in ladder.items():
        tracks = {levels_of[r]["track"] for r in rids}
        for track in sorted(tracks):
            own = [r for r in rids if levels_of[r]["track"] == track]
            if track != "ic":
                first = min(levels_of[r]["_rank"] for r in own)
                own += [r for r in rids if levels_of[r]["track"] == "ic" and levels_of[r]["_rank"] < first]
            ranks = sorted({levels_of[r]["_rank"] for r in own})
            for lo, hi in zip(ranks, ranks[1:]):
                for a in sorted(r for r in own if levels_of[r]["_rank"] == lo):
                    for b in sorted(r for r in own if levels_of[r]["_rank"] == hi):
                        progresses.append([a, b])
        by_rank: dict[int, list[str]] = defaultdict(list)
        for rid in rids:
            by_rank[levels_of[rid]["_rank"]].append(rid)
        for same in by_rank.values():
            lateral.extend([a, b] for a in sorted(same) for b in sorted(same) if a != b)
    progresses = [list(p) for p in dict.fromkeys(tuple(p) for p in progresses)]

    roles: list[dict[str, Any]] = []
    for rid in sorted(levels_of):
        doc: dict[str, Any] = {k: v for k, v in levels_of[rid].items() if not k.startswith("_")}
        doc["requires"] = [{"competency": c, "level": lvl, "weight": 1.0, "essential": False}
                            for c, lvl in sorted(requires[rid].items())]
        roles.append(doc)
    used_ranks = sorted({levels_of[r]["_rank"] for r in levels_of})
    n_roles = len({levels_of[r]["_role"] for r in levels_of})
    notes = [
        "Scale: DDaT's four skill levels, Awareness 1, Working 2, Practitioner 3, Expert 4.",
        f"Roles: one per DDaT role level ({len(roles)} role levels of {n_roles} roles); id = slug of the "
        "role level name, e.g. senior-data-engineer.",
        "Levels from the role level name: " + ", ".join(f"{p.strip(chr(92) + 'b')} {r}" for p, r in RANK_WORDS)
        + ", none 4; an analyst level in a '... manager' role ranks 2 lower; global levels "
        + ", ".join(f"{LEVELS[r][0]}={r}" for r in used_ranks) + ".",
        "Tracks: '- management' role levels on track management, all others on ic.",
        f"Moves: {len(progresses)} progresses_to along each role's ladder (to the next rank present; the "
        f"management ladder starts from the ic levels below it), {len(lateral)} can_move_to between levels of "
        "one role at the same rank.",
        "Competencies: skills.csv; id = slug of the skill name; one indicator per 'You can:' bullet at "
        "its level. Category by name: " + "; ".join(f"/{p}/ → {c}" for p, c in CATEGORY_RULES)
        + "; otherwise TECHNICAL.",
        "Requirements: the listed skill level (Awareness 1 .. Expert 4), weight 1.0, not essential.",
        "Source: UK Government Digital and Data Capability Framework, Crown copyright, OGL v3.0.",
    ]
    document = {
        "framework": {"id": "uk-ddat", "name": "UK Government Digital and Data Capability Framework",
                      "version": "1", "validity_days": 365},
        "scale": scale(SKILL_LEVELS),
        "competencies": competencies,
        "families": [{"id": f, "name": n} for f, n in sorted(families.items())],
        "tracks": [{"id": "ic", "name": "IC"}, {"id": "management", "name": "MANAGEMENT"}],
        "levels": [{"id": LEVELS[r][0], "rank": r, "name": LEVELS[r][1]} for r in used_ranks],
        "roles": roles, "moves": {"progresses_to": progresses, "can_move_to": lateral},
        "resources": [], "people": [], "assessments": [],
    }
    return ImportResult(document, skipped, notes)
