// Skills inventory (HR): per competency, how many people hold each level, against how many roles require it.
import { h, words, announce, empty } from '../dom.js';
import { graphql } from '../api.js';
import { architecture } from '../catalogue.js';
import { hashOf } from '../state.js';
import { needsAccess } from './succession.js';
import { csvButton, fileSlug } from '../csv.js';

const INVENTORY = `query Inventory($family: ID) {
  skillsInventory(family: $family) {
    competency { id name category }
    holders { level count } peopleAssessed rolesRequiring peopleNeeding peopleBelow
  }
}`;

const SORTS = {
  name: ['Name', (a, b) => a.competency.name.localeCompare(b.competency.name)],
  roles: ['Roles requiring it', (a, b) => b.rolesRequiring - a.rolesRequiring || a.competency.name.localeCompare(b.competency.name)],
  below: ['People below what their role needs', (a, b) => b.peopleBelow - a.peopleBelow || b.rolesRequiring - a.rolesRequiring],
  shortfall: ['Roles requiring it per person assessed', (a, b) => ratio(b) - ratio(a) || b.rolesRequiring - a.rolesRequiring],
};

function ratio(row) {
  return row.rolesRequiring / Math.max(1, row.peopleAssessed);
}

function spread(holders, scale) {
  const total = holders.reduce((s, x) => s + x.count, 0);
  const label = holders.map((x) => `level ${x.level}: ${x.count}`).join(', ');
  return h('div', { class: 'spread', role: 'img', 'aria-label': total ? `People per level — ${label}` : 'Nobody assessed' },
    total ? holders.filter((x) => x.count).map((x) => h('span', {
      class: `seg lv${Math.min(x.level, 5)}`, style: `flex-grow:${x.count}`, title: `${scale.get(x.level) ?? `Level ${x.level}`}: ${x.count}`,
    }, String(x.count))) : h('span', { class: 'muted small' }, 'nobody assessed'));
}

/** The inventory as spreadsheet rows (header first): per competency, the people at each level of the scale. */
export function inventoryRows(rows, levels) {
  return [
    ['Competency ID', 'Competency', 'Category', ...levels.map((s) => `Level ${s.level} (${s.name})`),
      'Assessed', 'Roles requiring it', 'People whose role needs it', 'Below it'],
    ...rows.map((row) => [row.competency.id, row.competency.name, row.competency.category,
      ...levels.map((s) => row.holders.find((x) => x.level === s.level)?.count ?? 0),
      row.peopleAssessed, row.rolesRequiring, row.peopleNeeding, row.peopleBelow]),
  ];
}

export default {
  async render(ctx) {
    ctx.title('Skills inventory');
    ctx.main.append(h('h1', { tabindex: '-1' }, 'Skills inventory'));
    if (needsAccess(ctx, 'The skills inventory is for HR.', ['HR'])) return;
    const family = ctx.params.get('family') || null;
    const sortKey = SORTS[ctx.params.get('sort')] ? ctx.params.get('sort') : 'roles';
    const { families, framework } = await architecture();
    const scale = new Map(framework.scale.map((s) => [s.level, s.name]));
    const familySelect = h('select', { id: 'inventory-family' }, h('option', { value: '' }, 'All families'),
      families.map((f) => h('option', { value: f.id, selected: f.id === family }, f.name)));
    const sortSelect = h('select', { id: 'inventory-sort' }, Object.entries(SORTS).map(([key, [label]]) => h('option', { value: key, selected: key === sortKey }, label)));
    const go = () => { location.hash = hashOf(['inventory'], { family: familySelect.value, sort: sortSelect.value === 'roles' ? null : sortSelect.value }); };
    familySelect.addEventListener('change', go);
    sortSelect.addEventListener('change', go);
    ctx.main.append(h('p', { class: 'lead' }, 'For each competency: how many people hold each level, against how many roles require it. '
      + 'A competency many roles need but few people hold is a hiring or development priority.'),
    h('form', { class: 'inline-form panel', onsubmit: (e) => { e.preventDefault(); go(); } },
      h('label', { for: 'inventory-family' }, 'Job family'), familySelect,
      h('label', { for: 'inventory-sort' }, 'Sort by'), sortSelect));
    const holder = h('p', { class: 'status loading', role: 'status' }, 'Loading the skills inventory…');
    ctx.main.append(holder);
    const { skillsInventory: rows } = await graphql(INVENTORY, { family });
    if (!ctx.isCurrent()) return;
    holder.remove();
    if (!rows.length) {
      ctx.main.append(empty('No competencies to show.'));
      return;
    }
    rows.sort(SORTS[sortKey][1]);
    const levels = [...framework.scale].sort((a, b) => a.level - b.level);
    const familyName = family ? families.find((f) => f.id === family)?.name ?? family : null;
    ctx.main.append(h('section', { class: 'panel', 'aria-labelledby': 'inv-title' },
      h('h2', { id: 'inv-title' }, familyName ? `Competencies in ${familyName}` : 'All competencies'),
      h('div', { class: 'download-row' }, csvButton({
        id: 'inventory-csv', what: 'the skills inventory', rows: () => inventoryRows(rows, levels),
        filename: fileSlug('skills-inventory', familyName ?? 'all-families'),
      }), h('span', { class: 'muted small' }, 'The table below, in its order: one row per competency, people per level.')),
      h('p', { class: 'heat-legend' }, 'Levels: ', levels.map((s) => h('span', { class: 'legend-item' },
        h('span', { class: `swatch seg lv${Math.min(s.level, 5)}` }, String(s.level)), ` ${s.name}`))),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data inventory stack', id: 'inventory' },
        h('thead', {}, h('tr', {}, ['Competency', 'People per level', 'Assessed', 'Roles requiring it', 'People whose role needs it', 'Below it'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows.map((row) => h('tr', { dataset: { competencyId: row.competency.id } },
          h('th', { scope: 'row' }, row.competency.name, h('div', { class: 'muted small' }, words(row.competency.category))),
          h('td', { class: 'spread-cell', dataset: { label: 'People per level' } }, spread(row.holders, scale)),
          h('td', { class: 'num', dataset: { label: 'Assessed' } }, String(row.peopleAssessed)),
          h('td', { class: 'num', dataset: { label: 'Roles requiring it' } }, h('strong', {}, String(row.rolesRequiring))),
          h('td', { class: 'num', dataset: { label: 'People whose role needs it' } }, String(row.peopleNeeding)),
          h('td', { class: 'num', dataset: { label: 'Below it' } }, row.peopleBelow ? h('strong', {}, String(row.peopleBelow)) : '0'))))))));
    announce(`${rows.length} competencies.`);
  },
};
