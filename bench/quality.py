"""Quality of ``closestRoles`` on O*NET 29.3: Trellis's distance against baselines, in one run.

    .venv/bin/python bench/quality.py [--data ../shared/data/onet-29.3] [--no-examples] [--no-sensitivity]

For every imported occupation (a role profile: its requirements), each method ranks the
other occupations and keeps the top 10. Without O*NET's published related-occupations
table, three independent kinds of proxy are reported for every method:

* **SOC**: share of the top 10 in the query's SOC group — detailed (``29-1141``), broad
  (``29-114``), minor (``29-11``), major (``29``) — and the minor share relative to what the
  group size allows;
* **text**: overlap of the top 10 with the top 10 by TF-IDF cosine of the occupations' titles
  and descriptions (``Occupation Data.txt``, which no method reads: an independent judgement,
  written by analysts, of what the occupations do);
* **job zone**: share of the top 10 in the query's own Job Zone and mean |Δ job zone| (methods
  with a level term use job zones, so this one is not independent of them; reported as realism);
* hubness (how often the most recommended occupations appear).

Methods (``raw`` = the source's full 68-element vectors; ``doc`` = the imported document
Trellis sees). Three imports are compared: ``new`` (the importer's defaults: IM > 1, weight
IM - 1, O*NET's seven LV points as levels), ``v2`` (the previous release's: IM >= 2, weight
IM - 1, five levels) and ``old`` (the first release's: IM >= 3, weight = IM, five levels):

* ``gap only``: pure deficit gap, Σ w·max(0, L − p) (DESIGN.md: ranks easy roles first).
* ``cos(LV) raw`` / ``cos(L) doc``: cosine similarity of the level vectors.
* ``cos(IM·LV) raw`` / ``cos(w·L) doc``: cosine similarity of importance × level.
* ``pearson(IM·LV) raw``: correlation of importance × level (a stronger baseline still).
* ``kinds raw − 0.02·Δjz``: the new emphasis on the raw files (correlation within skills and within
  knowledge, averaged, minus 0.02 per job zone): what Trellis's emphasis gives without rounding.
* ``first release``: :func:`first_distances`, one part only, no specificity:
  (gap + s·unused) / (M_role + s·M_profile) + λ·|Δrank|, unused over levels.
* ``previous release``: :func:`previous_distances`: ½·amount + ½·(total-variation distance of the
  normalised u·i²·p and u·w²·L) + λ·|Δrank|.
* ``trellis now``: ``graph.closeness.closest_roles`` as it is: ¼·amount + ¾·emphasis + λ·|Δrank|,
  emphasis = (1 − mean correlation within skills and within knowledge) / 2 (see
  ``graph/closeness.py``), with ablations: ``e=0`` (amount only), ``e=1`` (emphasis only),
  ``λ=0`` (no level term), ``no specificity`` (u = 1 in the amount), ``one kind`` (knowledge
  correlated together with the skills).

Attribution: O*NET 29.3 Database, USDOL/ETA, CC BY 4.0.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.closeness import closest_roles, distances, role_shapes, with_shapes  # noqa: E402
from graph.document import from_document  # noqa: E402
from graph.gaps import gaps_to_roles  # noqa: E402
from graph.importers import onet  # noqa: E402
from graph.profiles import Profile, resolve_profile  # noqa: E402
from graph.projection import Projection, build_projection  # noqa: E402
from graph.thresholds import Thresholds  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "onet-29.3"
EXAMPLES = ["29-1141.00", "11-3031.00", "13-2011.00", "15-1211.00", "17-2141.00", "19-1042.00", "21-1012.00",
            "23-1011.00", "25-2021.00", "27-1024.00", "33-3051.00", "35-2014.00", "41-2031.00", "43-4051.00",
            "47-2111.00", "49-3023.00", "51-4121.00", "53-3032.00"]
GROUPS = (("detailed", 7), ("broad", 6), ("minor", 4), ("major", 2))
K = 10
OLD = {"min_importance": 3.0, "weight_offset": 0.0, "lv_mapping": "anchored"}   # the first release's import
V2 = {"min_importance": 2.0, "lv_mapping": "anchored"}                           # the previous release's import
SAMPLE_PEOPLE = ("priya-raman", "arjun-mehta", "connor-walsh", "hana-kim", "emeka-obi")


def first_distances(proj: Projection, profile: Profile, t: Thresholds = Thresholds()) -> tuple[np.ndarray, np.ndarray]:
    """(distance, gap) to every role by the first release's closeness, kept as a baseline::

        distance = (gap + s * unused) / (sum_r w*L + s * sum_p i*p) + level_weight * |rank delta|
        unused   = sum_c i_c * max(0, p_c - L_rc)
    """
    p, imp = profile.levels, profile.importance
    gaps = gaps_to_roles(proj, p)
    used = np.minimum(p[proj.required.indices], proj.required.data) * imp[proj.required.indices]
    used_per_role = np.bincount(proj.nnz_role, weights=used, minlength=len(proj.role_ids))
    own = float(np.dot(p, imp))
    mass = proj.max_gap + t.surplus_weight * own
    dist = np.divide(gaps + t.surplus_weight * (own - used_per_role), mass, out=np.zeros_like(mass), where=mass > 0)
    return _with_level_term(proj, profile, dist, t), gaps


def previous_distances(proj: Projection, profile: Profile, t: Thresholds = Thresholds()) -> tuple[np.ndarray, np.ndarray]:
    """(distance, gap) by the previous release's closeness: ½·amount + ½·emphasis + λ·|Δrank| with
    emphasis = ½ Σ_c |x_c − y_rc|, x ∝ u·i²·p and y_r ∝ u·w²·L (total variation of the two profiles)."""
    amount, gaps = distances(proj, profile, dataclasses.replace(t, emphasis_weight=0.0, level_weight=0.0))
    cols, u = proj.required.indices, role_shapes(proj).specificity
    y = u[cols] * proj.weight.data ** 2 * proj.required.data
    y_total = np.bincount(proj.nnz_role, weights=y, minlength=len(proj.role_ids))
    y = np.divide(y, y_total[proj.nnz_role], out=np.zeros_like(y), where=y_total[proj.nnz_role] > 0)
    x = u * profile.importance ** 2 * profile.levels
    has = y_total > 0
    if x.sum() > 0:
        x = x / x.sum()
        tv = 0.5 * (1.0 - np.bincount(proj.nnz_role, weights=x[cols], minlength=len(has))
                    + np.bincount(proj.nnz_role, weights=np.abs(x[cols] - y), minlength=len(has)))
        emphasis = np.where(has, tv, 1.0)
    else:
        emphasis = has.astype(float)
    return _with_level_term(proj, profile, 0.5 * amount + 0.5 * emphasis, t), gaps


def _with_level_term(proj: Projection, profile: Profile, dist: np.ndarray, t: Thresholds) -> np.ndarray:
    if profile.role >= 0 and proj.role_rank[profile.role] >= 0:
        ranks = proj.role_rank
        dist = dist + t.level_weight * np.where(ranks >= 0, np.abs(ranks - ranks[profile.role]), 0)
    return dist


def without_specificity(proj: Projection) -> Projection:
    """The same projection with every competency equally specific (u = 1): an ablation."""
    return with_shapes(proj, specificity=np.ones(len(proj.comp_ids)))


def one_kind(proj: Projection) -> Projection:
    """The same projection with knowledge correlated together with the skills: an ablation."""
    sh = role_shapes(proj)
    kind = np.zeros_like(sh.kind)
    return with_shapes(proj, kind=kind, nnz_kind=np.zeros_like(sh.nnz_kind), kind_size=np.bincount(kind, minlength=2),
                       kind_sums=sh.kind_sums.sum(1, keepdims=True) * [1, 0],
                       kind_squares=sh.kind_squares.sum(1, keepdims=True) * [1, 0])


def top_k(score: np.ndarray, i: int, higher_is_closer: bool = False) -> np.ndarray:
    """Indices of the K best (ties by role id = index order), leaving out ``i``."""
    s = (-score if higher_is_closer else score).astype(float).copy()
    s[i] = np.inf
    return np.lexsort((np.arange(len(s)), np.round(s, 9)))[:K]


def cosine_rows(x: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(x, axis=1, keepdims=True)
    xn = np.divide(x, norm, out=np.zeros_like(x), where=norm > 0)
    return xn @ xn.T


def raw_kind_correlation(lv: np.ndarray, im: np.ndarray, knowledge: np.ndarray) -> np.ndarray:
    """Mean of two Pearson correlations of importance × level: over the skills, and over the knowledge areas
    (Trellis's emphasis, computed on the raw files without the import's rounding)."""
    x = np.clip(im - 1, 0, None) * lv
    return (np.corrcoef(x[:, ~knowledge]) + np.corrcoef(x[:, knowledge])) / 2


def raw_vectors(folder: Path, ids: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(LV, IM): occupations × all 68 Skills/Knowledge elements, straight from the source files
    (columns: the 35 skills, then the 33 knowledge areas, in file order)."""
    index = {c: i for i, c in enumerate(ids)}
    elements: dict[str, int] = {}
    lv, im = np.zeros((len(ids), 68)), np.zeros((len(ids), 68))
    for name in ("Skills.txt", "Knowledge.txt"):
        with open(folder / name, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                row = index.get(r["O*NET-SOC Code"])
                if row is None:
                    continue
                col = elements.setdefault(r["Element ID"], len(elements))
                (lv if r["Scale ID"] == "LV" else im)[row, col] = float(r["Data Value"])
    return lv, im


def text_similarity(folder: Path, ids: tuple[str, ...]) -> np.ndarray:
    """TF-IDF cosine of title + description (``Occupation Data.txt``): the independent text proxy."""
    stop = set("and or the of a an to in for with on by as at from other such their including may be are is all "
               "not".split())
    with open(folder / "Occupation Data.txt", encoding="utf-8", newline="") as f:
        text = {r["O*NET-SOC Code"]: f"{r['Title']} {r['Description']}"
                for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)}
    toks = [[w for w in re.findall(r"[a-z]+", text[c].lower()) if w not in stop and len(w) > 2] for c in ids]
    vocab = {w: k for k, w in enumerate(sorted({w for t in toks for w in t}))}
    tf = np.zeros((len(ids), len(vocab)))
    for i, t in enumerate(toks):
        for w, n in Counter(t).items():
            tf[i, vocab[w]] = 1 + math.log(n)
    tf *= np.log(len(ids) / (tf > 0).sum(0))
    return cosine_rows(tf)


class Evaluation:
    """The top 10 of every method for every role (as role ids), and the proxies computed from them."""

    def __init__(self, proj: Projection, text: np.ndarray) -> None:
        self.proj = proj
        self.ids = proj.role_ids
        self.zone = dict(zip(proj.role_ids, proj.role_rank.tolist()))
        self.sizes = {k: Counter(c[:k] for c in self.ids) for _, k in GROUPS}
        self.text_top = {self.ids[i]: set(self.ids[j] for j in top_k(text[i], i, True)) for i in range(len(self.ids))}
        self.tops: dict[str, dict[str, list[str]]] = {}

    def add(self, name: str, rank_one: Callable[[int], np.ndarray]) -> None:
        self.tops[name] = {self.ids[i]: [self.ids[j] for j in rank_one(i)] for i in range(len(self.ids))}

    def per_query(self, name: str) -> dict[str, dict[str, float]]:
        """proxy -> {query id: value}."""
        out: dict[str, dict[str, float]] = {g: {} for g, _ in GROUPS}
        out.update({"minor/attainable": {}, "same jz": {}, "|Δjz|": {}, "text": {}})
        for q, top in self.tops[name].items():
            for group, k in GROUPS:
                out[group][q] = sum(t[:k] == q[:k] for t in top) / K
            possible = min(K, self.sizes[4][q[:4]] - 1)
            if possible > 0:
                out["minor/attainable"][q] = sum(t[:4] == q[:4] for t in top) / possible
            if self.zone[q] >= 0:
                out["same jz"][q] = float(np.mean([self.zone[t] == self.zone[q] for t in top]))
                out["|Δjz|"][q] = float(np.mean([abs(self.zone[t] - self.zone[q]) for t in top]))
            out["text"][q] = len(self.text_top[q].intersection(top)) / K
        return out

    def scores(self, name: str) -> dict[str, float]:
        out = {k: float(np.mean(list(v.values()))) for k, v in self.per_query(name).items()}
        counts = Counter(t for top in self.tops[name].values() for t in top)
        out["hub max"] = float(max(counts.values()))
        out["top20 share"] = sum(n for _, n in counts.most_common(20)) / (K * len(self.tops[name]))
        out["distinct"] = float(len(counts))
        return out


def evaluate(proj: Projection, raw: tuple[np.ndarray, np.ndarray], text: np.ndarray,
             variants: bool = True) -> Evaluation:
    ev = Evaluation(proj, text)
    n = len(proj.role_ids)
    profiles = [resolve_profile(proj, role_id=r) for r in proj.role_ids]
    index = proj.role_index
    dense_l = proj.required.toarray()
    dense_w = proj.weight.toarray()
    lv, im = raw

    ev.add("gap only", lambda i: top_k(gaps_to_roles(proj, profiles[i].levels), i))
    c_raw_l, c_raw_il, r_raw_il = cosine_rows(lv), cosine_rows(im * lv), np.corrcoef(im * lv)
    ev.add("cos(LV) raw", lambda i: top_k(c_raw_l[i], i, True))
    ev.add("cos(IM·LV) raw", lambda i: top_k(c_raw_il[i], i, True))
    ev.add("pearson(IM·LV) raw", lambda i: top_k(r_raw_il[i], i, True))
    if variants:
        jz = proj.role_rank.astype(float)
        kinds = raw_kind_correlation(lv, im, np.arange(lv.shape[1]) >= 35)
        ev.add("kinds raw − 0.02·Δjz", lambda i: top_k(kinds[i] - 0.02 * np.abs(jz - jz[i]), i, True))
    c_l, c_wl = cosine_rows(dense_l), cosine_rows(dense_w * dense_l)
    ev.add("cos(L) doc", lambda i: top_k(c_l[i], i, True))
    ev.add("cos(w·L) doc", lambda i: top_k(c_wl[i], i, True))
    ev.add("first release", lambda i: top_k(first_distances(proj, profiles[i])[0], i))
    ev.add("previous release", lambda i: top_k(previous_distances(proj, profiles[i])[0], i))
    ev.add("trellis now", lambda i: np.asarray(
        [index[m.role_id] for m in closest_roles(proj, profiles[i], K)]))
    if variants:
        for name, t in (("e=0", Thresholds(emphasis_weight=0)), ("e=1", Thresholds(emphasis_weight=1)),
                        ("λ=0", Thresholds(level_weight=0))):
            ev.add(f"trellis now, {name}", lambda i, t=t: top_k(distances(proj, profiles[i], t)[0], i))
        flat, single = without_specificity(proj), one_kind(proj)
        ev.add("trellis now, no specificity", lambda i: top_k(distances(flat, profiles[i])[0], i))
        ev.add("trellis now, one kind", lambda i: top_k(distances(single, profiles[i])[0], i))
    assert all(len(t) == K for t in ev.tops["trellis now"].values()) and n > K
    return ev


COLUMNS = ("detailed", "broad", "minor", "major", "minor/attainable", "text", "same jz", "|Δjz|")


def table(evs: dict[str, Evaluation], methods: dict[str, list[str]]) -> list[str]:
    head = ("| import | method | " + " | ".join(c.replace("|Δjz|", "mean abs Δjz") for c in COLUMNS) + " | most recommended (times) | top-20 share | distinct |")
    lines = [head, "|" + " --- |" * (len(COLUMNS) + 5)]
    for tag, names in methods.items():
        for name in names:
            s = evs[tag].scores(name)
            lines.append(f"| {tag} | {name} | " + " | ".join(f"{s[c]:.3f}" if c != "|Δjz|" else f"{s[c]:.2f}"
                                                          for c in COLUMNS)
                         + f" | {s['hub max']:.0f} | {s['top20 share']:.3f} | {s['distinct']:.0f} |")
    return lines


def paired(evs: dict[str, Evaluation], mine: tuple[str, str], others: list[tuple[str, str]],
           proxies: tuple[str, ...] = ("broad", "minor", "major", "text")) -> list[str]:
    """Per-query difference on each proxy over the queries both imports hold: mean ± 2 standard errors."""
    a = evs[mine[0]].per_query(mine[1])
    lines = [f"| {mine[0]} {mine[1]} minus | " + " | ".join(f"{p} (± 2 SE; better/worse)" for p in proxies) + " |",
             "|" + " --- |" * (len(proxies) + 1)]
    for tag, name in others:
        b = evs[tag].per_query(name)
        cells = []
        for proxy in proxies:
            qs = sorted(set(a[proxy]) & set(b[proxy]))
            diff = np.asarray([a[proxy][q] - b[proxy][q] for q in qs])
            se = diff.std(ddof=1) / np.sqrt(len(diff))
            cells.append(f"{diff.mean():+.3f} ± {2 * se:.3f}; {(diff > 0).sum()}/{(diff < 0).sum()}")
        lines.append(f"| {tag} {name} | " + " | ".join(cells) + " |")
    return lines


def ddat_check(folder: Path) -> list[str]:
    """The change on a framework with ladders (UK DDaT): is the top 3 still the role's own ladder?"""
    from graph.importers import ddat
    res = ddat.load(folder)
    proj = build_projection(from_document(res.document))
    import networkx as nx
    moves = nx.Graph([tuple(m) for ms in res.document["moves"].values() for m in ms])
    moves.add_nodes_from(proj.role_ids)
    ladder = {rid: n for n, part in enumerate(nx.connected_components(moves)) for rid in part}
    family = {r["id"]: r["family"] for r in res.document["roles"]}
    rank = dict(zip(proj.role_ids, proj.role_rank.tolist()))
    rows = []
    for name in ("previous release", "trellis now"):
        same_role = same_family = dz = 0.0
        for rid in proj.role_ids:
            prof = resolve_profile(proj, role_id=rid)
            if name == "trellis now":
                top = [m.role_id for m in closest_roles(proj, prof, 3)]
            else:
                top = [proj.role_ids[j] for j in top_k(previous_distances(proj, prof)[0], proj.role_index[rid])[:3]]
            same_role += sum(ladder[t] == ladder[rid] for t in top) / 3
            same_family += sum(family[t] == family[rid] for t in top) / 3
            dz += np.mean([abs(rank[t] - rank[rid]) for t in top])
        n = len(proj.role_ids)
        rows.append(f"| {name} | {same_role / n:.3f} | {same_family / n:.3f} | {dz / n:.2f} |")
    return [f"| method (DDaT, {len(proj.role_ids)} role levels, top 3) | same role ladder | same family | mean abs Δrank |",
            "| --- | --- | --- | --- |", *rows]


def sample_check() -> list[str]:
    """The sample organisation (seeds/): top 5 closest roles for a few people, previous release vs now."""
    from graph.seeds import sample_organisation
    proj = build_projection(sample_organisation())
    out = ["| person (role) | previous release: top 5 (distance, gap) | trellis now: top 5 (distance, gap) |",
           "| --- | --- | --- |"]
    for pid in SAMPLE_PEOPLE:
        prof = resolve_profile(proj, person_id=pid)
        cells = []
        for fn in (previous_distances, distances):
            d, g = fn(proj, prof, Thresholds())
            top = top_k(d, prof.role) if prof.role >= 0 else np.lexsort((np.arange(len(d)), np.round(d, 9)))[:K]
            cells.append("; ".join(f"{proj.role_ids[j]} ({d[j]:.3f}, {g[j]:g})" for j in top[:5]))
        role = proj.role_ids[prof.role] if prof.role >= 0 else "-"
        out.append(f"| {pid} ({role}) | " + " | ".join(cells) + " |")
    return out


def sensitivity(folder: Path, raw_of: Callable[[Projection], tuple], text_of: Callable[[Projection], np.ndarray]) -> list[str]:
    """The import's choices (importance threshold, weight, LV mapping) against the same methods."""
    names = ("gap only", "cos(w·L) doc", "previous release", "trellis now")
    lines = ["| min IM | LV mapping | weight | requirements / role | " + " | ".join(f"{n}: minor / text" for n in names)
             + " |", "|" + " --- |" * (4 + len(names))]
    for min_imp, mapping, offset in ((1.01, "onet", 1), (2.0, "onet", 1), (3.0, "onet", 1), (1.01, "anchored", 1),
                                     (2.0, "anchored", 1), (3.0, "anchored", 0), (1.01, "equal", 1), (2.0, "equal", 1)):
        res = onet.load(folder, min_importance=min_imp, lv_mapping=mapping, weight_offset=offset)
        proj = build_projection(from_document(res.document))
        ev = evaluate(proj, raw_of(proj), text_of(proj), variants=False)
        cells = []
        for k in names:
            sc = ev.scores(k)
            cells.append(f"{sc['minor']:.3f} / {sc['text']:.3f}")
        lines.append(f"| {min_imp:g} | {mapping} | IM{f' − {offset:g}' if offset else ''} | "
                     f"{proj.required.nnz / len(proj.role_ids):.1f} | " + " | ".join(cells) + " |")
    return lines


def examples(evs: dict[str, Evaluation], codes: list[str]) -> list[str]:
    new, v2 = evs["new"], evs["v2"]
    title = {r.id: r.title for r in new.proj.org.roles.values()}
    zone = {r.id: (r.level_id or "?").replace("jz", "") for r in new.proj.org.roles.values()}
    cols = (("trellis now", new, "trellis now"), ("previous release", v2, "previous release"),
            ("cos(IM·LV) raw", new, "cos(IM·LV) raw"))
    out = []
    for code in codes:
        if code not in new.proj.role_index:
            out.append(f"({code} is not an imported occupation)")
            continue
        out.append(f"### {code} {title[code]} (job zone {zone[code]})")
        out.append("")
        out.append("| # | " + " | ".join(c[0] for c in cols) + " |")
        out.append("| --- | --- | --- | --- |")

        def cell(rid: str) -> str:
            mark = "**" if rid[:4] == code[:4] else ""
            return f"{mark}{rid} {title[rid]} (jz{zone[rid]}){mark}"

        tops = [ev.tops[m].get(code, [""] * K) for _, ev, m in cols]
        for n in range(K):
            out.append(f"| {n + 1} | " + " | ".join(cell(t[n]) if t[n] else "-" for t in tops) + " |")
        out.append("")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--no-examples", action="store_true")
    ap.add_argument("--no-sensitivity", action="store_true")
    args = ap.parse_args()

    raw_cache: dict[tuple[str, ...], tuple] = {}
    text_cache: dict[tuple[str, ...], np.ndarray] = {}

    def raw_of(proj: Projection) -> tuple:
        if proj.role_ids not in raw_cache:
            raw_cache[proj.role_ids] = raw_vectors(args.data, proj.role_ids)
        return raw_cache[proj.role_ids]

    def text_of(proj: Projection) -> np.ndarray:
        if proj.role_ids not in text_cache:
            text_cache[proj.role_ids] = text_similarity(args.data, proj.role_ids)
        return text_cache[proj.role_ids]

    evs: dict[str, Evaluation] = {}
    for tag, options in (("new", {}), ("v2", V2), ("old", OLD)):
        start = time.perf_counter()
        res = onet.load(args.data, **options)
        proj = build_projection(from_document(res.document))
        t_all = time.perf_counter() - start
        print(f"## Import `{tag}` ({'defaults' if not options else options})\n")
        print(f"loaded, checked and projected in {t_all:.2f} s; "
              + ", ".join(f"{v} {k}" for k, v in res.counts().items())
              + f"; {proj.required.nnz / len(proj.role_ids):.1f} requirements per occupation")
        for s in res.skipped:
            print(f"- skipped: {s[:160]}{'…' if len(s) > 160 else ''}")
        print()
        t = time.perf_counter()
        evs[tag] = evaluate(proj, raw_of(proj), text_of(proj), variants=tag == "new")
        print(f"(evaluated all {len(proj.role_ids)} occupations in {time.perf_counter() - t:.1f} s)\n")

    print(f"## Proxies over all imported occupations (top {K}, query left out)\n")
    print("\n".join(table(evs, {"old": ["cos(w·L) doc", "first release", "trellis now"],
                                "v2": ["cos(w·L) doc", "previous release", "trellis now"],
                                "new": list(evs["new"].tops)})))
    print()
    print("Paired per occupation (queries held by both imports):\n")
    print("\n".join(paired(evs, ("new", "trellis now"), [
        ("v2", "previous release"), ("old", "first release"), ("new", "previous release"), ("v2", "trellis now"),
        ("new", "cos(w·L) doc"), ("new", "cos(IM·LV) raw"), ("new", "pearson(IM·LV) raw"),
        ("new", "kinds raw − 0.02·Δjz"), ("new", "cos(LV) raw"), ("new", "gap only")])))
    print()
    ddat_folder = args.data.parent / "uk-ddat"
    if ddat_folder.is_dir():
        print("## The change on UK DDaT (ladders)\n")
        print("\n".join(ddat_check(ddat_folder)))
        print()
    print("## The change on the sample organisation (seeds/)\n")
    print("\n".join(sample_check()))
    print()
    if not args.no_sensitivity:
        print("## Import choices: same-SOC-minor share / text overlap (each row a fresh import)\n")
        print("\n".join(sensitivity(args.data, raw_of, text_of)))
        print()
    if not args.no_examples:
        print("## Examples (bold: same SOC minor group as the query)\n")
        print("\n".join(examples(evs, EXAMPLES)))


if __name__ == "__main__":
    main()
