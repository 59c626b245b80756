// What every part of the editor shares: forms whose refusals show next to the field that caused them, a
// confirmation dialog before deletes, the live checklist of framework issues, ids made from names.
import { h, announce, words } from '../dom.js';
import { graphql } from '../api.js';
import { forget } from '../catalogue.js';

let serial = 0;
const uid = (prefix) => `${prefix}-${++serial}`;

/** "Senior Data Engineer" → "senior-data-engineer" (what ids look like in Trellis). */
export function slug(text) {
  return String(text).normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
}

export function editorHref(...parts) {
  return `#/editor/${parts.map((p) => encodeURIComponent(p)).join('/')}`;
}

// --- the checklist: frameworkIssues, refreshed after every edit --------------------------------------

const listeners = new Set();

/** Tell the checklist (and anything else listening) that the organisation changed. */
export function changed() {
  forget();     // the other views read the architecture afresh
  for (const listener of listeners) listener();
}

function subjectLink(id, known, code) {
  // A role nobody can reach is fixed by adding a move into it: straight to the Moves section.
  if (code === 'UNREACHABLE_ROLE' && known.roles.has(id)) {
    return h('a', { href: `${editorHref('moves')}?role=${encodeURIComponent(id)}`, class: 'fix-moves' }, `${known.roles.get(id)} (moves)`);
  }
  if (known.roles.has(id)) return h('a', { href: editorHref('role', id) }, known.roles.get(id));
  if (known.competencies.has(id)) return h('a', { href: editorHref('competency', id) }, known.competencies.get(id));
  return h('code', {}, id);
}

/** The framework checks as a live list; it re-reads frameworkIssues whenever ``changed()`` is called. */
export function checklist() {
  const body = h('div', { class: 'checks-body', 'aria-live': 'polite' });
  const box = h('aside', { class: 'panel checks', id: 'framework-checks', 'aria-labelledby': 'checks-title' },
    h('h2', { id: 'checks-title' }, 'Framework checks'),
    h('p', { class: 'hint' }, 'What makes the framework weak. It updates after every change you save.'),
    body);
  let run = 0;
  async function load() {
    const mine = ++run;
    box.setAttribute('aria-busy', 'true');
    let data;
    try {
      data = await graphql(`query Checks { frameworkIssues { severity code message subjects }
        roles(first: 1000) { nodes { id title } } competencies(first: 1000) { nodes { id name } } }`);
    } catch (error) {
      if (mine !== run) return;
      box.removeAttribute('aria-busy');
      body.replaceChildren(h('p', { class: 'field-error' }, `The checks could not be loaded: ${error.message}`));
      return;
    }
    if (mine !== run || !box.isConnected && run > 1) return;
    const known = { roles: new Map(data.roles.nodes.map((r) => [r.id, r.title])),
      competencies: new Map(data.competencies.nodes.map((c) => [c.id, c.name])) };
    const issues = data.frameworkIssues;
    const errors = issues.filter((i) => i.severity === 'ERROR').length;
    body.replaceChildren(...[
      h('p', { class: `checks-summary ${issues.length ? '' : 'checks-ok'}`, id: 'checks-summary', dataset: { errors: String(errors), warnings: String(issues.length - errors) } },
        issues.length ? `${errors} ${errors === 1 ? 'error' : 'errors'}, ${issues.length - errors} ${issues.length - errors === 1 ? 'warning' : 'warnings'}`
          : '✓ No issues: every check passes.'),
      issues.length ? h('ul', { class: 'checks-list', id: 'checks-list' }, issues.map((issue) => h('li', {
        class: `check check-${issue.severity.toLowerCase()}`, dataset: { code: issue.code, subjects: issue.subjects.join(' ') },
      },
      h('span', { class: `check-severity severity-${issue.severity.toLowerCase()}` }, issue.severity === 'ERROR' ? '✗ Error' : '! Warning'), ' ',
      h('span', { class: 'check-code' }, words(issue.code)), ': ', issue.message,
      issue.subjects.length ? h('span', { class: 'check-subjects' }, ' — fix: ', issue.subjects.map((s, i) => [i ? ', ' : '', subjectLink(s, known, issue.code)])) : null)))
        : null].filter(Boolean));
    box.removeAttribute('aria-busy');
    box.dataset.loaded = String(run);
  }
  listeners.clear();
  listeners.add(load);
  load();
  return box;
}

// --- forms ------------------------------------------------------------------------------------------

/**
 * A labelled control: {name, label, type: text|number|select|textarea|checkbox, value, options: [[value, text]],
 * hint, required, readonly, min, max, step}. Returns the wrapper; the control is ``wrap.control``.
 */
export function field(spec, prefix = 'f') {
  const id = spec.id ?? uid(`${prefix}-${spec.name}`);
  const common = { id, name: spec.name, required: spec.required, readonly: spec.readonly,
    'aria-describedby': spec.hint ? `${id}-hint` : undefined, autocomplete: 'off' };
  let control;
  if (spec.type === 'select') {
    control = h('select', common, (spec.options ?? []).map(([value, text]) => h('option', { value, selected: String(value) === String(spec.value ?? '') }, text)));
  } else if (spec.type === 'textarea') {
    control = h('textarea', { ...common, rows: spec.rows ?? 3 }, spec.value ?? '');
  } else if (spec.type === 'checkbox') {
    control = h('input', { ...common, type: 'checkbox', checked: Boolean(spec.value) });
  } else {
    control = h('input', { ...common, type: spec.type ?? 'text', value: spec.value ?? '', min: spec.min, max: spec.max, step: spec.step,
      placeholder: spec.placeholder });
  }
  const label = h('label', { for: id }, spec.label);
  const wrap = h('div', { class: `field field-${spec.type ?? 'text'}`, dataset: { field: spec.name } },
    spec.type === 'checkbox' ? [control, ' ', label] : [label, control],
    spec.hint ? h('p', { class: 'hint', id: `${id}-hint` }, spec.hint) : null);
  wrap.control = control;
  return wrap;
}

export function valueOf(control) {
  if (control.type === 'checkbox') return control.checked;
  if (control.type === 'number') return control.value === '' ? null : Number(control.value);
  return control.value;
}

const KIND_FIELDS = { 'job family': 'familyId', level: 'levelId', track: 'trackId', competency: 'competencyId', role: 'roleId' };

/** The field a refusal is about: "title: must not be empty." → title; "No level with id 'x'." → levelId. */
export function fieldOf(error) {
  const message = error?.message ?? '';
  const named = message.match(/^(?:input(?:\[\d+\])?\.)?([A-Za-z]+)(?:\[(\d+)\])?(?:\.([A-Za-z]+))?:/);
  if (named) return { name: named[1], index: named[2] === undefined ? null : Number(named[2]), sub: named[3] ?? null };
  const missing = message.match(/^No (.+?) with id '/);
  if (missing && KIND_FIELDS[missing[1]]) return { name: KIND_FIELDS[missing[1]], index: null, sub: null };
  return null;
}

/** The words of a refusal, with the dependants listed (CONFLICT on a delete names what uses the thing). */
export function refusal(error, { id } = {}) {
  const problems = error?.errors?.[0]?.extensions?.problems ?? error?.problems ?? [];
  const title = { CONFLICT: 'Refused: it clashes with what is stored.', BAD_INPUT: 'Refused: the value is not valid.',
    NOT_FOUND: 'Refused: something it names does not exist.', FORBIDDEN: 'Refused: you may not do this.',
    UNAUTHENTICATED: 'Please sign in again.' }[error?.code] ?? 'It could not be saved.';
  return h('div', { class: 'field-error', role: 'alert', id, dataset: { code: error?.code ?? 'ERROR' } },
    h('strong', {}, title), ' ', error?.message ?? String(error),
    problems.length ? h('ul', { class: 'problems' }, problems.map((p) => h('li', {}, p))) : null);
}

/** Show a refusal next to ``control`` (marking it invalid), or under ``fallback``. Returns the message node. */
export function showRefusal(error, control, fallback) {
  const anchor = control ? control.closest('.field, td, .inline') ?? control : fallback;
  const node = refusal(error, { id: control?.id ? `${control.id}-error` : undefined });
  if (control) {
    control.setAttribute('aria-invalid', 'true');
    const described = (control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
    if (node.id && !described.includes(node.id)) control.setAttribute('aria-describedby', [...described, node.id].join(' '));
  }
  anchor.append(node);
  return node;
}

export function clearRefusals(root) {
  for (const node of root.querySelectorAll('.field-error')) node.remove();
  for (const node of root.querySelectorAll('[aria-invalid]')) {
    node.removeAttribute('aria-invalid');
    const kept = (node.getAttribute('aria-describedby') ?? '').split(' ').filter((d) => d && !d.endsWith('-error'));
    if (kept.length) node.setAttribute('aria-describedby', kept.join(' ')); else node.removeAttribute('aria-describedby');
  }
  for (const node of root.querySelectorAll('.form-done')) node.remove();
}

/**
 * A form: fields (see ``field``), a submit button named by what it does, and ``onSubmit(values)`` which runs
 * one mutation. A refusal shows next to the field it names (``aliases`` maps a server field to a form field),
 * else under the button; success shows ``done(result)`` (a string) beside the button.
 */
export function editForm({ id, fields, submit, onSubmit, done, aliases = {}, fallbackField, className, before, after }) {
  const wraps = fields.map((spec) => field(spec, id));
  const controls = new Map(wraps.map((w) => [w.dataset.field, w.control]));
  const button = h('button', { type: 'submit', class: 'button' }, submit);
  const foot = h('div', { class: 'form-foot' }, button);
  const form = h('form', { id, class: `edit-form ${className ?? ''}`.trim(), novalidate: true }, before ?? null, wraps, after ?? null, foot);
  form.controls = controls;
  form.values = () => Object.fromEntries([...controls].map(([name, control]) => [name, valueOf(control)]));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearRefusals(form);
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const result = await onSubmit(form.values(), form);
      const text = typeof done === 'function' ? done(result) : done;
      if (text) {
        foot.append(h('p', { class: 'form-done', role: 'status' }, `✓ ${text}`));
        announce(text);
      }
    } catch (error) {
      const target = fieldOf(error);
      const name = target ? aliases[target.name] ?? target.name : fallbackField ?? null;
      showRefusal(error, name ? controls.get(name) ?? null : null, foot);
      announce(`Not saved: ${error.message}`);
      if (name && controls.get(name)) controls.get(name).focus();
    } finally {
      button.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
  return form;
}

// --- confirmation --------------------------------------------------------------------------------

/** A modal dialog asking to confirm; resolves true when confirmed. ``confirmLabel`` names the action. */
export function confirmDialog({ title, message, confirmLabel, danger = true }) {
  return new Promise((resolve) => {
    const titleId = uid('confirm-title');
    const yes = h('button', { type: 'button', class: `button ${danger ? 'danger' : ''}`, dataset: { confirm: 'yes' } }, confirmLabel);
    const no = h('button', { type: 'button', class: 'button secondary', dataset: { confirm: 'no' } }, 'Cancel');
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': titleId, 'aria-modal': 'true' },
      h('h2', { id: titleId }, title), h('p', {}, message), h('div', { class: 'form-foot' }, yes, no));
    const finish = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    yes.addEventListener('click', () => finish(true));
    no.addEventListener('click', () => finish(false));
    dialog.addEventListener('cancel', (event) => { event.preventDefault(); finish(false); });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}

/**
 * A delete button: asks first, runs ``remove(cascade)``; a CONFLICT (something depends on it) is shown beside
 * the button with the dependants listed, and a second button offers to delete those links too (cascade).
 */
export function deleteButton({ label, what, remove, onDone, cascadeNote }) {
  const button = h('button', { type: 'button', class: 'button danger' }, label);
  const box = h('div', { class: 'inline delete-box' }, button);
  async function run(cascade) {
    clearRefusals(box);
    box.querySelector('.cascade')?.remove();
    const ok = await confirmDialog({
      title: cascade ? `Delete ${what} and what depends on it?` : `Delete ${what}?`,
      message: cascade ? (cascadeNote ?? 'Everything listed that uses it is changed or removed too. This cannot be undone.')
        : 'This cannot be undone.',
      confirmLabel: cascade ? 'Delete it and its dependants' : 'Delete',
    });
    if (!ok) return;
    try {
      await remove(cascade);
      announce(`Deleted ${what}.`);
      changed();
      onDone?.();
    } catch (error) {
      showRefusal(error, button, box);
      if (error.code === 'CONFLICT' && !cascade) {
        box.append(h('button', { type: 'button', class: 'button secondary cascade', onclick: () => run(true) },
          `Delete ${what} anyway, with its dependants`));
      }
      announce(`Not deleted: ${error.message}`);
    }
  }
  button.addEventListener('click', () => run(false));
  return box;
}

/** A select's options from a list, with an empty first choice. */
export function options(list, valueKey, textOf, emptyText = '— none —') {
  return [['', emptyText], ...list.map((item) => [item[valueKey], textOf(item)])];
}
