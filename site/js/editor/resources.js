// Learning resources (#/editor/resources, #/editor/resources/<id>): the list, and one form to create or change a
// resource with what it develops (competency, from level, to level); one mutation per save.
import { h, empty, num, words } from '../dom.js';
import { allNodes, graphql } from '../api.js';
import { changed, deleteButton, editForm, editorHref, showRefusal } from './common.js';
import { autoId } from './structure.js';

const KINDS = ['COURSE', 'MENTORING', 'PROJECT', 'READING', 'CERTIFICATION'].map((k) => [k, words(k)]);
const SELECTION = 'id title kind hours url develops { fromLevel toLevel competency { id name } }';

function developsEditor(comps, scale, initial) {
  const rows = h('tbody', {});
  let n = 0;
  const compOptions = [['', '— choose —'], ...comps.map((c) => [c.id, c.name])];
  const levelOpts = (from) => [...(from ? [[0, '0 · none yet']] : []), ...scale.map((s) => [s.level, `${s.level} · ${s.name}`])];
  function add(dev = {}) {
    const i = n++;
    const select = (name, opts, value, label) => {
      const id = `develops-${i}-${name}`;
      return [h('label', { for: id, class: 'visually-hidden' }, label),
        h('select', { id, name }, opts.map(([v, t]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, t)))];
    };
    const remove = h('button', { type: 'button', class: 'button small secondary' }, 'Remove line');
    const tr = h('tr', { class: 'develops-row' },
      h('td', { class: 'inline' }, select('competencyId', compOptions, dev.competency?.id, `Competency developed, line ${i + 1}`)),
      h('td', { class: 'inline' }, select('fromLevel', levelOpts(true), dev.fromLevel ?? 0, `From level, line ${i + 1}`)),
      h('td', { class: 'inline' }, select('toLevel', levelOpts(false), dev.toLevel ?? 1, `To level, line ${i + 1}`)),
      h('td', {}, remove));
    remove.addEventListener('click', () => tr.remove());
    rows.append(tr);
  }
  for (const dev of initial) add(dev);
  const addButton = h('button', { type: 'button', class: 'button small secondary', onclick: () => add() }, 'Add a competency it develops');
  const node = h('fieldset', { class: 'develops' }, h('legend', {}, 'What it develops'),
    h('table', { class: 'data' }, h('thead', {}, h('tr', {}, ['Competency', 'From level', 'To level', ''].map((t) => h('th', { scope: 'col' }, t)))), rows),
    addButton);
  node.values = () => [...rows.querySelectorAll('tr')].map((tr) => ({
    competencyId: tr.querySelector('[name="competencyId"]').value,
    fromLevel: Number(tr.querySelector('[name="fromLevel"]').value),
    toLevel: Number(tr.querySelector('[name="toLevel"]').value),
  })).filter((d) => d.competencyId);
  node.row = (index) => rows.querySelectorAll('tr')[index];
  return node;
}

export default {
  async render(ctx) {
    const [resources, comps, { framework }] = await Promise.all([allNodes('learningResources', SELECTION),
      allNodes('competencies', 'id name'), graphql('{ framework { scale { level name } } }')]);
    if (!ctx.isCurrent()) return;
    const id = ctx.args[0];
    const editing = id ? resources.find((r) => r.id === id) : null;
    comps.sort((a, b) => a.name.localeCompare(b.name));

    const develops = developsEditor(comps, framework.scale, editing?.develops ?? []);
    const form = editForm({
      id: 'resource-form',
      fields: [
        { name: 'title', label: 'Title', value: editing?.title, required: true },
        { name: 'id', label: 'Id', value: editing?.id, readonly: Boolean(editing), required: true, hint: editing ? 'An id cannot change.' : 'Made from the title unless you type one.' },
        { name: 'kind', label: 'Kind', type: 'select', value: editing?.kind ?? 'COURSE', options: KINDS },
        { name: 'hours', label: 'Hours', type: 'number', value: editing?.hours ?? 1, min: 0, step: 0.5 },
        { name: 'url', label: 'Link (URL)', type: 'url', value: editing?.url },
      ],
      after: develops,
      submit: editing ? 'Save resource' : 'Create resource',
      done: editing ? 'Saved the resource.' : null,
      onSubmit: async (values) => {
        if (values.hours === null) throw Object.assign(new Error('hours: enter the number of hours it takes.'), { code: 'BAD_INPUT' });
        const input = { ...values, develops: develops.values() };
        const mutation = editing ? 'updateLearningResource' : 'createLearningResource';
        try {
          await graphql(`mutation($input: LearningResourceInput!) { ${mutation}(input: $input) { id } }`, { input });
        } catch (error) {
          const line = /^develops\[(\d+)\]\.(\w+):/.exec(error.message);
          if (line && develops.row(Number(line[1]))) {
            const row = develops.row(Number(line[1]));
            showRefusal(error, row.querySelector(`[name="${line[2]}"]`) ?? row.querySelector('select'), row);
            return;
          }
          throw error;
        }
        changed();
        if (!editing) location.hash = editorHref('resources', input.id);
      },
    });
    if (!editing) autoId(form, 'title');

    const list = h('table', { class: 'data', id: 'resource-list' },
      h('thead', {}, h('tr', {}, ['Resource', 'Kind', 'Hours', 'Develops'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, resources.map((r) => h('tr', { dataset: { id: r.id } },
        h('th', { scope: 'row' }, h('a', { href: editorHref('resources', r.id) }, r.title)),
        h('td', {}, words(r.kind)), h('td', { class: 'num' }, num(r.hours)),
        h('td', { class: 'small' }, r.develops.map((d) => `${d.competency.name} ${d.fromLevel}→${d.toLevel}`).join('; '))))));

    ctx.main.append(h('section', { class: 'panel', id: 'resource-edit', 'aria-labelledby': 'resource-form-title' },
      h('h2', { id: 'resource-form-title' }, editing ? `Learning resource: ${editing.title}` : 'Create a learning resource'),
      editing ? h('p', {}, h('a', { href: editorHref('resources') }, 'Create another resource instead')) : null,
      id && !editing ? empty(`There is no resource “${id}”; you can create it below.`) : null,
      form,
      editing ? deleteButton({ label: `Delete ${editing.title}`, what: `the resource “${editing.title}”`,
        remove: () => graphql('mutation($id: ID!) { deleteLearningResource(id: $id) { id } }', { id: editing.id }),
        onDone: () => { location.hash = editorHref('resources'); } }) : null));
    ctx.main.append(h('section', { class: 'panel', 'aria-labelledby': 'resources-title' },
      h('h2', { id: 'resources-title' }, 'Learning resources'),
      h('p', { class: 'intro' }, `${resources.length} resources: courses, mentoring, projects, reading and certifications that raise a competency from one level to another.`),
      resources.length ? h('div', { class: 'table-wrap' }, list) : empty('No learning resources yet.')));
  },
};
