"""O*NET 29.3 (tab-delimited text release) as a Trellis organisation.

The mapping, applied by :func:`load` and repeated in ``ImportResult.notes``:

* **Roles** are the occupations that have Skills/Knowledge ratings; the id is the
  O*NET-SOC code (``29-1141.00``), title and description from ``Occupation Data.txt``.
  Occupations without ratings (e.g. ``15-1252.00`` Software Developers in 29.3) are
  reported in ``skipped``, not imported: a role with no requirements would have a gap
  of 0 from everyone.
* **Families** are the 23 SOC 2018 major groups (the code's first two digits), ids
  ``soc-11`` .. ``soc-55``; only groups holding an imported role are emitted.
* **Levels** are the Job Zones: ``jz1`` .. ``jz5`` with rank 1..5, named as in
  ``Job Zone Reference.txt``. An occupation without a Job Zone has no level.
* **Competencies** are the 35 Skills (``2.A``, ``2.B``) and 33 Knowledge areas (``2.C``),
  id = O*NET element id (``2.A.1.a``), name and description from ``Content Model
  Reference.txt`` with the content-model path appended (the format has no competency
  hierarchy). The one name used twice, *Mathematics* (skill 2.A.1.e, knowledge 2.C.4.a),
  gets " (skill)" / " (knowledge)". Category: see :data:`CATEGORY_RULES`.
* **Scale**: O*NET's own level scale, whose points 1..7 become the framework's seven levels
  (``ONET_SCALE``): ``level = round(LV)`` clamped to 1..7 (halves round up). O*NET anchors
  each element's LV scale with three examples — at 2, 4 and 6 for every skill (Active Listening:
  "Take a customer's order", "Answer inquiries regarding credit references", "Serve as a judge in
  a complex legal disagreement") and for 16 of the 33 knowledge areas, at other points (1, 3, 5,
  7) for the rest — so each anchor keeps a level of its own and a level
  means what O*NET's raters meant by it. Trellis's five default levels would merge 1 with 2 and
  6 with 7 and lose the steps that tell related occupations apart (``bench/quality.md``
  measures both); ``lv_mapping="anchored"`` (five levels: ``round(LV) - 1`` clamped to 1..5, so
  the anchors 2, 4, 6 are levels 1, 3, 5) and ``"equal"`` (five equal bins of width 1.4 over
  0..7) remain as options.
* **Indicators**: each ``Level Scale Anchors.txt`` anchor (LV scale) becomes an indicator
  at the level its anchor value maps to (on the seven levels: the anchor's own point). Three
  anchors per element, so four of the seven levels have no indicator: the importer does not
  invent one (the site shows the nearest described level instead, marked as such).
* **Requirements**: an occupation requires an element when its importance ``IM`` is above 1
  (``min_importance`` 1.01; O*NET reports two decimals, and IM 1 is the "Not important"
  anchor of the 1..5 scale), at the mapped ``LV`` level, with ``weight = IM - 1``
  (``weight_offset`` 1: the importance above "not important": 1 for somewhat, 2 important,
  3 very, 4 extremely important) and ``essential = IM >= 4.0`` ("Very important"). Every
  element an occupation rates as mattering at all is kept, at its weight, rather than cut
  at a threshold: with a cut at IM >= 3 an element an occupation rates 3.1 and its neighbour
  2.9 became a whole requirement on one side and nothing on the other (Registered Nurses vs
  Critical Care Nurses on Chemistry, Persuasion, Computers), and closeness compares the whole
  shape of two profiles, in which a marginal element (weight 0.3) says something that an
  absent one does not. ~56 requirements per occupation; gap reports are ordered by weighted
  deficit, so the essential ones (weight 3..4) lead and the marginal ones (weight below 1)
  trail. ``bench/quality.md`` measures this against ``min_importance=2`` (the previous
  default) and the older ``min_importance=3, weight_offset=0`` (IM >= 3, weight = IM).
* ``Not Relevant = Y`` (set on the LV row when raters judged the element not relevant to the
  occupation; those rows have IM 1.0-2.6) → never a requirement. ``Recommend Suppress = Y`` on either scale (the estimate is unreliable: small
  N or large standard error) → not a requirement; both counted in ``skipped``.
* Moves: O*NET has none; none are emitted (Trellis can infer them with
  ``Thresholds.infer_moves_gap``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from .common import ImportResult, Progress, Reporter, read_rows, require_dir, scale

__all__ = ["load", "lv_to_level", "LV_MAPPINGS", "ONET_SCALE", "SOC_MAJOR_GROUPS", "CATEGORY_RULES", "category_of"]

FILES = ("Occupation Data.txt", "Skills.txt", "Knowledge.txt", "Content Model Reference.txt",
         "Level Scale Anchors.txt", "Job Zones.txt", "Job Zone Reference.txt")

SOC_MAJOR_GROUPS = {
    "11": "Management Occupations",
    "13": "Business and Financial Operations Occupations",
    "15": "Computer and Mathematical Occupations",
    "17": "Architecture and Engineering Occupations",
    "19": "Life, Physical, and Social Science Occupations",
    "21": "Community and Social Service Occupations",
    "23": "Legal Occupations",
    "25": "Educational Instruction and Library Occupations",
    "27": "Arts, Design, Entertainment, Sports, and Media Occupations",
    "29": "Healthcare Practitioners and Technical Occupations",
    "31": "Healthcare Support Occupations",
    "33": "Protective Service Occupations",
    "35": "Food Preparation and Serving Related Occupations",
    "37": "Building and Grounds Cleaning and Maintenance Occupations",
    "39": "Personal Care and Service Occupations",
    "41": "Sales and Related Occupations",
    "43": "Office and Administrative Support Occupations",
    "45": "Farming, Fishing, and Forestry Occupations",
    "47": "Construction and Extraction Occupations",
    "49": "Installation, Maintenance, and Repair Occupations",
    "51": "Production Occupations",
    "53": "Transportation and Material Moving Occupations",
    "55": "Military Specific Occupations",
}
"""The 23 major groups of the 2018 Standard Occupational Classification."""

CATEGORY_RULES: tuple[tuple[str, str, str], ...] = (
    ("2.C", "KNOWLEDGE", "Knowledge"),
    ("2.B.3", "TECHNICAL", "Technical Skills"),
    ("2.B.4.g", "TECHNICAL", "Systems Analysis"),
    ("2.B.4.h", "TECHNICAL", "Systems Evaluation"),
    ("2.A.1.e", "TECHNICAL", "Mathematics (skill)"),
    ("2.A.1.f", "TECHNICAL", "Science"),
    ("2.B.5.b", "LEADERSHIP", "Management of Financial Resources"),
    ("2.B.5.c", "LEADERSHIP", "Management of Material Resources"),
    ("2.B.5.d", "LEADERSHIP", "Management of Personnel Resources"),
    ("2", "BEHAVIOURAL", "the rest: Basic Skills (reading, listening, writing, speaking; critical "
                         "thinking, active learning, learning strategies, monitoring), Social Skills, "
                         "Complex Problem Solving, Judgment and Decision Making, Time Management"),
)
"""(element-id prefix, category, what it covers): the first matching prefix wins."""

LV_MAPPINGS = ("onet", "anchored", "equal")

ONET_SCALE = ("Minimal", "Basic", "Developing", "Intermediate", "Proficient", "Advanced", "Expert")
"""Names of O*NET's LV scale points 1..7 as levels; O*NET anchors three of them per element with an example."""


def lv_to_level(lv: float, mapping: str = "onet") -> int:
    """O*NET's LV (0..7) as a level.

    ``onet`` (default): round(LV) clamped to 1..7, O*NET's own scale points.
    ``anchored``: five levels, round(LV) - 1, so the anchors 2, 4, 6 are levels 1, 3, 5.
    ``equal``: five equal bins of width 1.4 over 0..7, ceil(LV / 1.4).

    >>> [lv_to_level(v) for v in (0, 1.49, 1.5, 2, 3.38, 4.47, 4.5, 6, 6.5, 7)]
    [1, 1, 2, 2, 3, 4, 5, 6, 7, 7]
    >>> [lv_to_level(v, "anchored") for v in (0, 2, 2.49, 2.5, 3.38, 3.5, 4, 4.5, 5.49, 5.5, 6, 7)]
    [1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5]
    >>> [lv_to_level(v, "equal") for v in (0, 1.4, 1.41, 2, 2.8, 4, 4.2, 5.6, 6, 7)]
    [1, 1, 2, 2, 2, 3, 3, 4, 5, 5]
    """
    hundredths = round(lv * 100)          # source values have two decimals: bin exactly
    if mapping == "equal":
        level = math.ceil(hundredths * 5 / 700)
    elif mapping == "anchored":
        level = (hundredths + 50) // 100 - 1
    elif mapping == "onet":
        return min(7, max(1, (hundredths + 50) // 100))
    else:
        raise ValueError(f"lv_mapping must be one of {', '.join(LV_MAPPINGS)}, not {mapping!r}")
    return min(5, max(1, level))


def category_of(element_id: str) -> str:
    """
    >>> category_of("2.C.5.a"), category_of("2.B.1.a"), category_of("2.B.5.d"), category_of("2.A.1.e")
    ('KNOWLEDGE', 'BEHAVIOURAL', 'LEADERSHIP', 'TECHNICAL')
    """
    for prefix, category, _ in CATEGORY_RULES:
        if element_id == prefix or element_id.startswith(prefix + "."):
            return category
    return "TECHNICAL"


_SCALE_NOTES = {
    "onet": "Scale: O*NET's own LV scale points 1..7 as seven levels (" + ", ".join(ONET_SCALE) + "); "
            "level = round(LV) clamped to 1..7, so every LV anchor (2, 4, 6 for every skill) keeps a level of its own.",
    "anchored": "Scale: Trellis's five default levels; LV 0..7 → level round(LV) - 1 clamped to 1..5 "
                "(LV <2.5→1, [2.5,3.5)→2, [3.5,4.5)→3, [4.5,5.5)→4, >=5.5→5), so O*NET's anchors "
                "at LV 2, 4, 6 are levels 1, 3, 5.",
    "equal": "Scale: Trellis's five default levels; LV 0..7 → level ceil(LV/1.4) clamped to 1..5 "
             "((0,1.4]→1, (1.4,2.8]→2, (2.8,4.2]→3, (4.2,5.6]→4, (5.6,7]→5).",
}


def load(path: Path, progress: Progress | None = None, *, min_importance: float = 1.01,
         essential_importance: float = 4.0, lv_mapping: str = "onet",
         weight_offset: float = 1.0) -> ImportResult:
    """Read the O*NET text release in ``path`` (a folder) into an organisation document.

    ``min_importance``, ``essential_importance`` and ``lv_mapping`` change the documented
    defaults (``bench/quality.py`` compares them); the weight is ``IM - weight_offset``
    (default 1; must stay below ``min_importance``; 0 gives ``weight = IM``).
    """
    if not 0 <= weight_offset < min_importance:
        raise ValueError("weight_offset must be at least 0 and below min_importance")
    lv_to_level(0, lv_mapping)
    root = require_dir(Path(path), "O*NET 29.3", FILES)
    tsv = {"delimiter": "\t"}

    model = {r["Element ID"]: (r["Element Name"], r["Description"])
             for r in read_rows(root / "Content Model Reference.txt", progress, **tsv)}
    occupations = {r["O*NET-SOC Code"]: (r["Title"], r["Description"])
                   for r in read_rows(root / "Occupation Data.txt", progress, **tsv)}
    zones = {r["O*NET-SOC Code"]: int(r["Job Zone"])
             for r in read_rows(root / "Job Zones.txt", progress, **tsv)}
    zone_names = {int(r["Job Zone"]): r["Name"]
                  for r in read_rows(root / "Job Zone Reference.txt", progress, **tsv)}

    # (code, element) -> {"IM": row, "LV": row}
    ratings: dict[tuple[str, str], dict[str, dict[str, str]]] = {}
    kind_of: dict[str, str] = {}
    for fname, kind in (("Skills.txt", "skill"), ("Knowledge.txt", "knowledge")):
        for r in read_rows(root / fname, progress, **tsv):
            ratings.setdefault((r["O*NET-SOC Code"], r["Element ID"]), {})[r["Scale ID"]] = r
            kind_of[r["Element ID"]] = kind

    anchors: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in read_rows(root / "Level Scale Anchors.txt", progress, **tsv):
        if r["Scale ID"] == "LV" and r["Element ID"] in kind_of:
            anchors[r["Element ID"]][lv_to_level(float(r["Anchor Value"]), lv_mapping)].append(r["Anchor Description"].strip())

    # ---- competencies
    names = Counter(model[e][0] for e in kind_of)
    competencies = []
    for eid in sorted(kind_of, key=_element_key):
        name, description = model[eid]
        if names[name] > 1:
            name = f"{name} ({kind_of[eid]})"
        parents = [model[p][0] for p in _ancestors(eid) if p in model]
        competencies.append({
            "id": eid, "name": name, "category": category_of(eid),
            "description": f"{description} (O*NET content model: {' › '.join(parents)})",
            "indicators": {lvl: texts for lvl, texts in sorted(anchors.get(eid, {}).items())},
        })

    # ---- requirements
    skip: Counter[str] = Counter()
    reqs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rep = Reporter(progress, "requirements", len(ratings))
    for (code, eid), scales in sorted(ratings.items(), key=lambda kv: (kv[0][0], _element_key(kv[0][1]))):
        rep.step()
        im, lv = scales.get("IM"), scales.get("LV")
        if im is None or lv is None:
            skip["a rating without its IM or LV row"] += 1
            continue
        if lv["Not Relevant"] == "Y":
            skip["Not Relevant = Y"] += 1
            continue
        if "Y" in (im["Recommend Suppress"], lv["Recommend Suppress"]):
            skip["Recommend Suppress = Y (on IM or LV)"] += 1
            continue
        importance = float(im["Data Value"])
        if importance < min_importance:
            skip[f"importance below {min_importance:g}"] += 1
            continue
        reqs[code].append({"competency": eid, "level": lv_to_level(float(lv["Data Value"]), lv_mapping),
                           "weight": round(importance - weight_offset, 2), "essential": importance >= essential_importance})
    rep.finish()

    # ---- roles, families, levels
    rated = {code for code, _ in ratings}
    roles, used_families, used_zones, skipped = [], set(), set(), []
    no_zone = []
    for code in sorted(rated):
        if code not in occupations:
            skipped.append(f"ratings for {code}, which is not in Occupation Data.txt: skipped")
            continue
        if not reqs.get(code):
            skipped.append(f"{code} {occupations[code][0]}: no element reaches importance "
                           f"{min_importance:g}; skipped")
            continue
        title, description = occupations[code]
        family = f"soc-{code[:2]}"
        zone = zones.get(code)
        if zone is None:
            no_zone.append(code)
        else:
            used_zones.add(zone)
        used_families.add(code[:2])
        roles.append({"id": code, "title": title, "description": description, "family": family,
                      "track": None, "level": f"jz{zone}" if zone else None, "requires": reqs[code]})

    unrated = sorted(set(occupations) - rated)
    if unrated:
        groups = Counter(c[:2] for c in unrated)
        examples = ", ".join(f"{c} {occupations[c][0]}" for c in unrated[:8])
        skipped.insert(0, f"{len(unrated)} occupations have no Skills/Knowledge ratings and were not imported "
                          f"(by SOC major group: {', '.join(f'{g}: {n}' for g, n in sorted(groups.items()))}); "
                          f"e.g. {examples}, ...")
    if no_zone:
        skipped.append(f"{len(no_zone)} imported occupations have no Job Zone and so no level: {', '.join(no_zone)}")
    total = len(ratings)
    for reason, n in skip.most_common():
        skipped.append(f"{n} of {total} occupation × element ratings did not become requirements: {reason}")

    families = [{"id": f"soc-{g}", "name": SOC_MAJOR_GROUPS.get(g, f"SOC major group {g}")}
                for g in sorted(used_families)]
    levels = [{"id": f"jz{z}", "rank": z, "name": zone_names.get(z, f"Job Zone {z}")} for z in sorted(used_zones)]

    n_req = sum(len(list(r["requires"] or [])) for r in roles)
    notes = [
        "Roles: O*NET occupations with ratings; id = O*NET-SOC code, e.g. 29-1141.00.",
        "Families: SOC 2018 major groups (first two digits of the code), ids soc-NN.",
        "Levels: Job Zones 1..5 as jz1..jz5 with rank 1..5.",
        "Competencies: the 35 Skills and 33 Knowledge elements; id = O*NET element id (e.g. 2.A.1.a); "
        "'Mathematics' is disambiguated as (skill)/(knowledge); the content-model path is appended to "
        "each description because the format has no competency hierarchy.",
        "Categories by element id: " + "; ".join(f"{p} → {c} ({what})" for p, c, what in CATEGORY_RULES) + ".",
        _SCALE_NOTES[lv_mapping],
        f"Requirements: IM >= {min_importance:g}{' (any importance above 1, Not important)' if min_importance < 1.1 else ''}"
        " → required at the mapped LV level, "
        f"weight = IM{f' - {weight_offset:g}' if weight_offset else ''}, essential = IM >= {essential_importance:g}; Not Relevant = Y and Recommend "
        f"Suppress = Y ratings are never requirements. {n_req} requirements, "
        f"{n_req / max(1, len(roles)):.1f} per occupation on average.",
        "Indicators: Level Scale Anchors (LV) at the level their anchor value maps to; O*NET anchors "
        "three LV points per element (2, 4, 6 for every skill and 16 of the 33 knowledge areas), so four of the "
        "seven levels have no indicator.",
        "Moves: none in O*NET; career paths infer them when TRELLIS_INFER_MOVES_GAP is set (`serve --dataset onet` sets 30).",
        "Source: O*NET 29.3 Database by USDOL/ETA, CC BY 4.0.",
    ]
    document = {
        "framework": {"id": "onet-29.3", "name": "O*NET 29.3 Skills and Knowledge", "version": "29.3",
                      "validity_days": 365},
        "scale": scale(ONET_SCALE, [f"O*NET level {k}" + (" (an anchor: see the indicators)" if k % 2 == 0 else "")
                                    for k in range(1, 8)]) if lv_mapping == "onet" else scale(),
        "competencies": competencies, "families": families, "tracks": [], "levels": levels,
        "roles": roles, "moves": {"progresses_to": [], "can_move_to": []},
        "resources": [], "people": [], "assessments": [],
    }
    return ImportResult(document, skipped, notes)


def _element_key(eid: str) -> tuple[Any, ...]:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in eid.split("."))


def _ancestors(eid: str) -> list[str]:
    """2.A.1.a -> [2.A, 2.A.1] (the element itself and the root '2' left out)."""
    parts = eid.split(".")
    return [".".join(parts[:i]) for i in range(2, len(parts))]
