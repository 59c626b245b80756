"""A second, deliberately naive implementation of Trellis's semantics.

Written from the spec in DESIGN.md with plain loops and dicts (no numpy, scipy or
networkx), so the property tests can check the vectorised engine against it.
Profiles are ``dict[competency_id, level]``; a missing competency means level 0.
"""

from __future__ import annotations

import math

TRUST = {"SELF": 0, "PEER": 1, "MANAGER": 2, "ASSESSED": 3}
NO_RANK = None


def effective_levels(org, person_id):
    """Per competency: the most trusted source present, then the most recent
    (``at``; ties by the larger assessment id). Competencies never assessed are absent (0)."""
    best = {}
    for a in org.assessments:
        if a.person_id != person_id:
            continue
        key = (TRUST[a.source.value], a.at, a.id)
        cur = best.get(a.competency_id)
        if cur is None or key > cur[0]:
            best[a.competency_id] = (key, a.level)
    return {c: level for c, (_, level) in best.items()}


def role_profile(role):
    """A role's requirements as a profile."""
    return {q.competency_id: q.level for q in role.requirements}


def gap(profile, role):
    """sum over the role's requirements of weight * max(0, level - profile[c])."""
    total = 0.0
    for q in role.requirements:
        have = profile.get(q.competency_id, 0)
        if q.level > have:
            total += q.weight * (q.level - have)
    return total


def max_gap(role):
    total = 0.0
    for q in role.requirements:
        total += q.weight * q.level
    return total


def readiness(profile, role):
    """1 - gap / sum(weight * level), to 6 decimals; 1.0 for a role that requires nothing."""
    top = max_gap(role)
    if top == 0:
        return 1.0
    return round(1.0 - gap(profile, role) / top, 6)


def rank_of(org, role_id):
    """The rank of a role's level, or None when the role has no level."""
    level_id = org.roles[role_id].level_id
    if level_id is None:
        return NO_RANK
    return org.levels[level_id].rank


def person_importance(org, person_id):
    """Weight of c in the person's own role when it requires c, else 1.0."""
    imp = {c: 1.0 for c in org.competencies}
    role_id = org.people[person_id].role_id
    if role_id is not None:
        for q in org.roles[role_id].requirements:
            imp[q.competency_id] = q.weight
    return imp


def role_importance(org, role_id):
    """The role's own weights (competencies it does not require have level 0 anyway)."""
    imp = {c: 0.0 for c in org.competencies}
    for q in org.roles[role_id].requirements:
        imp[q.competency_id] = q.weight
    return imp


def inline_importance(org):
    return {c: 1.0 for c in org.competencies}


def specificity(org):
    """log(1 + roles / roles requiring c), a competency no role requires counting as required by one."""
    asked = {c: 0 for c in org.competencies}
    for role in org.roles.values():
        for q in role.requirements:
            asked[q.competency_id] += 1
    return {c: math.log(1 + len(org.roles) / max(n, 1)) for c, n in asked.items()}


def pearson(xs, ys):
    """Pearson's correlation by the textbook two-pass formula; 0 when either side is flat."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    vx = sum((x - mx) ** 2 for x in xs)
    vy = sum((y - my) ** 2 for y in ys)
    if vx <= 1e-9 * sum(x * x for x in xs) or vy <= 1e-9 * sum(y * y for y in ys):
        return 0.0
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / math.sqrt(vx * vy)


def closest_roles(org, profile, own_role_id, own_rank, importance, surplus_weight=0.5, level_weight=0.02,
                  emphasis_weight=0.75, u=None):
    """[(role_id, distance, gap)] by (round(distance, 9), role_id), own role left out.

    distance = (1 - e) * amount + e * emphasis + level_weight * |rank(role) - own_rank|, where, with
    u = specificity, i = importance, p = profile, and a role's weight w and level L (0 when absent):

    amount   = sum u * (w * max(0, L - p) + s * max(0, i*p - w*L)) / sum u * (w*L + s * i*p)   (0 when 0/0)
    emphasis = (1 - r) / 2, r = the mean, over the kinds (knowledge; every other category) that have at least
               two competencies, of Pearson's correlation of i*p with w*L over that kind's competencies;
               1 for a role that requires nothing.
    The level term only when own_rank is not None and the role has a level. ``u`` may be passed in,
    computed once per organisation by ``specificity(org)``.
    """
    u = specificity(org) if u is None else u
    kinds = {}
    for c in sorted(org.competencies):
        kinds.setdefault(org.competencies[c].category.value == "KNOWLEDGE", []).append(c)
    kinds = [cs for cs in kinds.values() if len(cs) >= 2]
    x = {c: importance.get(c, 1.0) * profile.get(c, 0) for c in org.competencies}
    out = []
    for role_id, role in org.roles.items():
        if role_id == own_role_id:
            continue
        w = {q.competency_id: q.weight for q in role.requirements}
        level = role_profile(role)
        top = bottom = 0.0
        y = {}
        for c in org.competencies:
            have, want, imp = profile.get(c, 0), level.get(c, 0), importance.get(c, 1.0)
            asked = w.get(c, 0.0) * want
            top += u[c] * (w.get(c, 0.0) * max(0, want - have) + surplus_weight * max(0.0, imp * have - asked))
            bottom += u[c] * (asked + surplus_weight * imp * have)
            y[c] = asked
        amount = top / bottom if bottom > 0 else 0.0
        if not role.requirements:
            emphasis = 1.0
        elif kinds:
            r = sum(pearson([x[c] for c in cs], [y[c] for c in cs]) for cs in kinds) / len(kinds)
            emphasis = (1 - r) / 2
        else:
            emphasis = 0.5
        distance = (1 - emphasis_weight) * amount + emphasis_weight * emphasis
        rank = rank_of(org, role_id)
        if own_rank is not None and rank is not None:
            distance += level_weight * abs(rank - own_rank)
        out.append((role_id, distance, gap(profile, role)))
    out.sort(key=lambda m: (round(m[1], 9), m[0]))
    return out


def bucket(ready, ready_now=0.9, ready_soon=0.7):
    if ready >= ready_now:
        return "READY_NOW"
    if ready >= ready_soon:
        return "READY_SOON"
    return "READY_LATER"


def successors(org, role_id, people_ids, ready_now=0.9, ready_soon=0.7):
    """(bench_strength, [(person_id, gap, readiness, bucket)]) by (round(gap, 9), person_id),
    leaving out the people who hold the role and those whose role is at a higher level
    (when both levels are known)."""
    role = org.roles[role_id]
    target_rank = rank_of(org, role_id)
    rows = []
    for pid in people_ids:
        own = org.people[pid].role_id
        if own == role_id:
            continue
        own_rank = rank_of(org, own) if own in org.roles else None
        if target_rank is not None and own_rank is not None and own_rank > target_rank:
            continue
        prof = effective_levels(org, pid)
        ready = readiness(prof, role)
        rows.append((pid, gap(prof, role), ready, bucket(ready, ready_now, ready_soon)))
    rows.sort(key=lambda r: (round(r[1], 9), r[0]))
    bench = sum(1 for r in rows if r[3] != "READY_LATER")
    return bench, rows


def reports_of(org, manager_id):
    """Everyone under ``manager_id``, directly or indirectly."""
    out, todo = set(), [manager_id]
    while todo:
        m = todo.pop()
        for pid, person in org.people.items():
            if person.manager_id == m and pid not in out:
                out.add(pid)
                todo.append(pid)
    return sorted(out)


def curated_moves(org):
    """Set of (source, target) role pairs with a PROGRESSES_TO or CAN_MOVE_TO move."""
    return {(m.source, m.target) for m in org.moves}


def cheapest_path_gap(org, profile, own_role_id, target, max_step_gap=None):
    """The smallest total gap of a career path to ``target``, or None if unreachable.

    Steps follow curated moves; the first step leaves ``own_role_id`` (or any role when
    it is None) and costs the gap from ``profile``; later steps cost the gap from the
    previous role's requirements. The own role is never re-entered. Plain Dijkstra.
    """
    if own_role_id == target:
        return gap(profile, org.roles[target])    # no move; what is left to close
    moves = curated_moves(org)
    dist = {}
    for r in org.roles:
        if r == own_role_id or (own_role_id is not None and (own_role_id, r) not in moves):
            continue
        g = gap(profile, org.roles[r])
        if max_step_gap is None or g <= max_step_gap:
            dist[r] = g
    done = set()
    while True:
        todo = [r for r in dist if r not in done]
        if not todo:
            return None
        u = min(todo, key=lambda r: dist[r])
        if u == target:
            return dist[u]
        done.add(u)
        for a, b in moves:
            if a != u or b == own_role_id:
                continue
            w = gap(role_profile(org.roles[u]), org.roles[b])
            if max_step_gap is not None and w > max_step_gap:
                continue
            if b not in dist or dist[u] + w < dist[b]:
                dist[b] = dist[u] + w


def skills_inventory(org, family=None):
    """Per competency: (people at each level 1..top, people assessed, roles requiring it, people whose own role
    requires it, of those how many are below that level). With ``family``: its roles and the people in them."""
    top = org.framework.max_level
    roles = [r for r in org.roles.values() if family is None or r.family_id == family]
    in_family = {r.id for r in roles}
    people = [p for p in org.people.values() if family is None or p.role_id in in_family]
    held = {p.id: effective_levels(org, p.id) for p in people}
    out = {}
    for c in org.competencies:
        holders, needing, below = [0] * top, 0, 0
        for p in people:
            lv = held[p.id].get(c, 0)
            if lv > 0:
                holders[lv - 1] += 1
            need = role_profile(org.roles[p.role_id]).get(c) if p.role_id in org.roles else None
            if need is not None:
                needing += 1
                below += lv < need
        out[c] = (tuple(holders), sum(holders), sum(c in role_profile(r) for r in roles), needing, below)
    return out


def team_heatmap(org, manager_id, top=3):
    """(cells, top gaps) for everyone under ``manager_id``: a cell (person, competency, required, current,
    deficit, weight) per requirement of each person's own role; gaps (competency, Σ weight·deficit, people
    below, sorted) for the ``top`` competencies with anyone below, by total descending, then competency id."""
    cells = []
    for pid in reports_of(org, manager_id):
        role = org.roles.get(org.people[pid].role_id or "")
        if role is None:
            continue
        lv = effective_levels(org, pid)
        for q in role.requirements:
            cur = lv.get(q.competency_id, 0)
            cells.append((pid, q.competency_id, q.level, cur, max(0, q.level - cur), q.weight))
    totals, below = {}, {}
    for pid, c, _, _, d, w in cells:
        if d > 0:
            totals[c] = totals.get(c, 0.0) + w * d
            below.setdefault(c, []).append(pid)
    ranked = sorted(totals, key=lambda c: (-round(totals[c], 9), c))[:top]
    return sorted(cells), [(c, round(totals[c], 9), sorted(below[c])) for c in ranked]
