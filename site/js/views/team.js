// My team: how the team's gaps moved over the last quarters (charts of the top gaps and of mean readiness, from
// teamTrend), then a heatmap of deficits, person × competency, against each person's own role — today or as of a
// chosen quarter's end — with the team's top three gaps and who is below the level their role needs.
// Managers see their own team; HR picks a manager.
import { h, num, pct, announce, empty, plural, busy, fill } from '../dom.js';
import { graphql, allNodes } from '../api.js';
import { lineChart } from '../charts.js';
import { errorBox } from '../errors.js';
import { hashOf } from '../state.js';
import { needsAccess } from './succession.js';
import { csvButton, fileSlug } from '../csv.js';

const HEATMAP_FIELDS = `
    manager { id name role { id title } }
    people { id name role { id title } }
    competencies { id name category }
    cells { person { id } competency { id } required current deficit weight }
    topGaps { competency { id name } totalDeficit peopleBelow { id name } }`;

const HEATMAP = `query Team($manager: ID!, $depth: Int) { teamHeatmap(manager: $manager, depth: $depth) { ${HEATMAP_FIELDS} } }`;
const HEATMAP_AS_OF = `query Team($manager: ID!, $depth: Int, $asOf: String) {
  teamHeatmap(manager: $manager, depth: $depth, asOf: $asOf) { ${HEATMAP_FIELDS} } }`;

const TREND = `query TeamTrend($manager: ID!, $from: String!, $to: String!, $every: Period!, $depth: Int) {
  teamTrend(manager: $manager, from: $from, to: $to, every: $every, depth: $depth, top: 3) {
    people { id }
    points {
      at totalDeficit meanReadiness
      topGaps { competency { id name } totalDeficit }
      deficits { competency { id name } totalDeficit peopleBelow { id } }
    }
  }
}`;

/** How many competencies get a line in the trend chart. */
const LINES = 5;
const SPANS = [['1', 'the last year'], ['2', 'the last two years'], ['3', 'the last three years']];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function cellClass(deficit) {
  return `heat d${Math.min(deficit, 4)}`;
}

function legend() {
  return h('div', { class: 'heat-legend', 'aria-hidden': 'true' }, 'Deficit (levels below what the person’s role requires): ',
    [['d0', '✓', 'met'], ['d1', '−1', ''], ['d2', '−2', ''], ['d3', '−3', ''], ['d4', '−4+', ''], ['na', '', 'not required']]
      .map(([cls, text, label]) => h('span', { class: 'legend-item' }, h('span', { class: `swatch heat ${cls}` }, text), label ? ` ${label}` : '')));
}

const iso = (d) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;

/** The trend's range: from the first day of the period `years` back (so that the last year has 4 quarters / 12 months) to today. */
export function trendRange(every, years, now = new Date()) {
  const to = iso(now);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const start = every === 'MONTH'
    ? new Date(Date.UTC(y, m - 12 * years + 1, 1))
    : new Date(Date.UTC(y, Math.floor(m / 3) * 3 - 3 * (4 * years - 1), 1));
  return { from: iso(start), to };
}

function dateText(at) {
  const [y, m, d] = at.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

function isPeriodEnd(at, every) {
  const [y, m, d] = at.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d === last && (every === 'MONTH' || m % 3 === 0);
}

/** "2026-09-30" → "Q3 2026" (QUARTER) or "Sep 2026" (MONTH); a point that is not a period's end is "so far". */
export function periodLabel(at, every) {
  const [y, m] = at.split('-').map(Number);
  const name = every === 'MONTH' ? `${MONTHS[m - 1]} ${y}` : `Q${Math.floor((m - 1) / 3) + 1} ${y}`;
  return isPeriodEnd(at, every) ? name : `${name} (so far)`;
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
    const every = ctx.params.get('every') === 'MONTH' ? 'MONTH' : 'QUARTER';
    const span = SPANS.some(([v]) => v === ctx.params.get('span')) ? ctx.params.get('span') : '1';
    let asOf = /^\d{4}-\d{2}-\d{2}$/.test(ctx.params.get('asOf') ?? '') ? ctx.params.get('asOf') : null;

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
    const depth = everyone ? null : 1;
    const first = await loadHeatmap(managerId, depth, asOf);
    if (!ctx.isCurrent()) return;
    holder.remove();
    const own = viewer?.person?.id === first.manager.id;
    heading.textContent = own ? 'My team' : `Team of ${first.manager.name}`;
    ctx.title(heading.textContent);

    const scope = h('fieldset', { class: 'scope' }, h('legend', {}, 'Who'),
      [['direct', 'Direct reports', !everyone], ['all', 'Everyone under', everyone]].map(([value, label, checked]) => h('label', { class: 'radio' },
        h('input', {
          type: 'radio', name: 'depth', value, checked,
          onchange: () => { location.hash = hashOf(['team', ctx.args[0]], { depth: value === 'all' ? 'all' : null, every: every === 'MONTH' ? 'MONTH' : null, span: span === '1' ? null : span }); },
        }), ` ${label}${value === 'all' ? ` ${own ? 'me' : first.manager.name}` : ''}`)));
    if (!first.people.length) {
      ctx.main.append(empty(`Nobody reports to ${own ? 'you' : first.manager.name}.`));
      return;
    }
    ctx.main.append(h('p', { class: 'lead' }, `${plural(first.people.length, 'person', 'people')}, each against the requirements of their own role.`), scope);

    // --- growth over time -----------------------------------------------------------------------
    const trendBody = h('div', { class: 'section-body', id: 'trend-body' });
    const everySelect = h('select', { id: 'trend-every', name: 'every' },
      [['QUARTER', 'Quarter'], ['MONTH', 'Month']].map(([v, t]) => h('option', { value: v, selected: v === every }, t)));
    const spanSelect = h('select', { id: 'trend-span', name: 'span' },
      SPANS.map(([v, t]) => h('option', { value: v, selected: v === span }, t)));
    ctx.main.append(h('section', { class: 'panel', id: 'trend', 'aria-labelledby': 'trend-title' },
      h('h2', { id: 'trend-title' }, 'How the team’s gaps moved'),
      h('p', { class: 'intro' }, 'At the end of each period: the weighted deficit of the competencies that were the team’s biggest gaps, '
        + 'and the team’s mean readiness for their own roles — counting only the assessments made by then. '
        + `The people are those in the team today (${plural(first.people.length, 'person', 'people')}).`),
      h('div', { class: 'trend-controls' },
        h('span', { class: 'field-inline' }, h('label', { for: 'trend-every' }, 'One point per'), everySelect),
        h('span', { class: 'field-inline' }, h('label', { for: 'trend-span' }, 'over'), spanSelect)),
      trendBody));

    // --- the heatmap, today or as of a period's end ---------------------------------------------------
    const asOfSelect = h('select', { id: 'as-of', name: 'asOf' }, h('option', { value: '' }, 'Today'));
    const now = h('div', { id: 'team-now' });
    ctx.main.append(h('form', { class: 'inline-form panel', id: 'as-of-form', onsubmit: (e) => e.preventDefault() },
      h('label', { for: 'as-of' }, 'Show the gaps as of'), asOfSelect,
      h('span', { class: 'muted small' }, 'the end of a quarter: only the assessments made by then count.')), now);

    let serial = 0;
    const showGaps = async (date) => {
      const mine = ++serial;
      asOf = date || null;
      ctx.setParams({ asOf });
      busy(now, asOf ? `Loading the gaps as of ${dateText(asOf)}…` : 'Loading today’s gaps…');
      let map;
      try {
        map = await loadHeatmap(managerId, depth, asOf);
      } catch (error) {
        if (mine === serial && ctx.isCurrent()) fill(now, errorBox(error, { what: 'the heatmap', retry: () => showGaps(date) }));
        return;
      }
      if (mine !== serial || !ctx.isCurrent()) return;
      drawGaps(now, map, asOf);
      announce(`${asOf ? `As of ${dateText(asOf)}` : 'Today'}: top gap ${map.topGaps[0]?.competency.name ?? 'none'}.`);
    };
    asOfSelect.addEventListener('change', () => showGaps(asOfSelect.value));
    drawGaps(now, first, asOf);

    const range = trendRange(every, Number(span));
    const trendChange = () => {
      ctx.setParams({ every: everySelect.value === 'MONTH' ? 'MONTH' : null, span: spanSelect.value === '1' ? null : spanSelect.value });
      loadTrend(ctx, trendBody, {
        managerId, depth, every: everySelect.value, range: trendRange(everySelect.value, Number(spanSelect.value)), asOfSelect, asOf: () => asOf,
      });
    };
    everySelect.addEventListener('change', trendChange);
    spanSelect.addEventListener('change', trendChange);
    await loadTrend(ctx, trendBody, { managerId, depth, every, range, asOfSelect, asOf: () => asOf });
    announce(`${first.people.length} people; top gap ${first.topGaps[0]?.competency.name ?? 'none'}.`);
  },
};

async function loadHeatmap(manager, depth, asOf) {
  const data = asOf ? await graphql(HEATMAP_AS_OF, { manager, depth, asOf }) : await graphql(HEATMAP, { manager, depth });
  return data.teamHeatmap;
}

/** The trend: two charts (top gaps per period; mean readiness and total deficit) and the same numbers as a table. */
async function loadTrend(ctx, body, { managerId, depth, every, range, asOfSelect, asOf }) {
  busy(body, 'Loading how the team’s gaps moved…');
  let trend;
  try {
    trend = (await graphql(TREND, { manager: managerId, from: range.from, to: range.to, every, depth })).teamTrend;
  } catch (error) {
    if (ctx.isCurrent()) fill(body, errorBox(error, { what: 'the team’s trend', retry: () => loadTrend(ctx, body, { managerId, depth, every, range, asOfSelect, asOf }) }));
    return;
  }
  if (!ctx.isCurrent()) return;
  const { points } = trend;
  const labels = points.map((p) => periodLabel(p.at, every));

  // The quarter picker: every period's end the trend has (today is "Today").
  const chosen = asOf();
  const ends = points.map((p) => p.at).filter((at) => isPeriodEnd(at, every) || at !== range.to);
  if (chosen && !ends.includes(chosen)) ends.push(chosen);
  asOfSelect.replaceChildren(h('option', { value: '', selected: !chosen }, 'Today'),
    ...[...ends].sort().reverse().map((at) => h('option', { value: at, selected: at === chosen }, `End of ${periodLabel(at, every).replace(' (so far)', '')} (${dateText(at)})`)));

  // The lines: the competencies that were among the top gaps at some point, biggest (at the last point) first.
  const names = new Map();
  for (const p of points) for (const d of p.deficits) names.set(d.competency.id, d.competency.name);
  const deficitAt = (p, id) => p.deficits.find((d) => d.competency.id === id)?.totalDeficit ?? 0;
  const ids = [...new Set(points.flatMap((p) => p.topGaps.map((g) => g.competency.id)))];
  const last = points[points.length - 1];
  const firstPoint = points[0];
  ids.sort((a, b) => deficitAt(last, b) - deficitAt(last, a) || deficitAt(firstPoint, b) - deficitAt(firstPoint, a) || a.localeCompare(b));
  for (const p of points) for (const g of p.topGaps) if (!names.has(g.competency.id)) names.set(g.competency.id, g.competency.name);
  const lines = ids.slice(0, LINES).map((id) => ({ id, label: names.get(id) ?? id, data: points.map((p) => deficitAt(p, id)) }));

  const gapsCanvas = h('canvas', {
    id: 'trend-gaps-chart', role: 'img',
    'aria-label': `Weighted deficit per ${every === 'MONTH' ? 'month' : 'quarter'} of the team’s top gaps: `
      + lines.map((l) => `${l.label} ${l.data.map(num).join(', ')}`).join('; '),
  });
  const readinessCanvas = h('canvas', {
    id: 'trend-readiness-chart', role: 'img',
    'aria-label': `Mean readiness per ${every === 'MONTH' ? 'month' : 'quarter'}: ${points.map((p, i) => `${labels[i]} ${pct(p.meanReadiness)}`).join(', ')}; `
      + `total deficit ${points.map((p) => num(p.totalDeficit)).join(', ')}`,
  });
  const change = (a, b) => {
    const d = Math.round((b - a) * 100) / 100;
    return d === 0 ? 'no change' : d < 0 ? `down ${num(-d)}` : `up ${num(d)}`;
  };
  fill(body,
    points.length > 1 ? h('p', { class: 'numbers', id: 'trend-summary' },
      h('span', {}, `Total deficit ${labels[0]} → ${labels[labels.length - 1]}: `,
        h('strong', {}, `${num(firstPoint.totalDeficit)} → ${num(last.totalDeficit)}`), ` (${change(firstPoint.totalDeficit, last.totalDeficit)})`),
      h('span', {}, 'Mean readiness ', h('strong', {}, `${pct(firstPoint.meanReadiness)} → ${pct(last.meanReadiness)}`))) : null,
    h('div', { class: 'trend-charts' },
      h('figure', { class: 'chart' }, h('div', { class: 'chart-box' }, gapsCanvas),
        h('figcaption', {}, `The team’s biggest gaps: weighted deficit at the end of each ${every === 'MONTH' ? 'month' : 'quarter'} (lower is better).`)),
      h('figure', { class: 'chart' }, h('div', { class: 'chart-box' }, readinessCanvas),
        h('figcaption', {}, 'Mean readiness for their own roles (line, left axis; higher is better) and the total weighted deficit (bars, right axis).'))),
    h('details', { class: 'trend-numbers' }, h('summary', {}, 'The numbers as a table'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data trend-table', id: 'trend-table' },
        h('caption', { class: 'visually-hidden' }, 'The team’s gaps per period'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, every === 'MONTH' ? 'Month' : 'Quarter'), h('th', { scope: 'col' }, 'Mean readiness'),
          h('th', { scope: 'col' }, 'Total deficit'), lines.map((l) => h('th', { scope: 'col' }, l.label)), h('th', { scope: 'col' }, 'Top gaps then'))),
        h('tbody', {}, points.map((p, i) => h('tr', { dataset: { at: p.at } },
          h('th', { scope: 'row' }, labels[i], h('div', { class: 'muted small' }, dateText(p.at))),
          h('td', { class: 'num' }, pct(p.meanReadiness)),
          h('td', { class: 'num' }, num(p.totalDeficit)),
          lines.map((l) => h('td', { class: 'num' }, num(l.data[i]))),
          h('td', {}, p.topGaps.map((g) => `${g.competency.name} ${num(g.totalDeficit)}`).join('; ') || 'none'))))))));
  await lineChart(gapsCanvas, labels, lines.map((l) => ({ label: l.label, data: l.data })), { yTitle: 'Weighted deficit' });
  await lineChart(readinessCanvas, labels, [{ label: 'Mean readiness', data: points.map((p) => p.meanReadiness), colour: '#0072B2' }], {
    percent: true, min: 0, max: 1, yTitle: 'Mean readiness',
    y1Title: 'Total deficit',
    extra: [{
      type: 'bar', label: 'Total deficit', data: points.map((p) => p.totalDeficit),
      backgroundColor: 'rgba(230,159,0,0.35)', borderColor: '#E69F00', borderWidth: 1.5, order: 2,
    }],
  });
}

/** The heatmap as spreadsheet rows: one per person × competency their role requires, in the table's order. */
export function heatmapRows(map, columns) {
  const cells = new Map(map.cells.map((c) => [`${c.person.id}|${c.competency.id}`, c]));
  const rows = [['Person ID', 'Person', 'Role', 'Competency ID', 'Competency', 'Category', 'Required', 'Current', 'Deficit', 'Weight']];
  for (const p of map.people) {
    for (const c of columns) {
      const cell = cells.get(`${p.id}|${c.id}`);
      if (cell) rows.push([p.id, p.name, p.role?.title ?? '', c.id, c.name, c.category ?? '', cell.required, cell.current, cell.deficit, cell.weight]);
    }
  }
  return rows;
}

/** Top three gaps, the heatmap and who is below: into `box`, for a heatmap of today or as of a date. */
function drawGaps(box, map, asOf) {
  const cells = new Map(map.cells.map((c) => [`${c.person.id}|${c.competency.id}`, c]));
  const totals = new Map(map.competencies.map((c) => [c.id, 0]));
  for (const c of map.cells) totals.set(c.competency.id, (totals.get(c.competency.id) ?? 0) + c.deficit * c.weight);
  const columns = [...map.competencies].sort((a, b) => totals.get(b.id) - totals.get(a.id));
  const when = asOf ? ` as of ${dateText(asOf)}` : '';

  // Top three gaps.
  const top = map.topGaps.slice(0, 3);
  const topSection = h('section', { class: 'panel', id: 'top-gaps-section', 'aria-labelledby': 'top-title', dataset: { asOf: asOf ?? '' } },
    h('h2', { id: 'top-title' }, `The team’s three biggest gaps${when}`),
    top.length ? h('ol', { class: 'top-gaps', id: 'top-gaps' }, top.map((g) => h('li', { dataset: { competencyId: g.competency.id } },
      h('strong', {}, g.competency.name),
      h('span', {}, ' — weighted deficit ', h('strong', { class: 'gap-value', dataset: { value: String(g.totalDeficit) } }, num(g.totalDeficit))),
      h('div', { class: 'small' }, `Below their role’s level: ${g.peopleBelow.map((p) => p.name).join(', ') || 'nobody'}`))))
      : empty('No gaps: everyone meets their role’s requirements.'));

  // The heatmap: it scrolls inside its own box; names link to each person's page.
  const table = h('table', { class: 'heatmap', id: 'heatmap', dataset: { asOf: asOf ?? '' } },
    h('caption', { class: 'visually-hidden' }, `Deficit per person and competency against each person’s own role${when}`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'corner' }, 'Person'),
      columns.map((c) => h('th', { scope: 'col', class: 'rotate', title: c.name }, h('span', {}, c.name))))),
    h('tbody', {}, map.people.map((p) => h('tr', { dataset: { personId: p.id } },
      h('th', { scope: 'row' }, h('a', { href: hashOf(['person', p.id]), class: 'person-link', dataset: { personId: p.id } }, p.name),
        h('div', { class: 'muted small' }, p.role?.title ?? 'no role')),
      columns.map((c) => {
        const cell = cells.get(`${p.id}|${c.id}`);
        if (!cell) return h('td', { class: 'heat na', dataset: { competencyId: c.id }, title: `${p.name}: ${c.name} not required` }, h('span', { class: 'visually-hidden' }, 'not required'));
        const text = cell.deficit ? `−${cell.deficit}` : '✓';
        const words = `${p.name}, ${c.name}: level ${cell.current} of ${cell.required} required${cell.deficit ? `, ${cell.deficit} below` : ', met'}`;
        return h('td', { class: cellClass(cell.deficit), title: words, dataset: { competencyId: c.id, deficit: String(cell.deficit) } },
          h('span', { 'aria-hidden': 'true' }, text), h('span', { class: 'visually-hidden' }, words));
      })))));
  const heatSection = h('section', { class: 'panel', id: 'heat-section', 'aria-labelledby': 'heat-title' },
    h('h2', { id: 'heat-title' }, `Heatmap of deficits${when}`), legend(),
    h('div', { class: 'download-row' }, csvButton({
      id: 'heatmap-csv', what: `the heatmap${when}`, rows: () => heatmapRows(map, columns),
      filename: fileSlug('team-heatmap', map.manager.name, asOf ?? 'today'),
    }), h('span', { class: 'muted small' }, 'One row per person and required competency: required, current level, deficit, weight.')),
    h('p', { class: 'muted small' }, map.people.length > 8 || columns.length > 12
      ? 'The table scrolls inside its box; names and competencies stay in view. A name opens that person’s page.'
      : 'A name opens that person’s page.'),
    h('div', { class: 'table-wrap heat-wrap', tabindex: '0', role: 'region', 'aria-label': 'Heatmap of deficits (scrolls)' }, table));

  // Who is below their role's level.
  const below = map.people.map((p) => ({
    person: p,
    items: columns.map((c) => cells.get(`${p.id}|${c.id}`)).filter((cell) => cell && cell.deficit > 0).map((cell) => ({ cell, name: map.competencies.find((c) => c.id === cell.competency.id).name })),
  })).filter((row) => row.items.length);
  const belowSection = h('section', { class: 'panel', id: 'below-section', 'aria-labelledby': 'below-title' },
    h('h2', { id: 'below-title' }, `Who is below their role’s level${when}`),
    below.length ? h('ul', { class: 'below', id: 'below' }, below.map(({ person, items }) => h('li', { dataset: { personId: person.id } },
      h('a', { href: hashOf(['person', person.id]) }, person.name),
      h('span', { class: 'muted' }, person.role ? ` (${person.role.title})` : ''), ': ',
      items.map(({ cell, name }, i) => [i ? ', ' : '', `${name} ${cell.current}/${cell.required}`]), ' · ',
      h('a', { href: hashOf(['career'], { person: person.id }), class: 'small' }, 'career'))))
      : empty('Everyone meets the level their role needs.'));
  fill(box, topSection, heatSection, belowSection);
}
