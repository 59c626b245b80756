// Charts drawn with Chart.js (vendored UMD build, loaded on first use; it sets globalThis.Chart).
import { COLOURS } from './graphs.js';

let library = null;

export function chartLib() {
  library ??= import('../vendor/chart.umd.min.js').then(() => globalThis.Chart);
  return library;
}

function wrap(label, width = 16) {
  const lines = [];
  let line = '';
  for (const word of label.split(' ')) {
    if (line && (line + word).length > width) {
      lines.push(line.trim());
      line = '';
    }
    line += `${word} `;
  }
  if (line.trim()) lines.push(line.trim());
  return lines;
}

/**
 * A radar's level numbers, readable whatever the data: on the bisector between the last and the first spoke (where
 * no data point lies), drawn after the datasets on a white label with a border. Their boxes are kept on the chart
 * as `chart.$levelLabels` ({value, x, y, width, height}, canvas pixels) for the tests.
 */
const levelLabels = {
  id: 'trellisLevelLabels',
  afterDatasetsDraw(chart) {
    const scale = chart.scales.r;
    if (!scale) return;
    const { ctx } = chart;
    const boxes = [];
    ctx.save();
    ctx.font = `600 10.5px ${FONT.family}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (let value = Math.ceil(scale.min) + 1; value <= scale.max; value += 1) {
      const { x, y } = scale.getPointPositionForValue(-0.5, value);
      const width = ctx.measureText(String(value)).width + 6;
      const height = 14;
      ctx.fillStyle = 'rgba(255,255,255,0.94)';
      ctx.strokeStyle = '#8a94a3';
      ctx.lineWidth = 1;
      ctx.beginPath();
      if (ctx.roundRect) ctx.roundRect(x - width / 2, y - height / 2, width, height, 4);
      else ctx.rect(x - width / 2, y - height / 2, width, height);
      ctx.fill();
      ctx.stroke();
      ctx.fillStyle = '#1d2430';
      ctx.fillText(String(value), x, y + 0.5);
      boxes.push({ value, x, y, width, height });
    }
    ctx.restore();
    chart.$levelLabels = boxes;
  },
};

/**
 * Current vs required per competency: a radar for three or more competencies, else bars.
 * items: [{name, current, required}]; maxLevel: the top of the scale.
 */
export async function currentVsRequired(canvas, items, maxLevel = 5) {
  const Chart = await chartLib();
  Chart.getChart(canvas)?.destroy();
  // A radar from three competencies up; on a narrow screen, horizontal bars (their labels stay readable).
  const box = canvas.parentElement;
  const narrow = box && box.clientWidth > 0 && box.clientWidth < 520;
  const radar = items.length >= 3 && !narrow;
  if (box) box.style.height = radar ? '' : `${Math.max(180, items.length * (narrow ? 46 : 40) + 70)}px`;
  const labels = items.map((i) => wrap(i.name, radar ? 16 : 18));
  const datasets = [
    {
      label: 'Required', data: items.map((i) => i.required), borderColor: COLOURS.orange,
      backgroundColor: radar ? 'rgba(230,159,0,0.10)' : 'rgba(230,159,0,0.55)', borderDash: [6, 4], borderWidth: 2,
      pointStyle: 'rectRot', pointRadius: 5, pointBackgroundColor: COLOURS.orange,
    },
    {
      label: 'Current', data: items.map((i) => i.current), borderColor: COLOURS.blue,
      backgroundColor: radar ? 'rgba(0,114,178,0.22)' : 'rgba(0,114,178,0.8)', borderWidth: 2,
      pointStyle: 'circle', pointRadius: 4, pointBackgroundColor: COLOURS.blue,
    },
  ];
  const font = { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' };
  return new Chart(canvas, {
    type: radar ? 'radar' : 'bar',
    data: { labels, datasets },
    plugins: radar ? [levelLabels] : [],
    options: {
      animation: false,
      responsive: true,
      indexAxis: radar ? undefined : 'y',
      maintainAspectRatio: false,
      plugins: {
        legend: { position: 'bottom', labels: { usePointStyle: true, font } },
        tooltip: { callbacks: { title: (ctx) => items[ctx[0].dataIndex].name } },
      },
      scales: radar
        // The level numbers are drawn by `levelLabels` (between two spokes, over the data), not as Chart.js ticks:
        // those sit on the first spoke, under its points.
        ? { r: { min: 0, max: maxLevel, ticks: { stepSize: 1, display: false, font }, pointLabels: { font: { ...font, size: 11 } } } }
        : { x: { min: 0, max: maxLevel, ticks: { stepSize: 1, font } }, y: { ticks: { font, autoSkip: false } } },
    },
  });
}

/** Destroy a canvas's chart, if any (when a view is re-rendered). */
export function destroyChart(canvas) {
  globalThis.Chart?.getChart(canvas)?.destroy();
}

// Okabe–Ito, in an order that keeps neighbours apart; each series also gets its own point shape and dash.
export const SERIES = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000'];
const SHAPES = ['circle', 'rectRot', 'triangle', 'rect', 'star', 'crossRot', 'rectRounded'];
const DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3], [4, 2], [8, 6], [1, 2]];
const FONT = { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' };

/**
 * Lines over time. series: [{label, data: [number], colour?}], labels: one per point.
 * opts: {yTitle, percent (0..1 shown as %), min, max, extra: more datasets (e.g. bars on a second axis), y1Title}
 */
export async function lineChart(canvas, labels, series, opts = {}) {
  const Chart = await chartLib();
  Chart.getChart(canvas)?.destroy();
  const datasets = series.map((s, i) => ({
    label: s.label, data: s.data, type: 'line', yAxisID: 'y',
    borderColor: s.colour ?? SERIES[i % SERIES.length], backgroundColor: s.colour ?? SERIES[i % SERIES.length],
    borderDash: DASHES[i % DASHES.length], borderWidth: 2.5, pointStyle: SHAPES[i % SHAPES.length], pointRadius: 5,
    pointHoverRadius: 7, tension: 0, fill: false,
  }));
  for (const extra of opts.extra ?? []) datasets.push({ yAxisID: 'y1', ...extra });
  const tick = opts.percent ? (v) => `${Math.round(v * 100)}%` : (v) => v;
  const scales = {
    x: { ticks: { font: FONT } },
    y: {
      min: opts.min, max: opts.max, beginAtZero: true, title: { display: Boolean(opts.yTitle), text: opts.yTitle, font: FONT },
      ticks: { font: FONT, callback: tick, ...(opts.percent ? { stepSize: 0.1 } : {}) },
    },
  };
  if (opts.extra?.length) {
    scales.y1 = { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false },
      title: { display: Boolean(opts.y1Title), text: opts.y1Title, font: FONT }, ticks: { font: FONT } };
  }
  return new Chart(canvas, {
    type: 'line',
    data: { labels, datasets },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { position: 'bottom', labels: { usePointStyle: true, font: FONT } },
        tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${ctx.dataset.yAxisID === 'y' && opts.percent ? `${Math.round(ctx.parsed.y * 100)}%` : Math.round(ctx.parsed.y * 100) / 100}` } },
      },
      scales,
    },
  });
}

/** Horizontal bars, one per label, several datasets side by side (e.g. cover now vs after someone leaves). */
export async function barChart(canvas, labels, series, opts = {}) {
  const Chart = await chartLib();
  Chart.getChart(canvas)?.destroy();
  const patterns = opts.stacked ? ['#08306b', '#3a7bb5', '#8fbce0'] : [null, 'rgba(230,159,0,0.85)'];
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: series.map((s, i) => ({
        label: s.label, data: s.data, backgroundColor: s.colour ?? patterns[i] ?? SERIES[i % SERIES.length],
        borderColor: opts.stacked ? '#1d2430' : SERIES[i % SERIES.length], borderWidth: opts.stacked ? 1 : 1.5,
      })),
    },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, indexAxis: 'y',
      plugins: { legend: { position: 'bottom', labels: { font: FONT } } },
      scales: {
        x: { stacked: Boolean(opts.stacked), beginAtZero: true, ticks: { stepSize: 1, precision: 0, font: FONT }, title: { display: Boolean(opts.xTitle), text: opts.xTitle, font: FONT } },
        y: { stacked: Boolean(opts.stacked), ticks: { font: FONT, autoSkip: false } },
      },
    },
  });
}
