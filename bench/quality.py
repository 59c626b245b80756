"""Quality of ``closestRoles`` on O*NET 29.3: Trellis's distance against baselines, in one run.

    .venv/bin/python bench/quality.py [--data ../shared/data/onet-29.3] [--no-examples] [--no-sensitivity]

For every imported occupation (a role profile: its requirements), each method ranks the
other occupations and keeps the top 10. Without O*NET's published related-occupations
table, the proxies are the share of that top 10 in the same SOC group as the query
(detailed occupation ``29-1141``, broad ``29-114``, minor ``29-11``, major ``29``), the
same share relative to what the group size allows, the mean job-zone distance of the top
10, and "hubness" (how often the most recommended occupations appear: a method that sends
everyone to the same few roles is useless even when some of them are right).

Methods (``raw`` = the source's full 68-element vectors; ``doc`` = the imported document
Trellis sees: requirements with IM >= 3, integer levels):

* ``gap only``: pure deficit gap, Σ w·max(0, L − p) (DESIGN.md: ranks easy roles first).
* ``cos(LV) raw`` / ``cos(L) doc``: cosine similarity of the level vectors.
* ``cos(IM·LV) raw`` / ``cos(w·L) doc``: cosine similarity of importance × level.
* ``trellis now``: ``graph.closeness.closest_roles`` as it is (d + 0.5·u + 1.0·|Δrank|).
* ``proposed``: ``(d + s·u) / (M_role + s·M_profile) + λ·|Δrank|`` with s = 1, λ = 0.02,
  where d = deficit (gap), u = importance-weighted unused strength, M = Σ weight·level
  (the role's ``max_gap``; the profile's Σ importance·level). See :func:`proposed_distances`.

Attribution: O*NET 29.3 Database, USDOL/ETA, CC BY 4.0.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.closeness import closest_roles  # noqa: E402
from graph.document import from_document  # noqa: E402
from graph.gaps import gaps_to_roles  # noqa: E402
from graph.importers import onet  # noqa: E402
from graph.profiles import Profile, resolve_profile  # noqa: E402
from graph.projection import Projection, build_projection  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "onet-29.3"
EXAMPLES = ["29-1141.00", "11-3031.00", "13-2011.00", "15-1211.00", "17-2141.00", "19-1042.00", "21-1012.00",
            "23-1011.00", "25-2021.00", "27-1024.00", "33-3051.00", "35-2014.00", "41-2031.00", "43-4051.00",
            "47-2111.00", "49-3023.00", "51-4121.00", "53-3032.00"]
GROUPS = (("detailed", 7), ("broad", 6), ("minor", 4), ("major", 2))
K = 10


def proposed_distances(proj: Projection, profile: Profile, surplus_weight: float = 1.0,
                       level_weight: float = 0.02) -> tuple[np.ndarray, np.ndarray]:
    """(distance, gap) to every role: the normalised two-sided distance, vectorised like
    ``graph.closeness.distances`` (the drop-in replacement recommended in bench/quality.md)::

        distance = (gap + s * unused) / (sum_r w*L + s * sum_p i*p) + level_weight * |rank delta|

    The first term is the share of the combined importance-weighted competence of the profile
    and the role that does not match (0: identical, 1: nothing in common); with equal
    importances it is the weighted Bray-Curtis dissimilarity of the two level vectors.
    """
    p, imp = profile.levels, profile.importance
    gaps = gaps_to_roles(proj, p)
    used = np.minimum(p[proj.required.indices], proj.required.data) * imp[proj.required.indices]
    used_per_role = np.bincount(proj.nnz_role, weights=used, minlength=len(proj.role_ids))
    own = float(np.dot(p, imp))
    unused = own - used_per_role
    mass = proj.max_gap + surplus_weight * own
    dist = np.divide(gaps + surplus_weight * unused, mass, out=np.zeros_like(mass), where=mass > 0)
    if profile.role >= 0 and proj.role_rank[profile.role] >= 0:
        ranks = proj.role_rank
        dist = dist + level_weight * np.where(ranks >= 0, np.abs(ranks - ranks[profile.role]), 0)
    return dist, gaps


def top_k(score: np.ndarray, i: int, higher_is_closer: bool = False) -> np.ndarray:
    """Indices of the K best (ties by role id = index order), leaving out ``i``."""
    s = (-score if higher_is_closer else score).astype(float).copy()
    s[i] = np.inf
    return np.lexsort((np.arange(len(s)), np.round(s, 9)))[:K]


def cosine_rows(x: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(x, axis=1, keepdims=True)
    xn = np.divide(x, norm, out=np.zeros_like(x), where=norm > 0)
    return xn @ xn.T


def raw_vectors(folder: Path, ids: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(LV, IM): occupations × all 68 Skills/Knowledge elements, straight from the source files."""
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


class Evaluation:
    """The top 10 of every method for every role, and the proxies computed from them."""

    def __init__(self, proj: Projection) -> None:
        self.proj = proj
        self.ids = proj.role_ids
        self.zone = proj.role_rank
        self.sizes = {k: Counter(c[:k] for c in self.ids) for _, k in GROUPS}
        self.tops: dict[str, list[np.ndarray]] = {}

    def add(self, name: str, rank_one: Callable[[int], np.ndarray]) -> None:
        self.tops[name] = [rank_one(i) for i in range(len(self.ids))]

    def scores(self, name: str) -> dict[str, float]:
        tops, ids = self.tops[name], self.ids
        out: dict[str, float] = {}
        for group, k in GROUPS:
            share, attainable = [], []
            for i, top in enumerate(tops):
                same = sum(ids[j][:k] == ids[i][:k] for j in top)
                share.append(same / K)
                possible = min(K, self.sizes[k][ids[i][:k]] - 1)
                if possible > 0:
                    attainable.append(same / possible)
            out[group] = float(np.mean(share))
            out[f"{group}/attainable"] = float(np.mean(attainable))
        zones = [np.mean(np.abs(self.zone[top] - self.zone[i])) for i, top in enumerate(tops) if self.zone[i] >= 0]
        out["|Δjz|"] = float(np.mean(zones))
        counts = Counter(int(j) for top in tops for j in top)
        out["hub max"] = float(max(counts.values()))
        out["top20 share"] = sum(n for _, n in counts.most_common(20)) / (K * len(tops))
        out["distinct"] = float(len(counts))
        return out


def evaluate(proj: Projection, raw: tuple[np.ndarray, np.ndarray] | None) -> Evaluation:
    ev = Evaluation(proj)
    n = len(proj.role_ids)
    profiles = [resolve_profile(proj, role_id=r) for r in proj.role_ids]
    index = proj.role_index
    dense_l = proj.required.toarray()
    dense_w = proj.weight.toarray()

    ev.add("gap only", lambda i: top_k(gaps_to_roles(proj, profiles[i].levels), i))
    c_l, c_wl = cosine_rows(dense_l), cosine_rows(dense_w * dense_l)
    if raw is not None:
        lv, im = raw
        c_raw_l, c_raw_il = cosine_rows(lv), cosine_rows(im * lv)
        ev.add("cos(LV) raw", lambda i: top_k(c_raw_l[i], i, True))
    ev.add("cos(L) doc", lambda i: top_k(c_l[i], i, True))
    if raw is not None:
        ev.add("cos(IM·LV) raw", lambda i: top_k(c_raw_il[i], i, True))
    ev.add("cos(w·L) doc", lambda i: top_k(c_wl[i], i, True))
    ev.add("trellis now", lambda i: np.asarray(
        [index[m.role_id] for m in closest_roles(proj, profiles[i], K)]))
    ev.add("proposed (s=1, λ=0.02)", lambda i: top_k(proposed_distances(proj, profiles[i])[0], i))
    ev.add("proposed, s=0.5", lambda i: top_k(proposed_distances(proj, profiles[i], 0.5)[0], i))
    ev.add("proposed, λ=0", lambda i: top_k(proposed_distances(proj, profiles[i], 1.0, 0.0)[0], i))
    if raw is not None:
        zone = proj.role_rank.astype(float)

        def raw_proposed(i: int) -> np.ndarray:      # the same formula on the full source vectors
            d = (im * np.maximum(0, lv - lv[i])).sum(1)
            u = (im[i] * np.maximum(0, lv[i] - lv)).sum(1)
            mass = (im * lv).sum(1) + (im[i] * lv[i]).sum()
            return top_k(d / mass + u / mass + 0.02 * np.abs(zone - zone[i]), i)
        ev.add("proposed on raw vectors", raw_proposed)
    assert all(len(t) == K for t in ev.tops["trellis now"]) and n > K
    return ev


def table(ev: Evaluation) -> list[str]:
    head = ("| method | detailed | broad | minor | major | minor / attainable | mean |Δjz| | most recommended "
            "(times) | top-20 share | distinct |")
    lines = [head, "|" + " --- |" * 10]
    for name in ev.tops:
        s = ev.scores(name)
        lines.append(f"| {name} | {s['detailed']:.3f} | {s['broad']:.3f} | {s['minor']:.3f} | {s['major']:.3f} | "
                     f"{s['minor/attainable']:.3f} | {s['|Δjz|']:.2f} | {s['hub max']:.0f} | "
                     f"{s['top20 share']:.3f} | {s['distinct']:.0f} |")
    return lines


def paired(ev: Evaluation, method: str, others: list[str], group: str = "minor") -> list[str]:
    """Per-occupation difference in same-group share: mean ± 2 standard errors, wins/ties/losses."""
    k = dict(GROUPS)[group]
    ids = ev.ids

    def per(name: str) -> np.ndarray:
        return np.asarray([sum(ids[j][:k] == ids[i][:k] for j in top) / K for i, top in enumerate(ev.tops[name])])

    mine = per(method)
    lines = [f"| {method} minus | mean difference ({group}) | ± 2 SE | better / same / worse |", "|" + " --- |" * 4]
    for other in others:
        diff = mine - per(other)
        se = diff.std(ddof=1) / np.sqrt(len(diff))
        lines.append(f"| {other} | {diff.mean():+.3f} | {2 * se:.3f} | {(diff > 0).sum()} / {(diff == 0).sum()} / "
                     f"{(diff < 0).sum()} |")
    return lines


def ddat_check(folder: Path) -> list[str]:
    """The same change on a framework with ladders (UK DDaT): is the top 3 still the role's own ladder?"""
    from graph.importers import ddat
    res = ddat.load(folder)
    proj = build_projection(from_document(res.document))
    import networkx as nx
    moves = nx.Graph([tuple(m) for ms in res.document["moves"].values() for m in ms])
    moves.add_nodes_from(proj.role_ids)
    ladder = {rid: n for n, part in enumerate(nx.connected_components(moves)) for rid in part}
    family = {r["id"]: r["family"] for r in res.document["roles"]}
    rows = []
    for name in ("trellis now", "proposed"):
        same_role = same_family = 0.0
        for rid in proj.role_ids:
            prof = resolve_profile(proj, role_id=rid)
            if name == "trellis now":
                top = [m.role_id for m in closest_roles(proj, prof, 3)]
            else:
                top = [proj.role_ids[j] for j in top_k(proposed_distances(proj, prof)[0], proj.role_index[rid])[:3]]
            same_role += sum(ladder[t] == ladder[rid] for t in top) / 3
            same_family += sum(family[t] == family[rid] for t in top) / 3
        n = len(proj.role_ids)
        rows.append(f"| {name} | {same_role / n:.3f} | {same_family / n:.3f} |")
    return ["| method (DDaT, 201 role levels, top 3) | same role ladder | same family |", "| --- | --- | --- |", *rows]


def sensitivity(folder: Path) -> list[str]:
    """The import's two choices (importance threshold, LV mapping) against the same methods."""
    lines = ["| min IM | LV mapping | weight | requirements / role | gap only | cos(w·L) doc | trellis now | proposed |",
             "|" + " --- |" * 8]
    for min_imp, mapping, offset in ((2.0, "anchored", 0), (2.5, "anchored", 0), (3.0, "anchored", 0),
                                     (3.0, "equal", 0), (3.0, "anchored", 2), (3.5, "anchored", 0)):
        res = onet.load(folder, min_importance=min_imp, lv_mapping=mapping, weight_offset=offset)
        proj = build_projection(from_document(res.document))
        ev = evaluate(proj, None)
        minor = {k: ev.scores(k)["minor"] for k in ("gap only", "cos(w·L) doc", "trellis now",
                                                    "proposed (s=1, λ=0.02)")}
        lines.append(f"| {min_imp:g} | {mapping} | IM{f' − {offset}' if offset else ''} | "
                     f"{proj.required.nnz / len(proj.role_ids):.1f} | " + " | ".join(f"{v:.3f}" for v in minor.values())
                     + " |")
    return lines


def examples(ev: Evaluation, codes: list[str]) -> list[str]:
    proj, ids = ev.proj, ev.ids
    title = {r.id: r.title for r in proj.org.roles.values()}
    zone = {r.id: (r.level_id or "?").replace("jz", "") for r in proj.org.roles.values()}
    out = []
    for code in codes:
        if code not in proj.role_index:
            out.append(f"({code} is not an imported occupation)")
            continue
        i = proj.role_index[code]
        out.append(f"### {code} {title[code]} (job zone {zone[code]})")
        out.append("")
        out.append("| # | proposed | trellis now | cos(IM·LV) raw |")
        out.append("| --- | --- | --- | --- |")
        cols = [ev.tops[m][i] for m in ("proposed (s=1, λ=0.02)", "trellis now", "cos(IM·LV) raw") if m in ev.tops]

        def cell(j: int) -> str:
            rid = ids[j]
            mark = "**" if rid[:4] == code[:4] else ""
            return f"{mark}{rid} {title[rid]} (jz{zone[rid]}){mark}"

        for n in range(K):
            out.append(f"| {n + 1} | " + " | ".join(cell(int(c[n])) for c in cols) + " |")
        out.append("")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--no-examples", action="store_true")
    ap.add_argument("--no-sensitivity", action="store_true")
    args = ap.parse_args()

    start = time.perf_counter()
    res = onet.load(args.data)
    t_load = time.perf_counter() - start
    org = from_document(res.document)
    proj = build_projection(org)
    t_all = time.perf_counter() - start
    counts = res.counts()
    print("## Import (defaults: IM >= 3, anchored LV mapping)\n")
    print(f"load {t_load:.2f} s, + checked and projected {t_all:.2f} s; "
          + ", ".join(f"{v} {k}" for k, v in counts.items()))
    for s in res.skipped:
        print(f"- skipped: {s[:160]}{'…' if len(s) > 160 else ''}")
    print()

    t = time.perf_counter()
    ev = evaluate(proj, raw_vectors(args.data, proj.role_ids))
    print(f"## Proxies over all {len(proj.role_ids)} imported occupations "
          f"(top {K}, query left out; {time.perf_counter() - t:.1f} s)\n")
    print("\n".join(table(ev)))
    print()
    print("\n".join(paired(ev, "proposed (s=1, λ=0.02)", ["trellis now", "cos(w·L) doc", "cos(IM·LV) raw",
                                                          "gap only"])))
    print()
    print("\n".join(paired(ev, "proposed on raw vectors", ["cos(IM·LV) raw", "cos(LV) raw"])))
    print()
    ddat_folder = args.data.parent / "uk-ddat"
    if ddat_folder.is_dir():
        print("## The same change on UK DDaT (ladders)\n")
        print("\n".join(ddat_check(ddat_folder)))
        print()
    if not args.no_sensitivity:
        print("## Import choices: share of the top 10 in the same SOC minor group\n")
        print("\n".join(sensitivity(args.data)))
        print()
    if not args.no_examples:
        print("## Examples (bold: same SOC minor group as the query)\n")
        print("\n".join(examples(ev, EXAMPLES)))


if __name__ == "__main__":
    main()
