// Competencies: the list and a form to create one (#/editor/competencies); one competency's details and its
// indicators per level — add, edit, reorder, delete; each level is saved with one setIndicators
// (#/editor/competency/<id>).
import { h, announce, empty, words } from '../dom.js';
import { allNodes, graphql } from '../api.js';
import { changed, clearRefusals, confirmDialog, deleteButton, editForm, editorHref, showRefusal } from './common.js';
import { autoId } from './structure.js';

const CATEGORIES = ['TECHNICAL', 'BEHAVIOURAL', 'LEADERSHIP', 'KNOWLEDGE'].map((c) => [c, words(c)]);
const SET = `mutation SetIndicators($competencyId: ID!, $level: Int!, $texts: [String!]!) {
  setIndicators(competencyId: $competencyId, level: $level, texts: $texts) { id indicators { level text } } }`;

async function list(ctx) {
  const comps = await allNodes('competencies', 'id name category requiredBy { id }');
  if (!ctx.isCurrent()) return;
  const search = h('input', { type: 'search', id: 'competency-filter', placeholder: 'e.g. design' });
  const items = comps.map((c) => h('li', { dataset: { id: c.id } }, h('a', { href: editorHref('competency', c.id) }, c.name),
    h('span', { class: 'muted small' }, ` · ${words(c.category)} · required by ${c.requiredBy.length} ${c.requiredBy.length === 1 ? 'role' : 'roles'}`)));
  search.addEventListener('input', () => {
    const q = search.value.trim().toLowerCase();
    comps.forEach((c, i) => { items[i].hidden = Boolean(q) && !`${c.name} ${c.id}`.toLowerCase().includes(q); });
  });
  const create = editForm({
    id: 'competency-create', className: 'create-form',
    fields: [
      { name: 'name', label: 'Name of the new competency', required: true },
      { name: 'id', label: 'Id', required: true, hint: 'Made from the name unless you type one.' },
      { name: 'category', label: 'Category', type: 'select', options: CATEGORIES },
      { name: 'description', label: 'Description', type: 'textarea' },
    ],
    submit: 'Create competency',
    onSubmit: async (values) => {
      const { createCompetency: c } = await graphql('mutation($input: CompetencyInput!) { createCompetency(input: $input) { id } }', { input: values });
      changed();
      location.hash = editorHref('competency', c.id);
    },
  });
  autoId(create, 'name');
  ctx.main.append(h('section', { class: 'panel', 'aria-labelledby': 'competencies-title' },
    h('h2', { id: 'competencies-title' }, 'Competencies'),
    h('p', { class: 'intro' }, `${comps.length} competencies. Choose one to change it and its indicators (what each level looks like).`),
    h('div', { class: 'field' }, h('label', { for: 'competency-filter' }, 'Filter by name'), search),
    comps.length ? h('ul', { class: 'plain-list columns', id: 'competency-list' }, items) : empty('No competencies yet.'),
    h('h3', {}, 'Create a competency'), create));
}

function levelEditor(comp, scaleLevel, texts) {
  const { level, name } = scaleLevel;
  const ol = h('ol', { class: 'indicator-list', id: `indicators-${level}` });
  const box = h('section', { class: 'indicator-level', dataset: { level: String(level) }, 'aria-labelledby': `level-${level}-title` },
    h('h3', { id: `level-${level}-title` }, `Level ${level} · ${name}`), ol);
  const foot = h('div', { class: 'form-foot' });
  let saved = [...texts];

  const inputs = () => [...ol.querySelectorAll('input[name="indicator"]')];
  const current = () => inputs().map((i) => i.value);

  async function save(texts, what) {
    clearRefusals(box);
    try {
      const data = await graphql(SET, { competencyId: comp.id, level, texts });
      saved = data.setIndicators.indicators.filter((i) => i.level === level).map((i) => i.text);
      draw(saved);
      foot.append(h('p', { class: 'form-done', role: 'status' }, `✓ ${what}`));
      announce(what);
      changed();
    } catch (error) {
      const index = /^texts\[(\d+)\]/.exec(error.message)?.[1];
      showRefusal(error, index !== undefined ? inputs()[Number(index)] ?? null : null, foot);
    }
  }

  function draw(list) {
    ol.replaceChildren(...list.map((text, i) => {
      const id = `indicator-${level}-${i}`;
      const input = h('input', { id, name: 'indicator', type: 'text', value: text, class: 'wide' });
      const up = h('button', { type: 'button', class: 'button small secondary', disabled: i === 0, 'aria-label': `Move indicator ${i + 1} of level ${level} up` }, '↑ Up');
      const down = h('button', { type: 'button', class: 'button small secondary', disabled: i === list.length - 1, 'aria-label': `Move indicator ${i + 1} of level ${level} down` }, '↓ Down');
      const del = h('button', { type: 'button', class: 'button small danger', 'aria-label': `Delete indicator ${i + 1} of level ${level}` }, 'Delete');
      up.addEventListener('click', () => {
        const texts = current();
        [texts[i - 1], texts[i]] = [texts[i], texts[i - 1]];
        save(texts, `Moved indicator ${i + 1} of level ${level} up.`);
      });
      down.addEventListener('click', () => {
        const texts = current();
        [texts[i + 1], texts[i]] = [texts[i], texts[i + 1]];
        save(texts, `Moved indicator ${i + 1} of level ${level} down.`);
      });
      del.addEventListener('click', async () => {
        if (!await confirmDialog({ title: 'Delete this indicator?', message: `“${input.value}” (level ${level}) will be removed.`, confirmLabel: 'Delete indicator' })) return;
        const texts = current();
        texts.splice(i, 1);
        save(texts, `Deleted an indicator of level ${level}.`);
      });
      return h('li', { class: 'inline indicator-row' }, h('label', { for: id, class: 'visually-hidden' }, `Indicator ${i + 1} of level ${level}`), input, up, down, del);
    }));
    if (!list.length) ol.append(h('li', { class: 'muted' }, 'No indicators for this level yet.'));
  }
  draw(saved);

  const addId = `indicator-new-${level}`;
  const addInput = h('input', { id: addId, name: 'new-indicator', type: 'text', class: 'wide', placeholder: 'An observable behaviour, e.g. “Writes a design note…”' });
  const add = h('button', { type: 'button', class: 'button small' }, `Add indicator to level ${level}`);
  add.addEventListener('click', () => {
    const text = addInput.value.trim();
    if (!text) {
      clearRefusals(box);
      showRefusal({ code: 'BAD_INPUT', message: 'Type the indicator first.' }, addInput, foot);
      return;
    }
    save([...current(), text], `Added an indicator to level ${level}.`).then(() => { if (!box.querySelector('.field-error')) addInput.value = ''; });
  });
  const saveAll = h('button', { type: 'button', class: 'button small secondary' }, `Save changes to level ${level}`);
  saveAll.addEventListener('click', () => save(current(), `Saved the indicators of level ${level}.`));
  box.append(h('div', { class: 'inline add-indicator' }, h('label', { for: addId }, `New indicator for level ${level}`), addInput, add), foot);
  foot.append(saveAll);
  return box;
}

async function single(ctx, id) {
  const data = await graphql(`query EditorCompetency($id: ID!) {
    competency(id: $id) { id name category description indicators { level text } requiredBy { id title } }
    framework { scale { level name } } }`, { id });
  if (!ctx.isCurrent()) return;
  const comp = data.competency;
  ctx.title(`Edit ${comp.name}`);
  ctx.main.append(h('p', { class: 'breadcrumb' }, h('a', { href: editorHref('competencies') }, 'Competencies'), ' › ', comp.name));
  const details = editForm({
    id: 'competency-details',
    fields: [
      { name: 'id', label: 'Id', value: comp.id, readonly: true },
      { name: 'name', label: 'Name', value: comp.name, required: true },
      { name: 'category', label: 'Category', type: 'select', value: comp.category, options: CATEGORIES },
      { name: 'description', label: 'Description', type: 'textarea', value: comp.description },
    ],
    submit: 'Save competency',
    done: 'Saved the competency.',
    onSubmit: async (values) => {
      await graphql('mutation($input: CompetencyInput!) { updateCompetency(input: $input) { id } }', { input: values });
      changed();
    },
  });
  ctx.main.append(h('section', { class: 'panel', 'aria-labelledby': 'competency-title' },
    h('h2', { id: 'competency-title' }, `Competency: ${comp.name}`), details,
    h('p', { class: 'small' }, comp.requiredBy.length ? ['Required by ', comp.requiredBy.map((r, i) => [i ? ', ' : '', h('a', { href: editorHref('role', r.id) }, r.title)]), '.']
      : 'No role requires it yet.')));
  ctx.main.append(h('section', { class: 'panel', id: 'indicators-section', 'aria-labelledby': 'indicators-title' },
    h('h2', { id: 'indicators-title' }, 'Indicators by level'),
    h('p', { class: 'intro' }, 'Observable behaviours that show each level. Edit a text and press “Save changes”; moving or deleting one saves at once.'),
    data.framework.scale.map((s) => levelEditor(comp, s, comp.indicators.filter((i) => i.level === s.level).map((i) => i.text)))));
  ctx.main.append(h('section', { class: 'panel danger-zone', 'aria-labelledby': 'delete-competency-title' },
    h('h2', { id: 'delete-competency-title' }, 'Delete this competency'),
    h('p', {}, 'A competency that roles require, resources develop or people were assessed on cannot be deleted until those are removed; '
      + 'you can then choose to delete it together with them.'),
    deleteButton({ label: `Delete ${comp.name}`, what: `the competency “${comp.name}”`,
      cascadeNote: 'Its requirements, what resources develop of it and its assessments are removed too. This cannot be undone.',
      remove: (cascade) => graphql('mutation($id: ID!, $cascade: Boolean!) { deleteCompetency(id: $id, cascade: $cascade) { id } }', { id: comp.id, cascade }),
      onDone: () => { location.hash = editorHref('competencies'); } })));
}

export default {
  async render(ctx) {
    if (ctx.sub === 'competency' && ctx.args[0]) return single(ctx, ctx.args[0]);
    return list(ctx);
  },
};
