// CSV downloads built in the browser from what a page already has: RFC 4180 quoting, CRLF line ends, UTF-8 with a
// byte-order mark (so spreadsheets read accented names), and text that a spreadsheet would run as a formula
// (a cell beginning with = + - @, or a tab / carriage return) prefixed with a single quote.
import { h } from './dom.js';

const FORMULA = /^[=+\-@\t\r]/;

/** One cell as CSV text: numbers as they are, text neutralised and quoted when it must be. */
export function csvCell(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  let text = String(value);
  if (FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows (the first one the header) → CSV text. */
export function toCsv(rows) {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A file name from words: "Team of Grace Lindqvist" → "team-of-grace-lindqvist". */
export function fileSlug(...parts) {
  return parts.filter((p) => p !== null && p !== undefined && p !== '')
    .map((p) => String(p).normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, ''))
    .filter(Boolean).join('-') || 'trellis';
}

/** Hand the rows to the browser as a download named `filename` (".csv" added when missing). */
export function downloadCsv(filename, rows) {
  const name = filename.endsWith('.csv') ? filename : `${filename}.csv`;
  const blob = new Blob(['\ufeff', toCsv(rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A "Download CSV" button. rows(): the rows at the time of the click (header first); filename: a string or a
 * function giving one; what: words for screen readers ("the team heatmap").
 */
export function csvButton({ id, rows, filename, what, label = 'Download CSV' }) {
  return h('button', {
    type: 'button', class: 'button small secondary csv-download', id,
    onclick: () => downloadCsv(typeof filename === 'function' ? filename() : filename, rows()),
  }, h('span', { class: 'csv-mark', 'aria-hidden': 'true' }, '⤓ '), label,
  what ? h('span', { class: 'visually-hidden' }, ` of ${what}`) : null);
}
