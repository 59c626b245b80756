// The job architecture: families × levels, IC and management tracks marked; search by role or competency.
import { h, announce, words, empty } from '../dom.js';
import { graphql } from '../api.js';
import { architecture, roles as allRoles } from '../catalogue.js';
import { errorBox } from '../errors.js';

const SEARCH = `query Search($q: String!) {
  roles(first: 100, search: $q) { totalCount nodes { id } }
  competencies(first: 100, search: $q) { totalCount nodes { id name requiredBy { id } } }
}`;

const LISTED = 60;     // role links listed under a search; the grid highlights every match

export function trackBadge(track) {
  if (!track) return null;
  const management = /manag/i.test(track.name) || /manag/i.test(track.id);
  return h('span', { class: `track ${management ? 'track-management' : 'track-ic'}`, title: `${words(track.name)} track` },
    management ? 'Mgmt' : words(track.name));
}

export default {
  async render(ctx) {
    ctx.title('Job architecture');
    ctx.main.append(h('h1', { tabindex: '-1' }, 'Job architecture'));
    const holder = h('div', { 'aria-busy': 'true' }, h('p', { class: 'status loading', role: 'status' }, 'Loading the job architecture…'));
    ctx.main.append(holder);
    const [{ families, levels, framework }, roles] = await Promise.all([architecture(), allRoles()]);
    if (!ctx.isCurrent()) return;
    holder.remove();

    ctx.main.append(h('p', { class: 'lead' },
      `${roles.length} roles in ${families.length} job families and ${levels.length} levels (${framework.name}). `
      + 'Choose a role to see what it requires and where it leads.'));

    const input = h('input', {
      type: 'search', id: 'search', name: 'q', autocomplete: 'off', value: ctx.params.get('q') ?? '',
      placeholder: 'e.g. engineer, SQL, coaching', 'aria-describedby': 'search-help',
    });
    const result = h('div', { id: 'search-result', class: 'search-result', role: 'status', 'aria-live': 'polite' });
    const form = h('form', { class: 'search', role: 'search', onsubmit: (e) => { e.preventDefault(); run(); } },
      h('label', { for: 'search' }, 'Search by role or competency'),
      h('div', { class: 'search-row' }, input, h('button', { type: 'submit', class: 'button' }, 'Search')),
      h('p', { id: 'search-help', class: 'hint' }, 'Matches role titles, and roles that require a matching competency.'));

    const legend = h('p', { class: 'legend' }, 'Tracks: ', trackBadge({ id: 'ic', name: 'IC' }), ' individual contributor · ',
      trackBadge({ id: 'management', name: 'MANAGEMENT' }), ' management (dashed).');

    // The grid: a table, levels down, families across.
    const ranks = [...levels].sort((a, b) => a.rank - b.rank);
    const cells = new Map();
    for (const role of roles) {
      const key = `${role.family?.id}|${role.level?.rank}`;
      if (!cells.has(key)) cells.set(key, []);
      cells.get(key).push(role);
    }
    const roleItems = new Map();
    // Columns keep a readable width however many families there are: the grid scrolls sideways instead.
    const table = h('table', { class: 'grid', id: 'architecture-grid', style: `min-width: ${8.5 + families.length * 10}rem` },
      h('caption', { class: 'visually-hidden' }, 'Roles by job family (columns) and level (rows)'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Level'),
        families.map((f) => h('th', { scope: 'col' }, f.name)))),
      h('tbody', {}, ranks.map((level) => h('tr', {},
        h('th', { scope: 'row' }, h('span', { class: 'rank' }, `L${level.rank}`), ' ', level.name),
        families.map((family) => {
          const here = (cells.get(`${family.id}|${level.rank}`) ?? []).sort((a, b) => a.title.localeCompare(b.title));
          return h('td', {}, here.length ? h('ul', { class: 'role-list' }, here.map((role) => {
            const item = h('li', { class: 'role-chip', dataset: { roleId: role.id } },
              h('a', { href: `#/role/${encodeURIComponent(role.id)}` }, role.title), ' ', trackBadge(role.track));
            roleItems.set(role.id, item);
            return item;
          })) : h('span', { class: 'muted', 'aria-label': 'no roles' }, '·'));
        })))));
    const unplaced = roles.filter((r) => !r.family || !r.level);
    ctx.main.append(h('section', { class: 'panel', 'aria-labelledby': 'grid-title' },
      h('h2', { id: 'grid-title', class: 'visually-hidden' }, 'Roles by family and level'),
      form, result, legend, h('div', { class: 'table-wrap grid-wrap' }, table),
      unplaced.length ? h('p', {}, 'Roles without a family or level: ', unplaced.map((r, i) => [i ? ', ' : '',
        h('a', { href: `#/role/${encodeURIComponent(r.id)}` }, r.title)])) : null));

    const titles = new Map(roles.map((r) => [r.id, r.title]));
    async function run() {
      clearTimeout(timer);
      if (!ctx.isCurrent()) return;
      const q = input.value.trim();
      ctx.setParams({ q });
      for (const item of roleItems.values()) item.classList.remove('match', 'dim');
      table.classList.remove('searching');
      if (!q) {
        result.replaceChildren();
        return;
      }
      result.replaceChildren(h('span', { class: 'loading' }, `Searching for “${q}”…`));
      let data;
      try {
        data = await graphql(SEARCH, { q });
        if (!ctx.isCurrent() || input.value.trim() !== q) return;
      } catch (error) {
        result.replaceChildren(errorBox(error, { what: 'the search', retry: run }));
        return;
      }
      const byTitle = new Set(data.roles.nodes.map((r) => r.id));
      const comps = data.competencies.nodes;
      const requiring = new Set(comps.flatMap((c) => c.requiredBy.map((r) => r.id)));
      const matched = new Set([...byTitle, ...requiring]);
      table.classList.add('searching');
      for (const [id, item] of roleItems) item.classList.add(matched.has(id) ? 'match' : 'dim');
      const parts = [];
      parts.push(`${matched.size} ${matched.size === 1 ? 'role matches' : 'roles match'} “${q}”`);
      const detail = [];
      if (byTitle.size) detail.push(`${byTitle.size} by title${data.roles.totalCount > byTitle.size ? ` (the first ${byTitle.size} of ${data.roles.totalCount})` : ''}`);
      if (comps.length) {
        const more = data.competencies.totalCount - comps.length;
        const names = comps.slice(0, 5).map((c) => c.name).join(', ') + (comps.length > 5 ? ` and ${comps.length - 5} more` : '');
        detail.push(`${requiring.size} requiring ${names}${more > 0 ? ` (of the first ${comps.length} of ${data.competencies.totalCount} matching competencies: narrow the search)` : ''}`);
      }
      result.replaceChildren(matched.size
        ? h('p', {}, `${parts.join('')}${detail.length ? ` (${detail.join('; ')})` : ''}: `,
          [...matched].slice(0, LISTED).map((id, i) => [i ? ', ' : '', h('a', { href: `#/role/${encodeURIComponent(id)}` },
            titles.get(id) ?? id)]),
          matched.size > LISTED ? ` and ${matched.size - LISTED} more, highlighted in the grid.` : '')
        : empty(`No role or competency matches “${q}”.`));
      announce(`${matched.size} roles match ${q}.`);
    }
    let timer = null;
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(run, 250);
    });
    if (input.value) run();
  },
};
