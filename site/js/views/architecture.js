// The job architecture: families × levels (or a list by family then level, on a phone), IC and management tracks
// marked; filter by family and level (?family=&level=&view=grid|list); search by role or competency.
import { h, announce, words, empty } from '../dom.js';
import { graphql } from '../api.js';
import { architecture, roles as allRoles } from '../catalogue.js';
import { errorBox } from '../errors.js';

const SEARCH = `query Search($q: String!) {
  roles(first: 100, search: $q) { totalCount nodes { id } }
  competencies(first: 100, search: $q) { totalCount nodes { id name requiredBy { id } } }
}`;

const LISTED = 60;     // role links listed under a search; the grid and the list highlight every match

/** Below this width the roles are listed (family, then level) unless the visitor chose the grid. */
const NARROW = '(max-width: 760px)';

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

    // Filters (kept in the URL): a family, a level; and the layout — the grid, or a list that reads on a phone.
    const ranks = [...levels].sort((a, b) => a.rank - b.rank);
    const family = families.some((f) => f.id === ctx.params.get('family')) ? ctx.params.get('family') : '';
    const level = ranks.some((l) => l.id === ctx.params.get('level')) ? ctx.params.get('level') : '';
    const chosenLayout = ['grid', 'list'].includes(ctx.params.get('view')) ? ctx.params.get('view') : null;
    const narrow = window.matchMedia(NARROW);
    const familySelect = h('select', { id: 'filter-family', name: 'family' }, h('option', { value: '' }, 'All families'),
      families.map((f) => h('option', { value: f.id, selected: f.id === family }, f.name)));
    const levelSelect = h('select', { id: 'filter-level', name: 'level' }, h('option', { value: '' }, 'All levels'),
      ranks.map((l) => h('option', { value: l.id, selected: l.id === level }, `L${l.rank} ${l.name}`)));
    const layoutRadios = [['grid', 'Grid (families × levels)'], ['list', 'List (by family, then level)']].map(([value, text]) => h('label', { class: 'radio' },
      h('input', { type: 'radio', name: 'layout', id: `layout-${value}`, value }), ` ${text}`));
    const count = h('p', { class: 'muted small filter-count', id: 'filter-count', role: 'status' });
    const filters = h('form', { class: 'arch-filters', id: 'architecture-filters', onsubmit: (e) => e.preventDefault() },
      h('span', { class: 'field-inline' }, h('label', { for: 'filter-family' }, 'Job family'), familySelect),
      h('span', { class: 'field-inline' }, h('label', { for: 'filter-level' }, 'Level'), levelSelect),
      h('fieldset', { class: 'layout-switch' }, h('legend', {}, 'Show as'), layoutRadios),
      count);

    const cells = new Map();
    for (const role of roles) {
      const key = `${role.family?.id}|${role.level?.rank}`;
      if (!cells.has(key)) cells.set(key, []);
      cells.get(key).push(role);
    }
    const rolesIn = (familyId, rank) => [...(cells.get(`${familyId}|${rank}`) ?? [])].sort((a, b) => a.title.localeCompare(b.title));
    const roleItems = new Map();     // role id → its chips (one in the grid, one in the list)
    const chip = (role) => {
      const item = h('li', { class: 'role-chip', dataset: { roleId: role.id } },
        h('a', { href: `#/role/${encodeURIComponent(role.id)}` }, role.title), ' ', trackBadge(role.track));
      if (!roleItems.has(role.id)) roleItems.set(role.id, []);
      roleItems.get(role.id).push(item);
      return item;
    };

    // The grid: a table, levels down, families across. Columns keep a readable width however many families
    // there are: the grid scrolls sideways inside its box instead.
    const table = h('table', { class: 'grid', id: 'architecture-grid' },
      h('caption', { class: 'visually-hidden' }, 'Roles by job family (columns) and level (rows)'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Level'),
        families.map((f) => h('th', { scope: 'col', dataset: { familyId: f.id } }, f.name)))),
      h('tbody', {}, ranks.map((l) => h('tr', { dataset: { levelId: l.id } },
        h('th', { scope: 'row' }, h('span', { class: 'rank' }, `L${l.rank}`), ' ', l.name),
        families.map((f) => {
          const here = rolesIn(f.id, l.rank);
          return h('td', { dataset: { familyId: f.id } }, here.length ? h('ul', { class: 'role-list' }, here.map(chip))
            : h('span', { class: 'muted', 'aria-label': 'no roles' }, '·'));
        })))));
    const gridBox = h('div', { class: 'table-wrap grid-wrap', id: 'grid-view' }, table);

    // The list: each family, its levels in order, the roles at each.
    const listBox = h('div', { class: 'arch-list', id: 'architecture-list' },
      families.map((f) => {
        const groups = ranks.map((l) => [l, rolesIn(f.id, l.rank)]).filter(([, list]) => list.length);
        if (!groups.length) return null;
        const total = groups.reduce((n, [, list]) => n + list.length, 0);
        return h('section', { class: 'family-group', dataset: { familyId: f.id }, 'aria-labelledby': `family-${f.id}` },
          h('h3', { id: `family-${f.id}` }, f.name, ' ', h('span', { class: 'muted small family-count' }, `(${total} ${total === 1 ? 'role' : 'roles'})`)),
          groups.map(([l, list]) => h('div', { class: 'level-group', dataset: { levelId: l.id } },
            h('h4', {}, h('span', { class: 'rank' }, `L${l.rank}`), ' ', l.name),
            h('ul', { class: 'role-list' }, list.map(chip)))));
      }),
      h('p', { class: 'status empty', id: 'list-empty', hidden: true }, 'No roles at this level in this family.'));

    const unplaced = roles.filter((r) => !r.family || !r.level);
    ctx.main.append(h('section', { class: 'panel', 'aria-labelledby': 'grid-title' },
      h('h2', { id: 'grid-title', class: 'visually-hidden' }, 'Roles by family and level'),
      form, result, filters, legend, gridBox, listBox,
      unplaced.length ? h('p', {}, 'Roles without a family or level: ', unplaced.map((r, i) => [i ? ', ' : '',
        h('a', { href: `#/role/${encodeURIComponent(r.id)}` }, r.title)])) : null));

    const layoutNow = () => chosenLayout ?? (narrow.matches ? 'list' : 'grid');
    function showLayout(value) {
      gridBox.hidden = value !== 'grid';
      listBox.hidden = value !== 'list';
      for (const radio of filters.querySelectorAll('input[name=layout]')) radio.checked = radio.value === value;
      ctx.main.dataset.layout = value;
    }
    function applyFilters() {
      const f = familySelect.value;
      const l = levelSelect.value;
      const shownFamilies = families.filter((x) => !f || x.id === f);
      for (const node of table.querySelectorAll('[data-family-id]')) node.hidden = Boolean(f) && node.dataset.familyId !== f;
      for (const row of table.querySelectorAll('tbody tr')) row.hidden = Boolean(l) && row.dataset.levelId !== l;
      table.style.minWidth = `${8.5 + shownFamilies.length * 10}rem`;
      let visibleGroups = 0;
      for (const group of listBox.querySelectorAll('.family-group')) {
        let levelsShown = 0;
        for (const lv of group.querySelectorAll('.level-group')) {
          lv.hidden = Boolean(l) && lv.dataset.levelId !== l;
          if (!lv.hidden) levelsShown += 1;
        }
        group.hidden = (Boolean(f) && group.dataset.familyId !== f) || !levelsShown;
        if (!group.hidden) visibleGroups += 1;
      }
      listBox.querySelector('#list-empty').hidden = visibleGroups > 0;
      const rank = ranks.find((x) => x.id === l)?.rank;
      const shown = roles.filter((r) => (!f || r.family?.id === f) && (!l || r.level?.rank === rank)).length;
      count.textContent = f || l ? `Showing ${shown} of ${roles.length} roles`
        + `${f ? ` in ${families.find((x) => x.id === f).name}` : ''}${l ? ` at ${levelSelect.selectedOptions[0].textContent}` : ''}.` : '';
    }
    familySelect.addEventListener('change', () => { ctx.setParams({ family: familySelect.value }); applyFilters(); });
    levelSelect.addEventListener('change', () => { ctx.setParams({ level: levelSelect.value }); applyFilters(); });
    for (const radio of filters.querySelectorAll('input[name=layout]')) {
      radio.addEventListener('change', () => {
        if (!radio.checked) return;
        ctx.setParams({ view: radio.value });
        showLayout(radio.value);
        announce(radio.value === 'list' ? 'Showing the roles as a list.' : 'Showing the roles as a grid.');
      });
    }
    // Until a layout is chosen, it follows the screen: the list on a narrow one.
    const follow = () => {
      if (!ctx.isCurrent()) {
        narrow.removeEventListener('change', follow);
        return;
      }
      if (!new URLSearchParams(location.hash.split('?')[1] ?? '').get('view')) showLayout(narrow.matches ? 'list' : 'grid');
    };
    if (!chosenLayout) narrow.addEventListener('change', follow);
    showLayout(layoutNow());
    applyFilters();

    const titles = new Map(roles.map((r) => [r.id, r.title]));
    async function run() {
      clearTimeout(timer);
      if (!ctx.isCurrent()) return;
      const q = input.value.trim();
      ctx.setParams({ q });
      for (const item of roleItems.values()) for (const chipNode of item) chipNode.classList.remove('match', 'dim');
      table.classList.remove('searching');
      listBox.classList.remove('searching');
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
      listBox.classList.add('searching');
      for (const [id, items] of roleItems) for (const chipNode of items) chipNode.classList.add(matched.has(id) ? 'match' : 'dim');
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
          matched.size > LISTED ? ` and ${matched.size - LISTED} more, highlighted below.` : '')
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
