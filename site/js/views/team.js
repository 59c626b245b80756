// My team: a heatmap of deficits, person × competency, against each person's own role; the team's top three
// gaps and who is below the level their role needs. Managers see their own team; HR picks a manager.
import { h, num, announce, empty, plural } from '../dom.js';
import { graphql, allNodes } from '../api.js';
import { hashOf } from '../state.js';
import { needsAccess } from './succession.js';

const HEATMAP = `query Team($manager: ID!, $depth: Int) {
  teamHeatmap(manager: $manager, depth: $depth) {
    manager { id name role { id title } }
    people { id name role { id title } }
    competencies { id name category }
    cells { person { id } competency { id } required current deficit weight }
    topGaps { competency { id name } totalDeficit peopleBelow { id name } }
  }
}`;

function cellClass(deficit) {
  return `heat d${Math.min(deficit, 4)}`;
}

function legend() {
  return h('div', { class: 'heat-legend', 'aria-hidden': 'true' }, 'Deficit (levels below what the person’s role requires): ',
    [['d0', '✓', 'met'], ['d1', '−1', ''], ['d2', '−2', ''], ['d3', '−3', ''], ['d4', '−4+', ''], ['na', '', 'not required']]
      .map(([cls, text, label]) => h('span', { class: 'legend-item' }, h('span', { class: `swatch heat ${cls}` }, text), label ? ` ${label}` : '')));
}

export default {
  async render(ctx) {
    ctx.title('My team');
    const heading = h('h1', { tabindex: '-1' }, 'My team');
    ctx.main.append(heading);
    if (needsAccess(ctx, 'The team view is for managers (their own team) and HR.', ['MANAGER', 'HR'])) return;
    const viewer = ctx.session.viewer;
    const managerId = ctx.args[0] ?? (viewer?.access === 'MANAGER' ? viewer.person.id : null);
    const everyone = ctx.params.get('depth') === 'all';

    // HR (or a server without access control) picks whose team to see.
    if (!viewer?.authEnabled || viewer.access === 'HR') {
      const holder = h('p', { class: 'status loading', role: 'status' }, 'Loading managers…');
      ctx.main.append(holder);
      const people = await allNodes('people', 'id name role { title } reports { id }');
      if (!ctx.isCurrent()) return;
      holder.remove();
      const managers = people.filter((p) => p.reports.length);
      const select = h('select', { id: 'team-manager' }, h('option', { value: '' }, 'Choose a manager…'),
        managers.map((m) => h('option', { value: m.id, selected: m.id === managerId }, `${m.name}${m.role ? ` — ${m.role.title}` : ''} (${plural(m.reports.length, 'report')})`)));
      const go = () => { if (select.value) location.hash = hashOf(['team', select.value], { depth: everyone ? 'all' : null }); };
      select.addEventListener('change', go);
      ctx.main.append(h('form', { class: 'inline-form panel', onsubmit: (e) => { e.preventDefault(); go(); } },
        h('label', { for: 'team-manager' }, 'Whose team'), select, h('button', { type: 'submit', class: 'button' }, 'Show team')));
      if (!managerId) {
        ctx.main.append(empty('Choose a manager to see their team’s gaps.'));
        return;
      }
    }

    const holder = h('p', { class: 'status loading', role: 'status' }, 'Loading the team heatmap…');
    ctx.main.append(holder);
    const { teamHeatmap: map } = await graphql(HEATMAP, { manager: managerId, depth: everyone ? null : 1 });
    if (!ctx.isCurrent()) return;
    holder.remove();
    const own = viewer?.person?.id === map.manager.id;
    heading.textContent = own ? 'My team' : `Team of ${map.manager.name}`;
    ctx.title(heading.textContent);

    const scope = h('fieldset', { class: 'scope' }, h('legend', {}, 'Who'),
      [['direct', 'Direct reports', !everyone], ['all', 'Everyone under', everyone]].map(([value, label, checked]) => h('label', { class: 'radio' },
        h('input', {
          type: 'radio', name: 'depth', value, checked,
          onchange: () => { location.hash = hashOf(['team', ctx.args[0]], { depth: value === 'all' ? 'all' : null }); },
        }), ` ${label}${value === 'all' ? ` ${own ? 'me' : map.manager.name}` : ''}`)));
    if (!map.people.length) {
      ctx.main.append(empty(`Nobody reports to ${own ? 'you' : map.manager.name}.`));
      return;
    }
    ctx.main.append(h('p', { class: 'lead' }, `${plural(map.people.length, 'person', 'people')}, each against the requirements of their own role.`), scope);

    const cells = new Map(map.cells.map((c) => [`${c.person.id}|${c.competency.id}`, c]));
    const totals = new Map(map.competencies.map((c) => [c.id, 0]));
    for (const c of map.cells) totals.set(c.competency.id, (totals.get(c.competency.id) ?? 0) + c.deficit * c.weight);
    const columns = [...map.competencies].sort((a, b) => totals.get(b.id) - totals.get(a.id));

    // Top three gaps.
    const top = map.topGaps.slice(0, 3);
    ctx.main.append(h('section', { class: 'panel', id: 'top-gaps-section', 'aria-labelledby': 'top-title' },
      h('h2', { id: 'top-title' }, 'The team’s three biggest gaps'),
      top.length ? h('ol', { class: 'top-gaps', id: 'top-gaps' }, top.map((g) => h('li', { dataset: { competencyId: g.competency.id } },
        h('strong', {}, g.competency.name),
        h('span', {}, ' — weighted deficit ', h('strong', { class: 'gap-value', dataset: { value: String(g.totalDeficit) } }, num(g.totalDeficit))),
        h('div', { class: 'small' }, `Below their role’s level: ${g.peopleBelow.map((p) => p.name).join(', ') || 'nobody'}`))))
        : empty('No gaps: everyone meets their role’s requirements.')));

    // The heatmap.
    const table = h('table', { class: 'heatmap', id: 'heatmap' },
      h('caption', { class: 'visually-hidden' }, 'Deficit per person and competency against each person’s own role'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'corner' }, 'Person'),
        columns.map((c) => h('th', { scope: 'col', class: 'rotate', title: c.name }, h('span', {}, c.name))))),
      h('tbody', {}, map.people.map((p) => h('tr', { dataset: { personId: p.id } },
        h('th', { scope: 'row' }, h('a', { href: hashOf(['career'], { person: p.id }) }, p.name),
          h('div', { class: 'muted small' }, p.role?.title ?? 'no role')),
        columns.map((c) => {
          const cell = cells.get(`${p.id}|${c.id}`);
          if (!cell) return h('td', { class: 'heat na', dataset: { competencyId: c.id }, title: `${p.name}: ${c.name} not required` }, h('span', { class: 'visually-hidden' }, 'not required'));
          const text = cell.deficit ? `−${cell.deficit}` : '✓';
          const words = `${p.name}, ${c.name}: level ${cell.current} of ${cell.required} required${cell.deficit ? `, ${cell.deficit} below` : ', met'}`;
          return h('td', { class: cellClass(cell.deficit), title: words, dataset: { competencyId: c.id, deficit: String(cell.deficit) } },
            h('span', { 'aria-hidden': 'true' }, text), h('span', { class: 'visually-hidden' }, words));
        })))));
    ctx.main.append(h('section', { class: 'panel', 'aria-labelledby': 'heat-title' },
      h('h2', { id: 'heat-title' }, 'Heatmap of deficits'), legend(),
      h('div', { class: 'table-wrap heat-wrap' }, table)));

    // Who is below their role's level.
    const below = map.people.map((p) => ({
      person: p,
      items: columns.map((c) => cells.get(`${p.id}|${c.id}`)).filter((cell) => cell && cell.deficit > 0).map((cell) => ({ cell, name: map.competencies.find((c) => c.id === cell.competency.id).name })),
    })).filter((row) => row.items.length);
    ctx.main.append(h('section', { class: 'panel', 'aria-labelledby': 'below-title' },
      h('h2', { id: 'below-title' }, 'Who is below their role’s level'),
      below.length ? h('ul', { class: 'below', id: 'below' }, below.map(({ person, items }) => h('li', { dataset: { personId: person.id } },
        h('a', { href: hashOf(['career'], { person: person.id }) }, person.name),
        h('span', { class: 'muted' }, person.role ? ` (${person.role.title})` : ''), ': ',
        items.map(({ cell, name }, i) => [i ? ', ' : '', `${name} ${cell.current}/${cell.required}`]))))
        : empty('Everyone meets the level their role needs.')));
    announce(`${map.people.length} people; top gap ${top[0]?.competency.name ?? 'none'}.`);
  },
};
