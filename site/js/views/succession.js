// Succession: who could step into a role now, soon or later (managers: among the people under them; HR: everyone),
// with readiness bars and bench strength; tick two candidates to compare their gaps side by side.
import { h, num, pct, badge, readinessBar, announce, empty, plural, busy, fill, roleOptions } from '../dom.js';
import { graphql } from '../api.js';
import { architecture, roles as allRoles } from '../catalogue.js';
import { errorBox } from '../errors.js';
import { hashOf } from '../state.js';
import { barChart } from '../charts.js';
import { csvButton, fileSlug } from '../csv.js';
import { candidateMarks, talentPool } from '../succession/pool.js';

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
    candidates { person { id name role { id title } } gap readiness bucket nominated interested }
  }
}`;

const COMPARE = `query Compare($a: ProfileInput!, $b: ProfileInput!, $t: ID!) {
  a: gap(from: $a, to: $t) { ...G }
  b: gap(from: $b, to: $t) { ...G }
}
fragment G on GapReport { totalGap readiness verdict proofGaps
  items { competency { id name } required current deficit weight essential status evidence proofGap } }`;

const BENCH_FIELDS = `role { id title level { rank name } family { id name } }
  holders { id name } readyNow { id name } readySoon { id name } cover after atRisk`;

const BENCH = `query Bench($manager: ID, $threshold: Int!) { benchStrength(manager: $manager, threshold: $threshold) { ${BENCH_FIELDS} } }`;

const IF_LEAVES = `query IfLeaves($person: ID!, $manager: ID, $threshold: Int!) {
  ifLeaves(personId: $person, manager: $manager, threshold: $threshold) { ${BENCH_FIELDS} } }`;

/** A succession slate as spreadsheet rows (header first): one per candidate, in the API's order (closest first). */
export function slateRows(report) {
  return [
    ['Role ID', 'Role', 'Person ID', 'Person', 'Current role', 'Bucket', 'Readiness', 'Gap'],
    ...report.candidates.map((c) => [report.role.id, report.role.title, c.person.id, c.person.name, c.person.role?.title ?? '',
      BUCKETS.find(([b]) => b === c.bucket)?.[1] ?? c.bucket, c.readiness, c.gap]),
  ];
}

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
      ctx.main.append(empty('Choose a role to see who could succeed into it, or see every role’s bench strength below.'));
      await benchSection(ctx, manager);
      return;
    }

    const body = h('div', { 'aria-busy': 'true' });
    ctx.main.append(body);
    busy(body, 'Ranking candidates…');
    const { successors: report } = await graphql(SUCCESSORS, { role: roleId, limit: LIMIT, manager });
    if (!ctx.isCurrent()) return;
    ctx.title(`Succession: ${report.role.title}`);

    // The stored talent pool, beside the computed candidates; a candidate's badges follow its nominations.
    const marks = new Map();
    const pool = talentPool(ctx, {
      report, manager,
      onChange: (id) => {
        const c = report.candidates.find((x) => x.person.id === id);
        if (c && marks.has(id)) fill(marks.get(id), candidateMarks(c), nominateButton(c));
      },
    });
    const nominateButton = (c) => (c.nominated ? null : h('button', {
      type: 'button', class: 'button small secondary nominate', dataset: { personId: c.person.id },
      onclick: () => pool.offer(c.person.id),
    }, 'Nominate', h('span', { class: 'visually-hidden' }, ` ${c.person.name}`)));

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
          const badges = h('div', { class: 'candidate-marks' }, candidateMarks(c), nominateButton(c));
          marks.set(c.person.id, badges);
          return h('li', { class: 'candidate', dataset: { personId: c.person.id } },
            h('div', { class: 'candidate-head' },
              h('a', { href: hashOf(['career', report.role.id], { person: c.person.id }) }, c.person.name),
              h('span', { class: 'muted small' }, c.person.role ? ` · ${c.person.role.title}` : '')),
            badges,
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
          h('span', {}, 'Considered ', h('strong', { id: 'pool-size' }, String(report.poolSize)), ' people'),
          h('span', { class: 'muted' }, `bench strength = ready now + ready soon, over everyone considered${manager ? ' under you' : ''}; ★ marks the talent pool below`)),
        report.candidates.length < report.poolSize
          ? h('p', { class: 'muted small' }, `Showing the ${report.candidates.length} closest of ${plural(report.poolSize, 'person', 'people')}.`) : null,
        report.candidates.length ? h('div', { class: 'download-row' }, csvButton({
          id: 'slate-csv', what: `the candidates for ${report.role.title}`, rows: () => slateRows(report),
          filename: fileSlug('succession', report.role.title),
        }), h('span', { class: 'muted small' }, 'The candidates shown, closest first: bucket, readiness, gap.')) : null,
        report.candidates.length ? h('div', { class: 'buckets' }, BUCKETS.map(bucketColumn))
          : empty(manager ? 'Nobody under you is a candidate for this role.' : 'Nobody is a candidate for this role.')),
      pool.node,
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
    await Promise.all([compare(order), pool.load()]);
    announce(`${report.candidates.length} candidates for ${report.role.title}; bench strength ${report.benchStrength}.`);
  },
};

// --- bench strength of every role, and what one departure does to it --------------------------------------

const names = (people) => people.map((p) => p.name).join(', ');

async function benchSection(ctx, manager) {
  const threshold = Math.min(5, Math.max(1, Number(ctx.params.get('threshold')) || 2));
  const thresholdSelect = h('select', { id: 'bench-threshold', name: 'threshold' },
    [1, 2, 3, 4, 5].map((n) => h('option', { value: String(n), selected: n === threshold }, String(n))));
  const body = h('div', { class: 'section-body', id: 'bench-body' });
  const leavesBody = h('div', { class: 'section-body', id: 'leaves-body' });
  const personSelect = h('select', { id: 'leaves-person', name: 'leaves' }, h('option', { value: '' }, 'Loading people…'));
  const leavesForm = h('form', {
    class: 'inline-form', id: 'leaves-form',
    onsubmit: (e) => { e.preventDefault(); if (personSelect.value) leaves(personSelect.value); },
  }, h('label', { for: 'leaves-person' }, 'If this person leaves'), personSelect,
  h('button', { type: 'submit', class: 'button', id: 'leaves-submit' }, 'Show the roles at risk'));
  ctx.main.append(
    h('section', { class: 'panel', id: 'bench', 'aria-labelledby': 'bench-title' },
      h('h2', { id: 'bench-title' }, 'Bench strength per role'),
      h('p', { class: 'intro' }, `A role’s cover is who could do it${manager ? ' among the people under you' : ''}: its holders, plus those ready now `
        + '(readiness 90% or more) and ready soon (70% or more). A role is at risk when its cover is below the threshold.'),
      h('div', { class: 'bench-controls' }, h('span', { class: 'field-inline' },
        h('label', { for: 'bench-threshold' }, 'At risk below'), thresholdSelect, h('span', {}, 'people'))),
      body),
    h('section', { class: 'panel', id: 'leaves', 'aria-labelledby': 'leaves-title' },
      h('h2', { id: 'leaves-title' }, 'If someone leaves'),
      h('p', { class: 'intro' }, 'Every role the person holds or is ready for loses one from its cover: the roles that would fall below the threshold.'),
      leavesForm, leavesBody));

  let rows = [];
  const current = () => Number(thresholdSelect.value);
  async function load() {
    busy(body, 'Counting every role’s cover…');
    try {
      rows = (await graphql(BENCH, { manager, threshold: current() })).benchStrength;
    } catch (error) {
      if (ctx.isCurrent()) fill(body, errorBox(error, { what: 'bench strength', retry: load }));
      return;
    }
    if (!ctx.isCurrent()) return;
    await drawBench(body, rows, current(), manager);
    // Who could leave and matter: the people who hold a role or are ready for one.
    const people = new Map();
    for (const r of rows) for (const p of [...r.holders, ...r.readyNow, ...r.readySoon]) people.set(p.id, p);
    const chosen = personSelect.value || ctx.params.get('leaves');
    personSelect.replaceChildren(h('option', { value: '' }, 'Choose a person…'),
      ...[...people.values()].sort((a, b) => a.name.localeCompare(b.name)).map((p) => h('option', { value: p.id, selected: p.id === chosen }, p.name)));
    if (chosen && people.has(chosen)) await leaves(chosen);
    else fill(leavesBody, empty('Choose a person to see which roles would be left short.'));
  }

  async function leaves(personId) {
    ctx.setParams({ leaves: personId });
    const name = personSelect.selectedOptions[0]?.textContent ?? personId;
    busy(leavesBody, `Working out what ${name} leaving would change…`);
    let result;
    try {
      result = (await graphql(IF_LEAVES, { person: personId, manager, threshold: current() })).ifLeaves;
    } catch (error) {
      if (ctx.isCurrent()) fill(leavesBody, errorBox(error, { what: 'the roles at risk', retry: () => leaves(personId) }));
      return;
    }
    if (!ctx.isCurrent()) return;
    const canvas = h('canvas', {
      id: 'leaves-chart', role: 'img',
      'aria-label': `Cover now and after ${name} leaves: ${result.map((r) => `${r.role.title} ${r.cover} to ${r.after}`).join('; ')}`,
    });
    fill(leavesBody, result.length ? [
      h('p', { id: 'leaves-summary' }, h('strong', {}, plural(result.length, 'role')), ` would fall below ${current()} if ${name} left.`),
      h('figure', { class: 'chart' }, h('div', { class: 'chart-box', style: `height:${Math.max(160, result.length * 46 + 70)}px` }, canvas),
        h('figcaption', {}, 'Cover now (blue) and once they left (orange), per role.')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data bench-table', id: 'leaves-table' },
        h('caption', { class: 'visually-hidden' }, `Roles left short if ${name} leaves`),
        h('thead', {}, h('tr', {}, ['Role', 'Cover now', 'After', 'Who is left'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, result.map((r) => h('tr', { dataset: { roleId: r.role.id } },
          h('th', { scope: 'row' }, h('a', { href: hashOf(['succession', r.role.id]) }, r.role.title)),
          h('td', { class: 'num leaves-cover' }, String(r.cover)),
          h('td', { class: 'num leaves-after' }, h('span', { class: 'risk' }, String(r.after ?? '–'))),
          h('td', {}, names([...r.holders, ...r.readyNow, ...r.readySoon].filter((p) => p.id !== personId)) || 'nobody')))))),
    ] : empty(`No role would fall below ${current()} if ${name} left.`));
    if (result.length) await barChart(canvas, result.map((r) => r.role.title), [
      { label: 'Cover now', data: result.map((r) => r.cover) },
      { label: `After ${name} leaves`, data: result.map((r) => r.after ?? 0) },
    ], { xTitle: 'People' });
    announce(result.length ? `${plural(result.length, 'role')} would fall below the threshold.` : 'No role would fall below the threshold.');
  }

  thresholdSelect.addEventListener('change', () => { ctx.setParams({ threshold: current() === 2 ? null : current() }); load(); });
  await load();
}

function drawBench(body, rows, threshold, manager) {
  // In a manager's organisation, a role nobody there holds or is ready for is not theirs to cover: listed apart.
  const inPlay = manager ? rows.filter((r) => r.cover > 0) : rows;
  const elsewhere = manager ? rows.filter((r) => r.cover === 0) : [];
  const order = [...inPlay].sort((a, b) => Number(b.atRisk) - Number(a.atRisk) || a.cover - b.cover || a.role.title.localeCompare(b.role.title));
  const risky = order.filter((r) => r.atRisk).length;
  const canvas = h('canvas', {
    id: 'bench-chart', role: 'img',
    'aria-label': `Cover per role: ${order.map((r) => `${r.role.title} ${r.cover}`).join('; ')}`,
  });
  fill(body,
    h('p', { class: 'numbers' },
      h('span', {}, h('strong', { id: 'bench-at-risk', dataset: { value: String(risky) } }, String(risky)),
        ` of ${plural(inPlay.length, 'role')} at risk (cover under ${threshold})`)),
    elsewhere.length ? h('div', { class: 'muted small', id: 'bench-elsewhere' },
      `Not shown: ${plural(elsewhere.length, 'role')} that nobody under you holds or is ready for (`,
      h('details', { class: 'inline-details' }, h('summary', {}, 'list them'), names(elsewhere.map((r) => ({ name: r.role.title })))), ').') : null,
    order.length ? null : empty('Nobody under you holds or is ready for any role yet.'),
    h('figure', { class: 'chart', hidden: !order.length }, h('div', { class: 'chart-box', style: `height:${Math.max(200, order.length * 26 + 90)}px` }, canvas),
      h('figcaption', {}, 'Cover per role, weakest first: holders (dark), ready now (mid), ready soon (light).')),
    h('details', { class: 'bench-numbers' }, h('summary', {}, 'The numbers as a table'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data bench-table', id: 'bench-table' },
        h('caption', { class: 'visually-hidden' }, 'Bench strength per role'),
        h('thead', {}, h('tr', {}, ['Role', 'Holders', 'Ready now', 'Ready soon', 'Cover', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, order.map((r) => h('tr', { class: r.atRisk ? 'at-risk' : null, dataset: { roleId: r.role.id, cover: String(r.cover) } },
          h('th', { scope: 'row' }, h('a', { href: hashOf(['succession', r.role.id]) }, r.role.title)),
          h('td', { title: names(r.holders) }, String(r.holders.length)),
          h('td', { title: names(r.readyNow) }, String(r.readyNow.length)),
          h('td', { title: names(r.readySoon) }, String(r.readySoon.length)),
          h('td', { class: 'num bench-cover' }, h('strong', {}, String(r.cover))),
          h('td', {}, r.atRisk ? h('span', { class: 'risk' }, '⚠ At risk') : h('span', { class: 'covered' }, '✓ Covered')))))))));
  return barChart(canvas, order.map((r) => r.role.title), [
    { label: 'Holders', data: order.map((r) => r.holders.length) },
    { label: 'Ready now', data: order.map((r) => r.readyNow.length) },
    { label: 'Ready soon', data: order.map((r) => r.readySoon.length) },
  ], { stacked: true, xTitle: 'People' });
}
