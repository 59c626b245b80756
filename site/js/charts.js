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
        ? { r: { min: 0, max: maxLevel, ticks: { stepSize: 1, backdropColor: 'transparent', font }, pointLabels: { font: { ...font, size: 11 } } } }
        : { x: { min: 0, max: maxLevel, ticks: { stepSize: 1, font } }, y: { ticks: { font, autoSkip: false } } },
    },
  });
}

/** Destroy a canvas's chart, if any (when a view is re-rendered). */
export function destroyChart(canvas) {
  globalThis.Chart?.getChart(canvas)?.destroy();
}
