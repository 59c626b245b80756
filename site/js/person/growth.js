// Growth over time (personTrend): the effective level per competency as step lines, and readiness for the
// target role over time; the same numbers as tables underneath.
import { h, num, pct, words, empty } from '../dom.js';
import { graphql } from '../api.js';
import { chartLib } from '../charts.js';
import { COLOURS } from '../graphs.js';
import { TREND } from './queries.js';

const DAY = 86_400_000;
const FONT = { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' };
// Okabe–Ito, then darker variants; each line also has its own point style and dash, so colour is never alone.
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#000000', '#7a6a00', '#5b3c8c', '#00506e', '#8a3b12', '#3d7a3d'];
const POINTS = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot', 'rectRounded', 'cross'];
const DASHES = [[], [6, 3], [2, 3], [8, 3, 2, 3]];

const toTime = (iso) => Date.parse(`${iso}T00:00:00Z`);
const toIso = (t) => new Date(t).toISOString().slice(0, 10);

/** The trend, or null when this server does not answer personTrend yet. */
export async function loadTrend(personId, target) {
  try {
    return (await graphql(TREND, { id: personId, target: target || null })).personTrend;
  } catch (error) {
    if (error.code === 'GRAPHQL_VALIDATION_FAILED' && /personTrend|PersonTrend/.test(error.message)) return null;
    throw error;
  }
}

function timeAxis(points) {
  const times = points.map((p) => toTime(p.at));
  const min = Math.min(...times);
  const max = Math.max(...times);
  const pad = Math.max(DAY * 7, (max - min) * 0.02);
  return {
    type: 'linear', min: min - pad, max: max + pad,
    ticks: { font: FONT, maxTicksLimit: 8, callback: (value) => toIso(value) },
    title: { display: true, text: 'Date', font: FONT },
  };
}

/** Draw the two charts into their canvases; returns the Chart instances. */
export async function drawTrend(levelCanvas, readinessCanvas, trend, { maxLevel }) {
  const Chart = await chartLib();
  Chart.getChart(levelCanvas)?.destroy();
  Chart.getChart(readinessCanvas)?.destroy();
  const x = timeAxis(trend.points);
  const levelSets = trend.competencies.map((series, i) => ({
    label: series.competency.name,
    competencyId: series.competency.id,
    data: series.points.map((p) => ({ x: toTime(p.at), y: p.level })),
    stepped: true,
    borderColor: PALETTE[i % PALETTE.length],
    backgroundColor: PALETTE[i % PALETTE.length],
    borderDash: DASHES[Math.floor(i / PALETTE.length) % DASHES.length],
    borderWidth: 2,
    pointStyle: POINTS[i % POINTS.length],
    pointRadius: 3,
    pointHoverRadius: 6,
  }));
  const levels = new Chart(levelCanvas, {
    type: 'line',
    data: { datasets: levelSets },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      parsing: false, normalized: true,
      interaction: { mode: 'nearest', intersect: false },
      plugins: {
        legend: { position: 'bottom', labels: { usePointStyle: true, font: FONT, boxWidth: 10 } },
        tooltip: { callbacks: { title: (items) => toIso(items[0].parsed.x), label: (item) => `${item.dataset.label}: level ${item.parsed.y}` } },
      },
      scales: {
        x,
        y: { min: 0, max: maxLevel, ticks: { stepSize: 1, font: FONT }, title: { display: true, text: 'Level', font: FONT } },
      },
    },
  });
  const readiness = new Chart(readinessCanvas, {
    type: 'line',
    data: {
      datasets: [
        {
          label: `Readiness for ${trend.target?.title ?? 'the target'}`,
          data: trend.points.map((p) => ({ x: toTime(p.at), y: p.readiness })),
          stepped: true, borderColor: COLOURS.blue, backgroundColor: 'rgba(0,114,178,0.15)', fill: 'origin',
          borderWidth: 2.5, pointStyle: 'circle', pointRadius: 4, pointBackgroundColor: COLOURS.blue,
        },
      ],
    },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, parsing: false,
      interaction: { mode: 'nearest', intersect: false },
      plugins: {
        legend: { position: 'bottom', labels: { usePointStyle: true, font: FONT } },
        tooltip: {
          callbacks: {
            title: (items) => toIso(items[0].parsed.x),
            label: (item) => {
              const p = trend.points[item.dataIndex];
              return `Readiness ${pct(p.readiness)} · gap ${num(p.gap)} · ${words(p.verdict)}`;
            },
          },
        },
      },
      scales: {
        x,
        y: { min: 0, max: 1, ticks: { stepSize: 0.2, font: FONT, callback: (v) => pct(v) }, title: { display: true, text: 'Readiness', font: FONT } },
      },
    },
  });
  return { levels, readiness };
}

/** The same numbers as tables: readiness per date, and each competency's level per date. */
export function trendTables(trend, { ownWord }) {
  const dates = trend.points.map((p) => p.at);
  return h('details', { class: 'trend-tables' }, h('summary', {}, 'The same numbers as tables'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'trend-readiness-table' },
      h('caption', {}, `${ownWord} readiness for ${trend.target?.title ?? 'the target'} over time`),
      h('thead', {}, h('tr', {}, ['Date', 'Gap', 'Readiness', 'Verdict'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, trend.points.map((p) => h('tr', { dataset: { at: p.at } },
        h('th', { scope: 'row' }, h('time', { datetime: p.at }, p.at)),
        h('td', { class: 'num' }, num(p.gap)), h('td', { class: 'num' }, pct(p.readiness)), h('td', {}, words(p.verdict))))))),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data trend-levels-table', id: 'trend-levels-table' },
      h('caption', {}, `${ownWord} level per competency over time`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Competency'), h('th', { scope: 'col' }, 'Required'),
        dates.map((d) => h('th', { scope: 'col' }, h('time', { datetime: d }, d))))),
      h('tbody', {}, trend.competencies.map((s) => h('tr', { dataset: { competencyId: s.competency.id } },
        h('th', { scope: 'row' }, s.competency.name),
        h('td', { class: 'num' }, s.required ?? '—'),
        s.points.map((p, i) => h('td', { class: `num${i && s.points[i - 1].level !== p.level ? ' changed' : ''}` }, String(p.level)))))))));
}

/** Fill `body` with the charts, their captions and the tables. */
export async function renderGrowth(body, trend, { maxLevel, ownWord }) {
  if (!trend) {
    body.replaceChildren(empty('Growth over time is not available on this server yet (it does not answer personTrend).'));
    return null;
  }
  if (!trend.target) {
    body.replaceChildren(empty('Choose a target role to see readiness over time: there is no saved target and no current role.'));
    return null;
  }
  const first = trend.points[0]?.at;
  const last = trend.points[trend.points.length - 1]?.at;
  const levelCanvas = h('canvas', {
    id: 'trend-levels', role: 'img',
    'aria-label': `Level per competency from ${first} to ${last}: ${trend.competencies.map((s) => `${s.competency.name} ${s.points[0]?.level ?? 0} to ${s.points[s.points.length - 1]?.level ?? 0}`).join('; ')}`,
  });
  const readinessCanvas = h('canvas', {
    id: 'trend-readiness', role: 'img',
    'aria-label': `Readiness for ${trend.target.title} from ${pct(trend.points[0]?.readiness ?? 0)} on ${first} to ${pct(trend.points[trend.points.length - 1]?.readiness ?? 0)} on ${last}`,
  });
  const height = Math.max(320, 260 + Math.ceil(trend.competencies.length / 4) * 22);
  body.replaceChildren(
    h('div', { class: 'growth-grid' },
      h('figure', { class: 'chart trend-chart' }, h('div', { class: 'chart-box', style: `height:${height}px` }, levelCanvas),
        h('figcaption', {}, `${ownWord} level in each competency over time (a step at each assessment that changed it). Select a name in the key to hide or show its line.`)),
      h('figure', { class: 'chart trend-chart' }, h('div', { class: 'chart-box', style: `height:${height}px` }, readinessCanvas),
        h('figcaption', {}, `${ownWord} readiness for ${trend.target.title} over time (a step at each assessment date; today last).`))),
    trendTables(trend, { ownWord }));
  return drawTrend(levelCanvas, readinessCanvas, trend, { maxLevel });
}
