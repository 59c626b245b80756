// Succession: who could step into a role now, soon or later (managers: among the people under them; HR: everyone),
// with readiness bars and bench strength; tick two candidates to compare their gaps side by side.
import { h, num, pct, badge, readinessBar, announce, empty, plural, busy, fill, roleOptions } from '../dom.js';
import { graphql } from '../api.js';
import { architecture, roles as allRoles } from '../catalogue.js';
import { errorBox } from '../errors.js';
import { hashOf } from '../state.js';

const LIMIT = 30;
const BUCKETS = [
  ['READY_NOW', 'Ready now', 'readiness of 90% or more'],
  ['READY_SOON', 'Ready soon', 'readiness of 70% or more'],
  ['READY_LATER', 'Ready later', 'readiness under 70%'],
];

const SUCCESSORS = `query Successors($role: ID!, $limit: Int!, $manager: ID) {
  successors(role: $role, limit: $limit, manager: $manager) {
    role { id title level { rank name } }
    benchStrength poolSize
    candidates { person { id name role { id title } } gap readiness bucket }
  }
}`;

const COMPARE = `query Compare($a: ProfileInput!, $b: ProfileInput!, $t: ID!) {
  a: gap(from: $a, to: $t) { ...G }
  b: gap(from: $b, to: $t) { ...G }
}
fragment G on GapReport { totalGap readiness verdict proofGaps
  items { competency { id name } required current deficit weight essential status evidence proofGap } }`;

export function signedInAs(viewer, ...accesses) {
  return !viewer?.authEnabled || accesses.includes(viewer.access);
}

export function needsAccess(ctx, what, accesses) {
  const viewer = ctx.session.viewer;
  if (signedInAs(viewer, ...accesses)) return false;
  const next = encodeURIComponent(location.hash);
  ctx.main.append(h('div', { class: 'error-box', role: 'alert', dataset: { code: viewer?.access === 'ANONYMOUS' ? 'UNAUTHENTICATED' : 'FORBIDDEN' } },
    h('p', { class: 'error-title' }, h('strong', {}, viewer?.access === 'ANONYMOUS' ? 'Please sign in.' : 'You do not have access to this.')),
    h('p', {}, `${what} `, h('a', { href: `#/signin?next=${next}` }, viewer?.access === 'ANONYMOUS' ? 'Sign in' : 'Sign in as someone else'), '.')));
  return true;
}

export default {
  async render(ctx) {
    ctx.title('Succession');
    const roleId = ctx.args[0] ?? null;
    ctx.main.append(h('h1', { tabindex: '-1' }, 'Succession'));
    if (needsAccess(ctx, 'Succession is for managers (their own organisation) and HR.', ['MANAGER', 'HR'])) return;
    const viewer = ctx.session.viewer;
    const manager = viewer?.access === 'MANAGER' ? viewer.person.id : null;
    ctx.main.append(h('p', { class: 'lead' }, manager
      ? `Who among the people under you, ${viewer.person.name}, could step into a role: ready now, soon or later.`
      : 'Who in the organisation could step into a role: ready now, soon or later.'));

    const [{ families }, roles] = await Promise.all([architecture(), allRoles()]);
    if (!ctx.isCurrent()) return;
    const select = h('select', { id: 'succession-role', name: 'role' }, h('option', { value: '' }, 'Choose a role…'), roleOptions(families, roles, roleId));
    ctx.main.append(h('form', {
      class: 'inline-form panel', id: 'succession-form',
      onsubmit: (e) => { e.preventDefault(); if (select.value) location.hash = hashOf(['succession', select.value]); },
    }, h('label', { for: 'succession-role' }, 'Role'), select, h('button', { type: 'submit', class: 'button' }, 'Show candidates')));
    select.addEventListener('change', () => { if (select.value) location.hash = hashOf(['succession', select.value]); });
    if (!roleId) {
      ctx.main.append(empty('Choose a role to see who could succeed into it.'));
      return;
    }

    const body = h('div', { 'aria-busy': 'true' });
    ctx.main.append(body);
    busy(body, 'Ranking candidates…');
    const { successors: report } = await graphql(SUCCESSORS, { role: roleId, limit: LIMIT, manager });
    if (!ctx.isCurrent()) return;
    ctx.title(`Succession: ${report.role.title}`);

    const picked = [ctx.params.get('a'), ctx.params.get('b')].filter(Boolean);
    const compareBody = h('div', { class: 'section-body', id: 'compare-body' });
    const checkboxes = [];
    const bucketColumn = ([bucket, title, rule]) => {
      const list = report.candidates.filter((c) => c.bucket === bucket);
      const id = `bucket-${bucket.toLowerCase().replaceAll('_', '-')}`;
      return h('section', { class: `bucket bucket-${bucket.toLowerCase().replaceAll('_', '-')}`, id, 'aria-labelledby': `${id}-title`, dataset: { bucket } },
        h('h3', { id: `${id}-title` }, h('span', { class: 'bucket-mark', 'aria-hidden': 'true' }), `${title} `,
          h('span', { class: 'count' }, `(${list.length}${report.candidates.length < report.poolSize ? ' shown' : ''})`)),
        h('p', { class: 'muted small' }, rule),
        list.length ? h('ol', { class: 'candidates' }, list.map((c) => {
          const box = h('input', {
            type: 'checkbox', id: `cmp-${c.person.id}`, value: c.person.id, checked: picked.includes(c.person.id),
            onchange: onPick,
          });
          checkboxes.push(box);
          return h('li', { class: 'candidate', dataset: { personId: c.person.id } },
            h('div', { class: 'candidate-head' },
              h('a', { href: hashOf(['career', report.role.id], { person: c.person.id }) }, c.person.name),
              h('span', { class: 'muted small' }, c.person.role ? ` · ${c.person.role.title}` : '')),
            readinessBar(c.readiness, `Readiness of ${c.person.name}`),
            h('div', { class: 'candidate-foot' },
              h('span', {}, 'Gap ', h('strong', { class: 'gap-value', dataset: { value: String(c.gap) } }, num(c.gap))),
              h('label', { class: 'compare-pick', for: `cmp-${c.person.id}` }, box, ' Compare',
                h('span', { class: 'visually-hidden' }, ` ${c.person.name}`))));
        })) : empty('Nobody yet.'));
    };

    fill(body,
      h('section', { class: 'panel', id: 'succession-summary', 'aria-labelledby': 'summary-title' },
        h('h2', { id: 'summary-title' }, h('a', { href: `#/role/${encodeURIComponent(report.role.id)}` }, report.role.title)),
        h('p', { class: 'numbers' },
          h('span', {}, 'Bench strength ', h('strong', { id: 'bench-strength', dataset: { value: String(report.benchStrength) } }, String(report.benchStrength))),
          h('span', {}, 'Pool ', h('strong', { id: 'pool-size' }, String(report.poolSize)), ' people'),
          h('span', { class: 'muted' }, `bench strength = ready now + ready soon, over the whole pool${manager ? ' under you' : ''}`)),
        report.candidates.length < report.poolSize
          ? h('p', { class: 'muted small' }, `Showing the ${report.candidates.length} closest of ${plural(report.poolSize, 'person', 'people')}.`) : null,
        report.candidates.length ? h('div', { class: 'buckets' }, BUCKETS.map(bucketColumn))
          : empty(manager ? 'Nobody under you is a candidate for this role.' : 'Nobody is a candidate for this role.')),
      h('section', { class: 'panel', id: 'compare', 'aria-labelledby': 'compare-title' },
        h('h2', { id: 'compare-title' }, 'Compare two candidates'), compareBody));

    let order = picked.filter((id) => report.candidates.some((c) => c.person.id === id));
    function onPick(event) {
      const box = event.target;
      order = order.filter((id) => id !== box.value);
      if (box.checked) order.push(box.value);
      while (order.length > 2) {
        const oldest = order.shift();
        const other = checkboxes.find((b) => b.value === oldest);
        if (other) other.checked = false;
      }
      ctx.setParams({ a: order[0] ?? null, b: order[1] ?? null });
      compare(order, true);
    }

    async function compare(ids, scroll = false) {
      if (ids.length < 2) {
        fill(compareBody, empty(ids.length ? 'Tick one more candidate to compare.' : 'Tick “Compare” on two candidates to see their gaps side by side.'));
        return;
      }
      const people = ids.map((id) => report.candidates.find((c) => c.person.id === id)?.person ?? { id, name: id });
      busy(compareBody, `Comparing ${people[0].name} and ${people[1].name}…`);
      let data;
      try {
        data = await graphql(COMPARE, { a: { personId: ids[0] }, b: { personId: ids[1] }, t: report.role.id });
      } catch (error) {
        fill(compareBody, errorBox(error, { what: 'the comparison', retry: () => compare(ids, scroll) }));
        return;
      }
      const [a, b] = [data.a, data.b];
      const bItems = new Map(b.items.map((i) => [i.competency.id, i]));
      const cell = (item) => (item ? h('td', {}, h('span', { class: 'level-pill' }, String(item.current)), ' ', badge(item.status, 'gapstatus'),
        item.deficit ? h('span', { class: 'small' }, ` −${item.deficit}`) : null,
        h('div', {}, badge(item.evidence, 'evidence'))) : h('td', {}, '—'));
      fill(compareBody, h('div', { class: 'table-wrap' }, h('table', { class: 'data compare', id: 'compare-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Competency'), h('th', { scope: 'col' }, 'Required'),
          people.map((p) => h('th', { scope: 'col' }, p.name)))),
        h('tbody', {},
          h('tr', { class: 'totals' }, h('th', { scope: 'row' }, 'Gap · readiness'), h('td', {}),
            [a, b].map((g) => h('td', {}, h('strong', {}, num(g.totalGap)), ` · ${pct(g.readiness)} `, badge(g.verdict, 'verdict')))),
          a.items.map((item) => h('tr', { dataset: { competencyId: item.competency.id } },
            h('th', { scope: 'row' }, item.competency.name, item.essential ? h('span', { class: 'essential', title: 'Essential' }, ' ★') : null),
            h('td', { class: 'num' }, String(item.required)),
            cell(item), cell(bItems.get(item.competency.id))))))));
      announce(`Comparing ${people[0].name} and ${people[1].name}.`);
      if (scroll) document.getElementById('compare')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    }
    await compare(order);
    announce(`${report.candidates.length} candidates for ${report.role.title}; bench strength ${report.benchStrength}.`);
  },
};
