"""The Financial Times engineering progression frameworks (YAML, MIT) as a Trellis organisation.

The folder holds three frameworks. :func:`load` on the folder imports

* ``engineering.yml`` — the current engineering framework: 8 levels (junior .. technology
  director, with individual-contributor and people-manager variants of Senior Engineer 2 and
  Principal Engineer) × 9 themes, one competency per level × theme, each with an explicit
  proficiency (Awareness, Foundational, Working knowledge, Practitioner, Expert);
* ``operations.yml`` — the (legacy-format, and only) operations framework: 3 levels × 4
  themes, several statements per level × theme, all marked "Working knowledge";

and reports ``engineering-v1.yml`` in ``skipped``: it is the legacy engineering framework
(``isLegacy``, used Q4-2020 to Q1-2025) that ``engineering.yml`` replaces, with the same
level ids, so importing both would put two engineering ladders side by side. ``load`` on a
single ``.yml`` file imports just that file (``engineering-v1.yml`` included).

The mapping, repeated in ``ImportResult.notes``:

* **Scale**: five levels named after the FT's own proficiencies, in the order the current
  framework climbs them: Awareness 1, Foundational 2, Working knowledge 3, Practitioner 4,
  Expert 5 (junior engineers are at Awareness, engineers mostly Foundational).
* **Roles**: one per level of each framework, id ``<framework>-<level id>``
  (``engineering-senior-2-ic``), family = the framework (``engineering``, ``operations``).
* **Competencies**: one per theme of each framework, id ``<framework>-<theme id>``, described
  by the theme's summary; category: technical → TECHNICAL, leadership → LEADERSHIP, the
  other themes (communication, delivery, team work, ...) → BEHAVIOURAL.
* **Requirements**: each role requires every theme of its framework, weight 1.0. The level is
  the competency's proficiency when the file gives a distinct one per level (the current
  format); in the legacy format, where every statement says "Working knowledge", it is the
  level's position on the FT ladder (:data:`LADDER_RANK`: junior 1, engineer 2, senior-1 3,
  senior-2 4, principal 5, tech-director 6), capped at 5.
* **Indicators**: each competency statement becomes an indicator of its theme at its
  requirement level (the legacy statements' examples appended after "e.g.").
* **Levels** (global): the ladder rank above; **tracks**: ``-ic`` → ic, ``-pm`` → management.
* **Moves**: ``progresses_to`` along the ladder (senior-1 → both senior-2 variants, each
  senior-2 → its principal, both principals → technology director); ``can_move_to`` both ways
  between the ic and people-manager variants of one level.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

from ..errors import BadInput
from .common import ImportResult, Progress, Reporter, clean, require_file, scale

__all__ = ["load", "PROFICIENCY", "LADDER_RANK", "DEFAULT_FILES", "LEGACY_SKIPPED"]

PROFICIENCY = ("Awareness", "Foundational", "Working knowledge", "Practitioner", "Expert")
LADDER_RANK = {"junior": 1, "engineer": 2, "senior-1": 3, "senior-2": 4, "principal": 5, "tech-director": 6}
_LEVEL_NAMES = {1: "Junior", 2: "Engineer", 3: "Senior Engineer 1", 4: "Senior Engineer 2", 5: "Principal",
                6: "Technology Director"}
DEFAULT_FILES = ("engineering.yml", "operations.yml")
LEGACY_SKIPPED = {"engineering-v1.yml": "legacy engineering framework (isLegacy; used Q4-2020 to Q1-2025), "
                                        "replaced by engineering.yml with the same level ids"}
_CATEGORY = {"technical": "TECHNICAL", "leadership": "LEADERSHIP"}


def _base(level_id: str) -> str:
    for suffix in ("-ic", "-pm"):
        if level_id.endswith(suffix):
            return level_id[: -len(suffix)]
    return level_id


def _rank(level_id: str) -> int:
    base = _base(level_id)
    if base not in LADDER_RANK:
        raise BadInput(f"FT progression: unknown level '{level_id}' (known: {', '.join(LADDER_RANK)})")
    return LADDER_RANK[base]


def load(path: Path, progress: Progress | None = None) -> ImportResult:
    """Import the FT frameworks in folder ``path`` (or the one YAML file ``path``)."""
    path = Path(path)
    skipped: list[str] = []
    if path.is_dir():
        files = [require_file(path / f, "FT progression") for f in DEFAULT_FILES]
        for extra in sorted(path.glob("*.yml")):
            if extra.name not in DEFAULT_FILES:
                why = LEGACY_SKIPPED.get(extra.name, "not one of the frameworks this importer reads")
                skipped.append(f"{extra.name}: not imported — {why}")
    else:
        files = [require_file(path, "FT progression")]

    competencies: list[dict[str, Any]] = []
    families, roles, moves_up, lateral = [], [], [], []
    ranks_used: set[int] = set()
    notes_per_file = []
    rep = Reporter(progress, "frameworks", len(files), every=1)
    for file in files:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        fw = file.stem
        if not isinstance(data, dict) or not {"levels", "themes", "competencies"} <= set(data):
            raise BadInput(f"FT progression: {file.name} lacks levels, themes or competencies")
        families.append({"id": fw, "name": f"{data.get('name', fw)} (FT)"})
        levels = [lv["id"] for lv in data["levels"]]
        level_names = {lv["id"]: lv.get("name", lv["id"]) for lv in data["levels"]}
        themes = {t["id"]: t for t in data["themes"]}
        statements = data["competencies"]
        explicit = len({c.get("proficiency") for c in statements}) > 1

        by_cell: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        unknown: Counter[str] = Counter()
        for c in statements:
            if c.get("level") not in level_names or c.get("theme") not in themes:
                unknown[f"{c.get('level')}/{c.get('theme')}"] += 1
                continue
            by_cell[(c["level"], c["theme"])].append(c)
        for cell, n in unknown.items():
            skipped.append(f"{file.name}: {n} competencies name an unknown level/theme {cell}: skipped")

        def level_of(level_id: str, theme: str) -> int:
            cell = by_cell.get((level_id, theme), [])
            if explicit and cell and cell[0].get("proficiency") in PROFICIENCY:
                return PROFICIENCY.index(cell[0]["proficiency"]) + 1
            return min(5, _rank(level_id))

        indicators: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
        for level_id in levels:
            for theme in themes:
                for c in by_cell.get((level_id, theme), []):
                    text = clean(c.get("summary", ""))
                    examples = [clean(e) for e in c.get("examples") or [] if clean(e)]
                    if examples:
                        text = f"{text} (e.g. {'; '.join(examples)})"
                    if text:
                        indicators[theme][level_of(level_id, theme)].append(text)
        for theme_id, t in themes.items():
            competencies.append({
                "id": f"{fw}-{theme_id}", "name": t.get("name", theme_id),
                "category": _CATEGORY.get(theme_id, "BEHAVIOURAL"),
                "description": clean(t.get("summary", "")) or f"{t.get('name', theme_id)} ({data.get('name', fw)})",
                "indicators": {lvl: texts for lvl, texts in sorted(indicators[theme_id].items())},
            })
        for level_id in levels:
            rank = _rank(level_id)
            ranks_used.add(rank)
            track = "management" if level_id.endswith("-pm") else "ic" if level_id.endswith("-ic") else None
            roles.append({
                "id": f"{fw}-{level_id}", "title": f"{level_names[level_id]} ({data.get('name', fw)})",
                "description": clean(data.get("summary", "")), "family": fw, "track": track,
                "level": f"ft-{rank}",
                "requires": [{"competency": f"{fw}-{theme}", "level": level_of(level_id, theme), "weight": 1.0,
                              "essential": False} for theme in themes],
            })
        # moves along the ladder: to the next rank on the same track (untracked levels join every track)
        for a in levels:
            for b in levels:
                ra, rb = _rank(a), _rank(b)
                higher = [_rank(x) for x in levels if _rank(x) > ra]
                if not higher or rb != min(higher):
                    continue
                ta, tb = a[len(_base(a)):], b[len(_base(b)):]
                if ta and tb and ta != tb:
                    continue
                moves_up.append([f"{fw}-{a}", f"{fw}-{b}"])
            for b in levels:
                if a != b and _base(a) == _base(b):
                    lateral.append([f"{fw}-{a}", f"{fw}-{b}"])
        notes_per_file.append(
            f"{file.name}: {len(levels)} levels × {len(themes)} themes, {len(statements)} competency statements; "
            + ("requirement level = the statement's proficiency." if explicit else
               "every statement says 'Working knowledge', so requirement level = ladder rank (capped at 5)."))
        rep.step()
    rep.finish()

    notes = [
        "Scale: the FT's proficiencies as five levels: " + ", ".join(f"{p} {i}" for i, p in enumerate(PROFICIENCY, 1))
        + ".",
        "Roles: one per framework level, id <framework>-<level id>; family = the framework.",
        "Competencies: one per framework theme, id <framework>-<theme id>; technical → TECHNICAL, "
        "leadership → LEADERSHIP, other themes → BEHAVIOURAL.",
        *notes_per_file,
        "Indicators: each competency statement at its requirement level (legacy examples after 'e.g.').",
        "Levels: ladder rank " + ", ".join(f"{k} {v}" for k, v in LADDER_RANK.items())
        + "; tracks: -ic → ic, -pm → management.",
        f"Moves: {len(moves_up)} progresses_to along each ladder, {len(lateral)} can_move_to between the ic "
        "and people-manager variants of one level.",
        "Source: Financial Times engineering progression, MIT licence.",
    ]
    names = Counter(c["name"] for c in competencies)
    for c, family in ((c, next(f["name"] for f in families if c["id"].startswith(f["id"] + "-"))) for c in competencies):
        if names[c["name"]] > 1:            # "Communication" is a theme of both ladders: say whose
            c["name"] = f"{c['name']} ({family.removesuffix(' (FT)')})"
    document = {
        "framework": {"id": "ft-progression", "name": "Financial Times progression frameworks", "version": "1",
                      "validity_days": 365},
        "scale": scale(PROFICIENCY),
        "competencies": competencies, "families": families,
        "tracks": [{"id": "ic", "name": "IC"}, {"id": "management", "name": "Management"}],
        "levels": [{"id": f"ft-{r}", "rank": r, "name": _LEVEL_NAMES[r]} for r in sorted(ranks_used)],
        "roles": roles, "moves": {"progresses_to": moves_up, "can_move_to": lateral},
        "resources": [], "people": [], "assessments": [],
    }
    return ImportResult(document, skipped, notes)
