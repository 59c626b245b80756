// Small DOM helpers: element creation, formatting, status messages. No framework.

/**
 * h('a', {href: '#/', class: 'x', onclick: fn, 'aria-label': 'y'}, 'text', child, [more, children])
 * Attributes: `class`, `text`, `html` is deliberately not supported (everything is text: no injection),
 * `on<event>` functions, `dataset` object, `style` (a CSS string, set through CSSOM so the Content-Security-Policy
 * needs no 'unsafe-inline'), booleans (true → present, false/null/undefined → absent).
 */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'style') node.style.cssText = value;   // CSSOM, not a style attribute: the CSP allows it
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'value' && 'value' in node) node.value = value;
    else if (key === 'checked' || key === 'selected' || key === 'disabled') node[key] = Boolean(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : String(child));
  }
}

/** A number as people read it: 10.5, 3, 0.25 (at most two decimals). */
export function num(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (Number.isInteger(x)) return String(x);
  return x.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}

/** A ratio 0..1 as a whole percentage: 0.7123 → "71%". */
export function pct(x) {
  return `${Math.round(x * 100)}%`;
}

export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

const WORDS = {
  READY: 'Ready', UPSKILL: 'Upskill', RESKILL: 'Reskill',
  READY_NOW: 'Ready now', READY_SOON: 'Ready soon', READY_LATER: 'Ready later',
  MISSING: 'Missing', BELOW: 'Below', MET: 'Met', EXCEEDS: 'Exceeds',
  VERIFIED: 'Verified', SELF_ONLY: 'Self/peer only', STALE: 'Stale', NONE: 'No evidence',
  EMPLOYEE: 'Employee', MANAGER: 'Manager', HR: 'HR', ANONYMOUS: 'Not signed in',
  TECHNICAL: 'Technical', BEHAVIOURAL: 'Behavioural', LEADERSHIP: 'Leadership', KNOWLEDGE: 'Knowledge',
  COURSE: 'Course', MENTORING: 'Mentoring', PROJECT: 'Project', READING: 'Reading', CERTIFICATION: 'Certification',
  IC: 'IC', MANAGEMENT: 'Management',
};

/** The words for an enum value: READY_SOON → "Ready soon". */
export function words(value) {
  return WORDS[value] ?? String(value).charAt(0) + String(value).slice(1).toLowerCase().replaceAll('_', ' ');
}

/** A badge for an enum value; the class carries the colour, the text carries the meaning. */
export function badge(value, kind = 'badge') {
  return h('span', { class: `${kind} ${kind}-${String(value).toLowerCase().replaceAll('_', '-')}` }, words(value));
}

/** A readiness bar: a <meter>-like bar with its percentage in text. */
export function readinessBar(readiness, label) {
  const value = Math.max(0, Math.min(1, readiness));
  return h('span', { class: 'readiness' },
    h('span', {
      class: 'bar', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100',
      'aria-valuenow': String(Math.round(value * 100)), 'aria-label': label ?? 'Readiness',
    }, h('span', { class: 'fill', style: `width:${(value * 100).toFixed(1)}%` })),
    h('span', { class: 'readiness-value', dataset: { value: String(readiness) } }, pct(readiness)));
}

/** The visually hidden live region: what assistive technologies announce. */
export function announce(text) {
  const region = document.getElementById('announce');
  if (!region) return;
  region.textContent = '';
  // A fresh text node on the next frame is announced even when the text repeats.
  requestAnimationFrame(() => { region.textContent = text; });
}

/** A loading placeholder (role=status so it is announced; aria-busy on its section). */
export function loading(text) {
  return h('p', { class: 'status loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
}

export function empty(text, ...more) {
  return h('p', { class: 'status empty' }, text, ...more);
}

/** A titled section whose body is filled in later: returns {section, body}. */
export function section(title, { id, level = 'h2', intro, className } = {}) {
  const headingId = id ? `${id}-title` : undefined;
  const body = h('div', { class: 'section-body' });
  const node = h('section', { class: `panel ${className ?? ''}`.trim(), id, 'aria-labelledby': headingId },
    h(level, { id: headingId }, title),
    intro ? h('p', { class: 'intro' }, intro) : null,
    body);
  return { section: node, body };
}

/** Replace a container's content while keeping the container (and its aria attributes). */
export function fill(container, ...children) {
  container.replaceChildren();
  append(container, children);
  container.removeAttribute('aria-busy');
  return container;
}

export function busy(container, text) {
  container.setAttribute('aria-busy', 'true');
  container.replaceChildren(loading(text));
}

/** Roles grouped by family as <optgroup>s for a <select>. */
export function roleOptions(families, roles, selected) {
  const byFamily = new Map(families.map((f) => [f.id, []]));
  const other = [];
  for (const role of roles) (byFamily.get(role.family?.id) ?? other).push(role);
  const groups = families.map((f) => [f.name, byFamily.get(f.id)]);
  if (other.length) groups.push(['Other', other]);
  return groups.filter(([, list]) => list.length).map(([name, list]) => h('optgroup', { label: name },
    list.map((role) => h('option', { value: role.id, selected: role.id === selected },
      `${role.title}${role.level ? ` (${role.level.name})` : ''}`))));
}

export function link(href, text, attrs = {}) {
  return h('a', { href, ...attrs }, text);
}

/**
 * The indicators of the described level nearest to ``level`` among those above ``floor`` (ties: the higher
 * one, where the way leads), for frameworks that describe only some levels (O*NET anchors three of seven):
 * {level, items}, or null when none is described.
 */
export function nearestDescribed(indicators, level, floor = 0) {
  const levels = [...new Set(indicators.map((i) => i.level))].filter((l) => l > floor);
  if (!levels.length) return null;
  const best = levels.sort((a, b) => Math.abs(a - level) - Math.abs(b - level) || b - a)[0];
  return { level: best, items: indicators.filter((i) => i.level === best) };
}
