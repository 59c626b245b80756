"""ESCO 1.2.0 (CSV release, plus the rebuilt occupation → skill relations) as a Trellis organisation.

The mapping, applied by :func:`load` and repeated in ``ImportResult.notes``:

* **Roles** are the 3,039 occupations of ``occupations_en.csv``; the id is the occupation
  URI's last path segment (a UUID: ``http://data.europa.eu/esco/occupation/<uuid>``), title
  the preferred label, description the ESCO description (else its definition).
* **Families** are the ISCO-08 *sub-major* groups (the first two digits of the occupation's
  4-digit ISCO group; 40+ families, ids ``isco-25``, names from ``ISCOGroups_en.csv``). The 10
  major groups would make families of up to a thousand occupations; unit groups (426) would be
  too fine for a family filter.
* **Levels** are the four ISCO-08 skill levels, derived from the major group as ISCO-08
  defines them: 1 Managers → 4 (ISCO says 3 and 4), 2 Professionals → 4, 3 Technicians and
  associate professionals → 3, 4-8 → 2, 9 Elementary occupations → 1; armed forces 01 → 4,
  02 → 2, 03 → 1. Ids ``isco-sl1`` .. ``isco-sl4``, rank 1..4.
* **Competencies** are the 13,939 skills of ``skills_id_text.csv``; the id is the skill URI's
  UUID. That file runs preferred label, alternative labels and description together in one
  field, so the name is the skill label of the relations file (every linked skill has one);
  for the few hundred skills that no occupation uses, it is the label text up to its first
  proper noun ("write Hungarian") or its first words. The description is the part of the text
  from the first capitalised word that occurs once in it (ESCO descriptions are sentences,
  labels are lower case), followed by the skill's place in the ESCO skill hierarchy.
* **Skill hierarchy**: the format has no competency hierarchy, so each description ends with
  ``ESCO skill hierarchy: <path> (<code>)`` for every broader skill group
  (``broaderRelationsSkillPillar_en.csv`` + ``skillGroups_en.csv``), and, for a skill whose
  broader concept is another skill, ``narrower than '<label>'`` with that skill's paths.
* **Category** from the hierarchy pillar: transversal skills (T) → BEHAVIOURAL, except T4.4
  leading others → LEADERSHIP; S1 communication, collaboration and creativity → BEHAVIOURAL;
  S4 management skills → LEADERSHIP, except S4.4 performing administrative activities;
  the knowledge pillar (K, groups coded by ISCED-F field: 00..10) → KNOWLEDGE; everything else
  (languages L, S2, S3, S5-S8) and skills outside the hierarchy → TECHNICAL. A skill under
  several groups takes LEADERSHIP if any path says so, else BEHAVIOURAL, else KNOWLEDGE, else
  TECHNICAL.
* **Requirements**: ESCO has no proficiency levels. ``essential`` → level 3 (Practitioner),
  weight 1.0, essential; ``optional`` → level 2 (Working), weight 0.5, not essential. A skill
  listed both ways for one occupation is kept once, as essential.
* Moves: ESCO has none (its occupation hierarchy is a classification, not career moves).
"""

from __future__ import annotations

import re
from typing import Any
from collections import Counter, defaultdict
from pathlib import Path

from .common import ImportResult, Progress, clean, read_rows, require_dir, scale

__all__ = ["load", "ESSENTIAL", "OPTIONAL", "isco_skill_level", "split_text"]

FILES = ("occupations_en.csv", "ISCOGroups_en.csv", "skills_id_text.csv", "skillGroups_en.csv",
         "broaderRelationsSkillPillar_en.csv", "occupationSkillRelations_rebuilt.tsv.gz")

ESSENTIAL = {"level": 3, "weight": 1.0, "essential": True}
OPTIONAL = {"level": 2, "weight": 0.5, "essential": False}

_SKILL_LEVEL_BY_MAJOR = {"1": 4, "2": 4, "3": 3, "4": 2, "5": 2, "6": 2, "7": 2, "8": 2, "9": 1}
_SKILL_LEVEL_ARMED = {"01": 4, "02": 2, "03": 1}
_LEVEL_NAMES = {
    1: "ISCO skill level 1 (elementary)",
    2: "ISCO skill level 2 (clerical, sales, trades, operators)",
    3: "ISCO skill level 3 (technicians and associate professionals)",
    4: "ISCO skill level 4 (professionals and managers)",
}


def isco_skill_level(isco: str) -> int | None:
    """ISCO-08 skill level of a 4-digit ISCO group.

    >>> isco_skill_level("2512"), isco_skill_level("9112"), isco_skill_level("0210")
    (4, 1, 2)
    """
    if isco[:1] == "0":
        return _SKILL_LEVEL_ARMED.get(isco[:2])
    return _SKILL_LEVEL_BY_MAJOR.get(isco[:1])


def _uuid(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


_WORD = re.compile(r"\S+")
_CAPITALISED = re.compile(r"^[\"'(]?[A-Z][a-z]")


def split_text(text: str, label: str | None = None) -> tuple[str, str]:
    """(labels, description) of an ESCO skill text that runs them together.

    The description starts at the first capitalised word after the preferred label that
    occurs only once in the text (proper nouns repeat: they are in the labels too).

    >>> split_text("write Hungarian writing Hungarian Compose written texts in Hungarian.")
    ('write Hungarian writing Hungarian', 'Compose written texts in Hungarian.')
    >>> split_text("Common Lisp The techniques of Common Lisp.", "Common Lisp")
    ('Common Lisp', 'The techniques of Common Lisp.')
    """
    text = text.strip()
    start = len(label) if label and text.startswith(label) else 0
    words = [(m.start(), m.group()) for m in _WORD.finditer(text) if m.start() >= start]
    counts = Counter(m.group() for m in _WORD.finditer(text))
    capitalised = [(p, w) for i, (p, w) in enumerate(words) if _CAPITALISED.match(w) and (p > 0)]
    for p, w in capitalised:
        if counts[w] == 1:
            return text[:p].strip(), text[p:].strip()
    if capitalised:
        p = capitalised[0][0]
        return text[:p].strip(), text[p:].strip()
    return text, ""


def _guess_label(labels: str) -> str:
    """A preferred label out of run-together labels: up to the first proper noun, else 6 words.

    >>> _guess_label("understand written Latvian interpret written Latvian")
    'understand written Latvian'
    >>> _guess_label("accept criticism")
    'accept criticism'
    """
    words = labels.split()
    for i, w in enumerate(words):
        if w[:1].isupper():
            return " ".join(words[:i + 1])
    return " ".join(words[:6]) + (" …" if len(words) > 6 else "")


def _category(codes: set[str]) -> str:
    cats = set()
    for code in codes:
        if code == "T4.4" or code.startswith("T4.4."):
            cats.add("LEADERSHIP")
        elif code.startswith("T") or code.startswith("S1"):
            cats.add("BEHAVIOURAL")
        elif code.startswith("S4") and not code.startswith("S4.4"):
            cats.add("LEADERSHIP")
        elif code[:1].isdigit():
            cats.add("KNOWLEDGE")
    for c in ("LEADERSHIP", "BEHAVIOURAL", "KNOWLEDGE"):
        if c in cats:
            return c
    return "TECHNICAL"


def load(path: Path, progress: Progress | None = None) -> ImportResult:
    """Read the ESCO 1.2.0 CSV files in ``path`` (a folder) into an organisation document."""
    root = require_dir(Path(path), "ESCO 1.2.0", FILES)

    isco_names = {r["code"]: r["preferredLabel"] for r in read_rows(root / "ISCOGroups_en.csv", progress)}
    occupations = list(read_rows(root / "occupations_en.csv", progress))
    texts = {_uuid(r["id"]): clean(r["description"]) for r in read_rows(root / "skills_id_text.csv", progress)}

    groups: dict[str, tuple[str, str]] = {}       # group uri -> (code, label)
    for r in read_rows(root / "skillGroups_en.csv", progress):
        groups[r["conceptUri"]] = (r["code"], r["preferredLabel"])
    group_parent: dict[str, str] = {}
    skill_groups: dict[str, list[str]] = defaultdict(list)     # skill uuid -> group uris
    skill_broader: dict[str, list[str]] = defaultdict(list)    # skill uuid -> broader skill uuids
    for r in read_rows(root / "broaderRelationsSkillPillar_en.csv", progress):
        if r["conceptType"] == "SkillGroup":
            group_parent[r["conceptUri"]] = r["broaderUri"]
        elif r["broaderType"] == "SkillGroup":
            skill_groups[_uuid(r["conceptUri"])].append(r["broaderUri"])
        else:
            skill_broader[_uuid(r["conceptUri"])].append(_uuid(r["broaderUri"]))

    # ---- requirements (read first: they carry the skills' preferred labels)
    labels: dict[str, str] = {}
    links: dict[str, dict[str, str]] = defaultdict(dict)       # occupation uuid -> skill -> relation
    skipped_counts: Counter[str] = Counter()
    unknown_skills: set[str] = set()
    rows = 0
    for r in read_rows(root / "occupationSkillRelations_rebuilt.tsv.gz", progress, delimiter="\t"):
        rows += 1
        skill = _uuid(r["skillUri"])
        if skill not in texts:
            unknown_skills.add(skill)
            continue
        labels.setdefault(skill, r["skillLabel"])
        relation = r["relationType"]
        if relation not in ("essential", "optional"):
            skipped_counts[f"relation type '{relation}' is neither essential nor optional"] += 1
            continue
        occ = links[_uuid(r["occupationUri"])]
        if skill in occ:
            if occ[skill] == relation:
                skipped_counts["the same occupation → skill link listed twice: kept once"] += 1
            else:
                skipped_counts["a skill listed both essential and optional for one occupation: "
                               "kept as essential"] += 1
                occ[skill] = "essential"
            continue
        occ[skill] = relation

    # ---- competencies with their place in the hierarchy
    def group_path(uri: str) -> list[str]:
        path, seen = [], set()
        while uri in groups and uri not in seen:
            seen.add(uri)
            path.append(uri)
            uri = group_parent.get(uri, "")
        return path[::-1]

    path_cache: dict[str, list[list[str]]] = {}

    def paths_of(skill: str, depth: int = 0) -> list[list[str]]:
        """Group paths (root first) above a skill, through broader skills when it has no group."""
        if skill in path_cache:
            return path_cache[skill]
        out = [group_path(g) for g in skill_groups.get(skill, [])]
        if not out and depth < 10:
            for b in skill_broader.get(skill, []):
                out.extend(paths_of(b, depth + 1))
        path_cache[skill] = out
        return out

    def describe(path: list[str]) -> str:
        code = groups[path[-1]][0]
        return " › ".join(groups[g][1] for g in path) + f" ({code})"

    competencies = []
    guessed, no_description, outside = 0, 0, 0
    categories: Counter[str] = Counter()
    for skill in sorted(texts):
        label = labels.get(skill)
        label_text, description = split_text(texts[skill], label)
        if label is None:
            label = _guess_label(label_text)
            guessed += 1
        if not description:
            no_description += 1
        paths = paths_of(skill)
        codes = {groups[p[-1]][0] for p in paths if p}
        category = _category(codes)
        categories[category] += 1
        where = []
        for b in skill_broader.get(skill, []) if not skill_groups.get(skill) else []:
            where.append(f"narrower than '{labels.get(b) or _guess_label(split_text(texts.get(b, ''))[0])}'")
        where.extend(describe(p) for p in paths if p)
        if not where:
            outside += 1
        hierarchy = "ESCO skill hierarchy: " + "; ".join(dict.fromkeys(where)) + "." if where else ""
        competencies.append({
            "id": skill, "name": label, "category": category,
            "description": " ".join(x for x in (description, hierarchy) if x),
            "indicators": {},
        })

    # ---- roles, families, levels
    roles: list[dict[str, Any]] = []
    families: dict[str, str] = {}
    levels_used: set[int] = set()
    no_links = []
    for occ in sorted(occupations, key=lambda r: _uuid(r["conceptUri"])):
        oid = _uuid(occ["conceptUri"])
        isco = occ["iscoGroup"].strip()
        if not links.get(oid):
            no_links.append(f"{oid} {occ['preferredLabel']}")
            continue
        family = f"isco-{isco[:2]}" if len(isco) >= 2 else None
        if family:
            families[family] = isco_names.get(isco[:2], f"ISCO sub-major group {isco[:2]}")
        sl = isco_skill_level(isco)
        if sl:
            levels_used.add(sl)
        requires = [{"competency": s, **(ESSENTIAL if rel == "essential" else OPTIONAL)}
                    for s, rel in sorted(links[oid].items())]
        roles.append({"id": oid, "title": occ["preferredLabel"].strip(),
                      "description": (occ.get("description") or occ.get("definition") or "").strip(),
                      "family": family, "track": None, "level": f"isco-sl{sl}" if sl else None,
                      "requires": requires})
    known_occupations = {_uuid(o["conceptUri"]) for o in occupations}
    stray = set(links) - known_occupations

    skipped = []
    if no_links:
        skipped.append(f"{len(no_links)} occupations have no skill links and were not imported: "
                       + ", ".join(no_links[:10]) + (", ..." if len(no_links) > 10 else ""))
    if stray:
        skipped.append(f"links of {len(stray)} occupations that are not in occupations_en.csv were ignored")
    if unknown_skills:
        skipped.append(f"links to {len(unknown_skills)} skills that are not in skills_id_text.csv were ignored")
    for reason, n in skipped_counts.most_common():
        skipped.append(f"{n} of {rows} relation rows: {reason}")

    n_req = sum(len(r["requires"]) for r in roles)
    n_ess = sum(bool(q["essential"]) for r in roles for q in r["requires"])
    notes = [
        "Roles: ESCO occupations; id = the UUID at the end of the occupation URI.",
        "Families: ISCO-08 sub-major groups (first two digits of the ISCO group), ids isco-NN.",
        "Levels: ISCO-08 skill level from the major group (1 and 2 → 4, 3 → 3, 4-8 → 2, 9 → 1; "
        "armed forces 01 → 4, 02 → 2, 03 → 1), ids isco-sl1..isco-sl4.",
        "Competencies: ESCO skills; id = the UUID at the end of the skill URI; name = preferred label "
        f"from the relations file ({guessed} skills linked to no occupation have a name guessed from the "
        "run-together label text); description = the ESCO description followed by the skill's paths in "
        "the ESCO skill hierarchy (the document format has no competency hierarchy).",
        f"Skill hierarchy: {len(texts) - outside} of {len(texts)} skills have a path recorded in their "
        f"description; {outside} are outside the hierarchy. {no_description} skill texts have no "
        "separable description.",
        "Categories from the hierarchy: T (transversal) → BEHAVIOURAL except T4.4 leading others → "
        "LEADERSHIP; S1 communication, collaboration and creativity → BEHAVIOURAL; S4 management skills "
        "→ LEADERSHIP except S4.4 administrative activities; K (knowledge, ISCED-F fields) → KNOWLEDGE; "
        "everything else → TECHNICAL; several paths: "
        f"LEADERSHIP > BEHAVIOURAL > KNOWLEDGE > TECHNICAL. Result: {dict(sorted(categories.items()))}.",
        f"Requirements: ESCO has no levels; essential → level {ESSENTIAL['level']}, weight "
        f"{ESSENTIAL['weight']}, essential; optional → level {OPTIONAL['level']}, weight {OPTIONAL['weight']}. "
        f"{n_req} requirements ({n_ess} essential, {n_req - n_ess} optional).",
        "No indicators: ESCO describes no proficiency levels. No moves: ESCO has none.",
        "Source: ESCO v1.2.0, © European Union, reused under Commission Decision 2011/833/EU.",
    ]
    document = {
        "framework": {"id": "esco-1.2.0", "name": "ESCO skills and occupations", "version": "1.2.0",
                      "validity_days": 365},
        "scale": scale(descriptions=[
            {ESSENTIAL["level"]: f"An essential skill of an occupation is required at this level "
                                 f"(weight {ESSENTIAL['weight']:g}).",
             OPTIONAL["level"]: f"An optional skill of an occupation is required at this level "
                                f"(weight {OPTIONAL['weight']:g})."}.get(k, "ESCO has no proficiency levels; the "
                                                                           "import does not use this one.")
            for k in range(1, 6)]),
        "competencies": competencies,
        "families": [{"id": f, "name": n} for f, n in sorted(families.items())],
        "tracks": [],
        "levels": [{"id": f"isco-sl{k}", "rank": k, "name": _LEVEL_NAMES[k]} for k in sorted(levels_used)],
        "roles": roles, "moves": {"progresses_to": [], "can_move_to": []},
        "resources": [], "people": [], "assessments": [],
    }
    return ImportResult(document, skipped, notes)
