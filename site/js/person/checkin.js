// The check-in form: pick competencies (the person's role's first, others by name), see what the current and
// the next level look like, record the level seen with evidence. A manager records as MANAGER, HR chooses the
// source, a person on their own page records SELF. The server decides what is allowed: its refusals are shown
// next to the field they name, and nothing is written unless everything is.
import { h, words, announce, plural } from '../dom.js';
import { competencyFinder } from '../finder.js';
import { indicatorsAround, recordAll } from './queries.js';

export const EVIDENCE_KINDS = ['1-on-1', 'feedback', 'review', 'course completion', 'certification'];

/** Today in the viewer's own time zone, as YYYY-MM-DD. */
export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const HR_SOURCES = [['ASSESSED', 'A formal assessment (most trusted)'], ['MANAGER', 'A manager’s observation'], ['PEER', 'A peer’s feedback']];

/**
 * The form. `getPerson()` gives the person as last loaded (their levels); `onRecorded(records)` is awaited after a
 * successful write (the page reloads what changed), then the form redraws the current levels. Returns {node, refresh}.
 */
export function checkInForm({ getPerson, mode, first, framework, onRecorded }) {
  const person = getPerson();
  const own = mode === 'SELF';
  const maxLevel = Math.max(...framework.scale.map((s) => s.level));
  const scaleName = new Map(framework.scale.map((s) => [s.level, s.name]));
  const picked = new Map();                  // competency id → {competency, card, select}
  const pickBoxes = new Map();               // competency id → checkbox (the role's competencies)

  const levelOf = (id) => getPerson().proficiencies.find((p) => p.competency.id === id) ?? null;
  const fieldError = (id) => h('p', { class: 'field-error', id: `${id}-error`, hidden: true });

  // --- which competencies -------------------------------------------------------------------
  const cards = h('div', { class: 'checkin-items', id: 'checkin-items', 'aria-live': 'polite' });
  const noneYet = h('p', { class: 'status empty', id: 'checkin-none' }, own
    ? 'Tick the competencies you want to rate yourself on.' : `Tick the competencies you talked about with ${first}.`);
  cards.append(noneYet);

  function pick(competency) {
    if (picked.has(competency.id)) {
      picked.get(competency.id).select.focus();
      return;
    }
    const entry = { competency, card: null, select: null };
    picked.set(competency.id, entry);
    drawCard(entry);
    noneYet.hidden = true;
    const box = pickBoxes.get(competency.id);
    if (box) box.checked = true;
  }

  function unpick(id) {
    const entry = picked.get(id);
    if (!entry) return;
    entry.card.remove();
    picked.delete(id);
    const box = pickBoxes.get(id);
    if (box) box.checked = false;
    noneYet.hidden = picked.size > 0;
  }

  function drawCard(entry) {
    const { competency } = entry;
    const prof = levelOf(competency.id);
    const current = prof?.level ?? 0;
    const selectId = `checkin-level-${competency.id}`;
    // Nothing is claimed until a level is chosen: an untouched row stays "unchanged" and is not recorded.
    const select = h('select', {
      id: selectId, name: `level-${competency.id}`, 'aria-describedby': `${selectId}-change ${selectId}-error`, dataset: { competencyId: competency.id },
    }, h('option', { value: '', selected: true }, prof ? `Unchanged (now ${current}${scaleName.get(current) ? ` · ${scaleName.get(current)}` : ''})` : 'Unchanged (not assessed)'),
    Array.from({ length: maxLevel + 1 }, (_, level) => h('option', { value: String(level) },
      `${level} · ${level === 0 ? 'None' : scaleName.get(level) ?? ''}`)));
    const change = h('span', { class: 'checkin-change', id: `${selectId}-change` });
    const showChange = () => {
      const chosen = select.value === '' ? null : Number(select.value);
      card.dataset.changed = String(chosen !== null);
      change.textContent = chosen === null ? 'Unchanged: not recorded.'
        : chosen === current && prof ? `Records level ${chosen} again (${own ? 'you confirm it' : 'confirms it'}).`
          : `Records level ${chosen}${prof ? ` (was ${current})` : ''}.`;
    };
    select.addEventListener('change', showChange);
    const nowBox = h('div', { class: 'indicators-now' }, h('p', { class: 'status' }, 'Loading…'));
    const nextBox = h('div', { class: 'indicators-next' }, h('p', { class: 'status' }, 'Loading…'));
    const card = h('article', { class: 'checkin-item', dataset: { competencyId: competency.id, current: String(current) } },
      h('div', { class: 'checkin-item-head' },
        h('h3', {}, competency.name),
        h('button', { type: 'button', class: 'button small secondary', onclick: () => unpick(competency.id), 'aria-label': `Remove ${competency.name}` }, 'Remove')),
      h('p', { class: 'muted small checkin-now' }, current
        ? `Now level ${current} · ${scaleName.get(current) ?? ''} (${words(prof.source).toLowerCase()}, ${prof.at}).`
        : 'Not assessed yet.'),
      h('div', { class: 'indicator-pair' },
        h('section', { 'aria-label': `${competency.name}: the current level` }, h('h4', {}, current ? `Level ${current} (now) looks like` : 'Now'), nowBox),
        h('section', { 'aria-label': `${competency.name}: the next level` }, h('h4', {}, current < maxLevel ? `Level ${current + 1} (next) looks like` : 'Next'), nextBox)),
      h('div', { class: 'field' }, h('label', { for: selectId }, own ? `My level in ${competency.name}` : `Level seen in ${competency.name}`), select,
        change, fieldError(selectId)));
    showChange();
    if (entry.card) entry.card.replaceWith(card);
    else cards.append(card);
    entry.card = card;
    entry.select = select;
    const list = (items, none) => (items.length ? h('ul', { class: 'indicators' }, items.map((i) => h('li', {}, i.text))) : h('p', { class: 'muted small' }, none));
    indicatorsAround(competency.id, current, maxLevel).then(({ now, next }) => {
      nowBox.replaceChildren(current ? list(now, 'The framework describes no behaviour for this level.') : h('p', { class: 'muted small' }, 'No level yet.'));
      nextBox.replaceChildren(current < maxLevel ? list(next, 'The framework describes no behaviour for this level.') : h('p', { class: 'muted small' }, 'This is the top of the scale.'));
    }, (error) => {
      nowBox.replaceChildren(h('p', { class: 'muted small' }, `Could not load the behaviours: ${error.message}`));
      nextBox.replaceChildren();
    });
  }

  const required = person.role?.requirements ?? [];
  const roleFieldset = required.length ? h('fieldset', { class: 'checkin-picks', id: 'checkin-picks' },
    h('legend', {}, person.role ? `Competencies of ${own ? 'my' : `${first}’s`} role, ${person.role.title}` : 'Competencies'),
    h('div', { class: 'pick-grid' }, required.map((req) => {
      const id = `pick-${req.competency.id}`;
      const box = h('input', {
        type: 'checkbox', id, value: req.competency.id,
        onchange: () => (box.checked ? pick(req.competency) : unpick(req.competency.id)),
      });
      pickBoxes.set(req.competency.id, box);
      const now = levelOf(req.competency.id)?.level ?? 0;
      return h('div', { class: 'pick' }, box, h('label', { for: id }, req.competency.name,
        h('span', { class: 'muted small' }, ` now ${now}, role needs ${req.level}`)));
    }))) : null;

  // Others by name (the API's search, as you type).
  const finder = competencyFinder({ id: 'checkin-find', listId: 'checkin-find-results', label: 'Add another competency by name',
    placeholder: 'e.g. coaching, SQL', add: (c) => { pick(c); picked.get(c.id)?.select.focus(); } });

  // --- when, what, evidence ---------------------------------------------------------------------
  const date = h('input', { type: 'date', id: 'checkin-date', name: 'at', value: today(), required: true, 'aria-describedby': 'checkin-date-error' });
  const note = h('textarea', { id: 'checkin-note', name: 'note', rows: '2', placeholder: own ? 'What I did that shows it' : 'What you saw' });
  const kind = h('select', { id: 'evidence-kind', name: 'evidence-kind', 'aria-describedby': 'evidence-kind-error' },
    own ? h('option', { value: '' }, 'No evidence') : null,
    EVIDENCE_KINDS.map((k) => h('option', { value: k, selected: !own && k === '1-on-1' }, k.charAt(0).toUpperCase() + k.slice(1))));
  const evNote = h('input', { type: 'text', id: 'evidence-note', name: 'evidence-note', placeholder: 'e.g. led the incident review', 'aria-describedby': 'evidence-note-error' });
  const evDate = h('input', { type: 'date', id: 'evidence-date', name: 'evidence-at', 'aria-describedby': 'evidence-date-error' });
  const source = mode === 'HR' ? h('select', { id: 'checkin-source', name: 'source', 'aria-describedby': 'checkin-source-error' },
    HR_SOURCES.map(([value, label]) => h('option', { value }, label))) : null;

  const message = h('div', { class: 'checkin-message', id: 'checkin-message', role: 'status', tabindex: '-1' });
  const general = h('div', { class: 'field-error general', id: 'checkin-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button', id: 'checkin-submit' }, own ? 'Record my self-assessment' : 'Record the check-in');

  const fields = {
    at: { input: date }, note: { input: note },
    'evidence.kind': { input: kind }, 'evidence.note': { input: evNote }, 'evidence.at': { input: evDate },
    source: { input: source },
  };

  function clearErrors() {
    for (const el of form.querySelectorAll('.field-error')) {
      el.hidden = true;
      el.textContent = '';
    }
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  }

  /** Put the server's refusal next to the field it names ("input[1].evidence[0].at: …"), else next to the button. */
  function showError(error, items) {
    const m = /^(?:input\[(\d+)\]\.)?([a-zA-Z]+)(?:\[\d+\])?(?:\.([a-zA-Z]+))?:\s*/.exec(error.message);
    let input = null;
    if (m && error.code === 'BAD_INPUT') {
      const [, index, field, sub] = m;
      if (field === 'level' && index !== undefined) input = picked.get(items[Number(index)]?.competencyId)?.select ?? null;
      else input = fields[sub ? `${field}.${sub}` : field]?.input ?? null;
    }
    if (error.code === 'FORBIDDEN' && source) input = source;
    const holder = input ? form.querySelector(`#${CSS.escape(input.id)}-error`) : null;
    const text = error.code === 'FORBIDDEN'
      ? `Not allowed: ${error.message} Nothing was recorded.`
      : error.code === 'BAD_INPUT' ? `${m ? error.message.slice(m[0].length) : error.message} Nothing was recorded.`
        : `Not recorded: ${error.message}`;
    const box = holder ?? general;
    box.textContent = text;
    box.dataset.code = error.code ?? 'ERROR';
    box.hidden = false;
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
    if (error.partial?.length) {
      general.hidden = false;
      general.textContent = `${text} (${plural(error.partial.length, 'assessment')} before it ${error.partial.length === 1 ? 'was' : 'were'} recorded.)`;
    }
    announce(text);
  }

  async function onSubmit(event) {
    event.preventDefault();
    clearErrors();
    message.replaceChildren();
    if (!picked.size) {
      general.textContent = own ? 'Tick at least one competency to rate yourself on.' : 'Tick at least one competency you talked about.';
      general.dataset.code = 'EMPTY';
      general.hidden = false;
      return;
    }
    const at = date.value || null;
    const evidence = kind.value ? [{ kind: kind.value, note: evNote.value.trim() || null, at: evDate.value || at }] : [];
    const src = own ? 'SELF' : mode === 'HR' ? source.value : 'MANAGER';
    const chosen = [...picked.values()].filter(({ select }) => select.value !== '');
    if (!chosen.length) {
      general.textContent = 'Choose a level for at least one competency: the ones left “Unchanged” are not recorded.';
      general.dataset.code = 'UNCHANGED';
      general.hidden = false;
      return;
    }
    const unchanged = picked.size - chosen.length;
    const items = chosen.map(({ competency, select }) => ({
      personId: person.id, competencyId: competency.id, level: Number(select.value), source: src,
      at, note: note.value.trim() || null, evidence,
    }));
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    let records;
    try {
      records = await recordAll(items);
    } catch (error) {
      showError(error, items);
      return;
    } finally {
      submit.disabled = false;
      submit.removeAttribute('aria-busy');
    }
    const summary = records.map((r) => `${r.competency.name} at level ${r.level}`).join(', ');
    const ev = evidence.length ? ` with ${evidence[0].kind} evidence` : '';
    message.replaceChildren(h('p', { class: 'success', id: 'checkin-done', dataset: { ids: records.map((r) => r.id).join(',') } },
      h('strong', {}, 'Recorded. '),
      `${own ? 'Your self-assessment' : `${plural(records.length, 'assessment')} for ${first}`} (${words(src).toLowerCase()}, ${records[0]?.at ?? at}${ev}): ${summary}.`,
      unchanged ? ` ${plural(unchanged, 'competency', 'competencies')} left unchanged, not recorded.` : '',
      own ? ' Ask your manager to verify it at your next check-in.' : ''));
    note.value = '';
    evNote.value = '';
    await onRecorded(records);
    refresh();
    message.focus();
    announce(message.textContent);
  }

  const form = h('form', { id: 'checkin-form', class: 'checkin-form', novalidate: true, onsubmit: onSubmit },
    roleFieldset, finder, cards,
    h('fieldset', { class: 'checkin-when' }, h('legend', {}, own ? 'When and what' : 'The check-in'),
      h('div', { class: 'field-row' },
        h('div', { class: 'field' }, h('label', { for: 'checkin-date' }, own ? 'Date' : 'Date of the check-in'), date, fieldError('checkin-date')),
        source ? h('div', { class: 'field' }, h('label', { for: 'checkin-source' }, 'Record as'), source, fieldError('checkin-source')) : null),
      h('div', { class: 'field' }, h('label', { for: 'checkin-note' }, 'Note'), note, fieldError('checkin-note'))),
    h('fieldset', { class: 'checkin-evidence' }, h('legend', {}, 'Evidence'),
      h('div', { class: 'field-row' },
        h('div', { class: 'field' }, h('label', { for: 'evidence-kind' }, 'Kind of evidence'), kind, fieldError('evidence-kind')),
        h('div', { class: 'field' }, h('label', { for: 'evidence-date' }, 'Date of the evidence (if not the same day)'), evDate, fieldError('evidence-date'))),
      h('div', { class: 'field' }, h('label', { for: 'evidence-note' }, 'What it shows'), evNote, fieldError('evidence-note'))),
    h('p', { class: 'source-note muted', id: 'checkin-source-note' }, own
      ? 'Recorded as a self-assessment (source: Self). It counts until your manager or a formal assessment records a level; until then it shows as self-only.'
      : mode === 'HR' ? `Recorded by you, for ${first}, with the source you choose above.`
        : `Recorded as your assessment as ${first}’s manager (source: Manager): it counts as verified for ${framework.validityDays} days.`),
    general,
    h('div', { class: 'actions' }, submit),
    message);

  /** Redraw the current levels (after the page reloaded the person). */
  function refresh() {
    for (const [id, box] of pickBoxes) {
      const label = box.nextElementSibling?.querySelector('.muted');
      const req = required.find((r) => r.competency.id === id);
      if (label && req) label.textContent = ` now ${levelOf(id)?.level ?? 0}, role needs ${req.level}`;
    }
    for (const entry of picked.values()) drawCard(entry);
  }

  return { node: form, refresh };
}
