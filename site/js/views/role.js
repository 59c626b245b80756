// A role: its requirements with the indicators of the required level, and its moves in and out, as a graph.
import { h, num, words, empty, nearestDescribed, readinessBar } from '../dom.js';
import { graphql } from '../api.js';
import { architecture } from '../catalogue.js';
import { drawGraph } from '../graphs.js';
import { allowed } from '../state.js';
import { trackBadge } from './architecture.js';

const ROLE = `query Role($id: ID!) {
  role(id: $id) {
    id title description
    family { id name } level { rank name } track { id name }
    requirements { level weight essential competency { id name category description indicators { level text } } }
    upTo: movesTo(kind: PROGRESSES_TO) { id title level { rank name } }
    lateralTo: movesTo(kind: CAN_MOVE_TO) { id title level { rank name } }
    upFrom: movesFrom(kind: PROGRESSES_TO) { id title level { rank name } }
    lateralFrom: movesFrom(kind: CAN_MOVE_TO) { id title level { rank name } }
  }
  closest: closestRoles(from: {roleId: $id}, limit: 6) { role { id title family { name } level { rank name } } gap readiness }
}`;

function roleHref(id) {
  return `#/role/${encodeURIComponent(id)}`;
}

export function moveGraph(role, narrow) {
  const from = [...role.upFrom.map((r) => ({ ...r, kind: 'up' })), ...role.lateralFrom.map((r) => ({ ...r, kind: 'lateral' }))];
  const to = [...role.upTo.map((r) => ({ ...r, kind: 'up' })), ...role.lateralTo.map((r) => ({ ...r, kind: 'lateral' }))];
  // Wide: moves in on the left, out on the right. Narrow (phone): the role on the left, moves in above
  // and out below in one column on the right, joined by right-angled lines that never cross a box.
  const column = (list, side) => list.map((r, i) => (narrow
    ? { ...r, x: 80, y: side * (95 + (side < 0 ? list.length - 1 - i : i) * 72) }
    : { ...r, x: side * 250, y: (i - (list.length - 1) / 2) * 78 }));
  const nodes = [{ id: role.id, label: role.title, kind: 'focus', x: narrow ? -90 : 0, y: 0 }];
  const edges = [];
  const seen = new Set([role.id]);
  for (const r of column(from, -1)) {
    const id = seen.has(r.id) ? `${r.id}~from` : r.id;
    seen.add(id);
    nodes.push({ id, label: `${r.title}${r.level ? `\n${r.level.name}` : ''}`, x: r.x, y: r.y, href: roleHref(r.id) });
    edges.push({ source: id, target: role.id, kind: r.kind, label: r.kind === 'up' ? 'promotion' : 'lateral', taxi: narrow ? 'left' : undefined });
  }
  for (const r of column(to, 1)) {
    const id = seen.has(r.id) ? `${r.id}~to` : r.id;
    seen.add(id);
    nodes.push({ id, label: `${r.title}${r.level ? `\n${r.level.name}` : ''}`, x: r.x, y: r.y, href: roleHref(r.id) });
    edges.push({ source: role.id, target: id, kind: r.kind, label: r.kind === 'up' ? 'promotion' : 'lateral', taxi: narrow ? 'down' : undefined });
  }
  return { nodes, edges, from, to };
}

function moveList(title, list, id) {
  return h('div', { class: 'move-list' }, h('h3', {}, title),
    list.length ? h('ul', { id }, list.map((r) => h('li', {},
      h('a', { href: roleHref(r.id) }, r.title), ' ',
      h('span', { class: `move-kind move-${r.kind}` }, r.kind === 'up' ? 'promotion' : 'lateral move'),
      r.level ? h('span', { class: 'muted' }, ` · ${r.level.name}`) : null)))
      : empty('None curated.'));
}

export default {
  heading: 'Role',
  async render(ctx) {
    const id = ctx.args[0];
    if (!id) {
      location.hash = '#/architecture';
      return;
    }
    ctx.title('Role');
    const holder = h('p', { class: 'status loading', role: 'status' }, 'Loading the role…');
    ctx.main.append(h('p', { class: 'breadcrumb' }, h('a', { href: '#/architecture' }, 'Job architecture'), ' › role'), holder);
    const [{ role, closest }, { framework }] = await Promise.all([graphql(ROLE, { id }), architecture()]);
    if (!ctx.isCurrent()) return;
    holder.remove();
    ctx.title(role.title);
    const scale = new Map(framework.scale.map((s) => [s.level, s.name]));
    const viewer = ctx.session.viewer;

    ctx.main.querySelector('.breadcrumb').replaceChildren(h('a', { href: '#/architecture' }, 'Job architecture'), ' › ',
      role.family ? `${role.family.name} › ` : '', role.title);
    ctx.main.append(
      h('h1', { tabindex: '-1', id: 'role-title' }, role.title),
      h('p', { class: 'role-meta' },
        role.family ? h('span', {}, role.family.name) : null,
        role.level ? h('span', {}, `Level ${role.level.rank} · ${role.level.name}`) : null,
        role.track ? h('span', {}, trackBadge(role.track), ` ${words(role.track.name)} track`) : null),
      role.description ? h('p', { class: 'lead' }, role.description) : null,
      h('p', { class: 'actions' },
        h('a', { class: 'button', href: `#/career/${encodeURIComponent(role.id)}`, id: 'path-to-role' }, 'My path to this role'),
        allowed('succession') && viewer?.access !== 'EMPLOYEE' && !(viewer?.authEnabled && viewer.access === 'ANONYMOUS')
          ? h('a', { class: 'button secondary', href: `#/succession/${encodeURIComponent(role.id)}` }, 'Who could step into it') : null,
        viewer?.authEnabled && viewer.access === 'HR'
          ? h('a', { class: 'button secondary', id: 'edit-role', href: `#/editor/role/${encodeURIComponent(role.id)}` }, 'Edit this role') : null));

    // Requirements.
    const total = role.requirements.reduce((s, r) => s + r.weight * r.level, 0);
    const rows = role.requirements.map((req) => {
      const indicators = req.competency.indicators.filter((i) => i.level === req.level);
      return h('tr', { dataset: { competencyId: req.competency.id } },
        h('th', { scope: 'row' }, req.competency.name, h('div', { class: 'muted small' }, words(req.competency.category))),
        h('td', { class: 'num', dataset: { label: 'Level' } }, h('span', { class: 'level-pill', title: scale.get(req.level) }, String(req.level)), ' ', h('span', { class: 'small' }, scale.get(req.level) ?? '')),
        h('td', { class: 'num', dataset: { label: 'Weight' } }, num(req.weight)),
        h('td', { dataset: { label: 'Essential' } }, req.essential ? h('span', { class: 'essential' }, '★ Essential') : h('span', { class: 'muted' }, 'No')),
        h('td', { dataset: { label: 'What good looks like' } }, indicators.length ? h('ul', { class: 'indicators' }, indicators.map((i) => h('li', {}, i.text)))
          : nearestNote(req.competency.indicators, req.level, scale)));
    });
    ctx.main.append(h('section', { class: 'panel', 'aria-labelledby': 'req-title' },
      h('h2', { id: 'req-title' }, 'Requirements'),
      h('p', { class: 'intro' }, `${role.requirements.length} competencies; weighted total ${num(total)}. `
        + 'For each, the behaviours that show the required level.'),
      role.requirements.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data stack', id: 'requirements' },
        h('thead', {}, h('tr', {}, ['Competency', 'Level', 'Weight', 'Essential', 'What good looks like at this level'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows)))
        : empty('This role has no requirements yet.')));

    // Moves.
    const narrow = ctx.main.clientWidth > 0 && ctx.main.clientWidth < 520;
    const graph = moveGraph(role, narrow);
    const graphBox = h('div', {
      class: 'graph', id: 'moves-graph', role: 'img',
      'aria-label': `Moves: into ${role.title} from ${graph.from.map((r) => r.title).join(', ') || 'no role'}; out to ${graph.to.map((r) => r.title).join(', ') || 'no role'}.`,
    });
    ctx.main.append(h('section', { class: 'panel', 'aria-labelledby': 'moves-title' },
      h('h2', { id: 'moves-title' }, 'Moves into and out of this role'),
      h('p', { class: 'legend' }, h('span', { class: 'key key-up' }, 'solid blue arrow'), ' promotion · ',
        h('span', { class: 'key key-lateral' }, 'dashed orange arrow'), ' lateral move. Select a role to open it.'),
      graph.nodes.length > 1 ? graphBox : empty('No curated moves into or out of this role.'),
      h('div', { class: 'two-col' }, moveList('Into this role', graph.from, 'moves-from'), moveList('Out of this role', graph.to, 'moves-to')),
      // A role no move leads into cannot be reached on a career path: HR can add one in the editor.
      viewer?.authEnabled && viewer.access === 'HR' ? h('p', { class: 'small', id: 'edit-moves' },
        graph.from.length ? '' : `No move leads into ${role.title}, so career paths cannot reach it. `,
        h('a', { href: `#/editor/moves?role=${encodeURIComponent(role.id)}`, id: 'edit-moves-link' },
          graph.from.length ? 'Edit these moves' : `Add a move into ${role.title}`)) : null));
    ctx.main.append(h('section', { class: 'panel', 'aria-labelledby': 'closest-title' },
      h('h2', { id: 'closest-title' }, 'Closest roles'),
      h('p', { class: 'intro' }, `The roles whose requirements are nearest to ${role.title}’s, ranked as in My career: where `
        + 'its holders could move, with the gap from this role’s requirements and the share of them already met.'),
      closest.length ? h('ol', { class: 'closest-roles', id: 'closest-roles' }, closest.map((m) => h('li', { dataset: { roleId: m.role.id } },
        h('a', { href: roleHref(m.role.id) }, m.role.title),
        h('span', { class: 'muted small' }, [m.role.family?.name, m.role.level ? `Level ${m.role.level.rank} · ${m.role.level.name}` : null]
          .filter(Boolean).map((t) => ` · ${t}`).join('')),
        h('span', { class: 'small' }, ' · gap ', h('strong', { class: 'gap-value' }, num(m.gap))),
        readinessBar(m.readiness, `Readiness for ${m.role.title}`))))
        : empty('No other role to compare with.')));
    if (narrow) graphBox.style.height = `${Math.max(260, 140 + (graph.from.length + graph.to.length) * 76)}px`;
    if (graph.nodes.length > 1) await drawGraph(graphBox, graph);
  },
};


/** No indicator at the required level: say so, and show the nearest level the framework describes. */
function nearestNote(indicators, level, scale) {
  const near = nearestDescribed(indicators, level);
  if (!near) return h('span', { class: 'muted' }, 'No indicators recorded for this level.');
  return h('div', { class: 'nearest' }, h('span', { class: 'muted small' },
    `No indicator for level ${level}; the nearest described, level ${near.level}${scale.get(near.level) ? ` · ${scale.get(near.level)}` : ''}:`),
  h('ul', { class: 'indicators' }, near.items.map((i) => h('li', {}, i.text))));
}
