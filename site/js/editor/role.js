// One role: its details, its requirements as an editable grid (competency × level, weight, essential) with the
// indicators of the chosen level beside each row, and deleting it.
import { h, announce, empty, num, words, nearestDescribed } from '../dom.js';
import { allNodes, graphql } from '../api.js';
import { changed, clearRefusals, deleteButton, editForm, editorHref, options, showRefusal } from './common.js';

const ROLE = `query EditorRole($id: ID!) {
  role(id: $id) {
    id title description family { id } level { id } track { id }
    requirements { level weight essential competency { id name category indicators { level text } } }
  }
  framework { scale { level name } }
  jobFamilies { id name } tracks { id name } levels { id rank name }
}`;

const SET = `mutation SetRequirement($roleId: ID!, $input: RequirementInput!) {
  setRequirement(roleId: $roleId, input: $input) { id requirements { competency { id } level weight essential } } }`;
const REMOVE = `mutation RemoveRequirement($roleId: ID!, $competencyId: ID!) {
  removeRequirement(roleId: $roleId, competencyId: $competencyId) { id } }`;

function indicatorCell(indicators, level, scale) {
  const here = indicators.filter((i) => i.level === level);
  if (here.length) return h('ul', { class: 'indicators' }, here.map((i) => h('li', {}, i.text)));
  const near = nearestDescribed(indicators, level);
  if (!near) return h('span', { class: 'muted' }, `No indicators recorded for level ${level} (add them under Competencies).`);
  return h('div', {}, h('span', { class: 'muted small' }, `No indicator for level ${level}; level ${near.level}${scale.get(near.level) ? ` · ${scale.get(near.level)}` : ''}:`),
    h('ul', { class: 'indicators' }, near.items.map((i) => h('li', {}, i.text))));
}

export default {
  async render(ctx) {
    const id = ctx.args[0];
    if (!id) {
      location.hash = '#/editor';
      return;
    }
    const [data, competencies] = await Promise.all([graphql(ROLE, { id }), allNodes('competencies', 'id name category indicators { level text }')]);
    if (!ctx.isCurrent()) return;
    const { role, framework } = data;
    ctx.title(`Edit ${role.title}`);
    const scale = new Map(framework.scale.map((s) => [s.level, s.name]));
    const levelOptions = framework.scale.map((s) => [s.level, `${s.level} · ${s.name}`]);
    const byId = new Map(competencies.map((c) => [c.id, c]));

    ctx.main.append(h('p', { class: 'breadcrumb' }, h('a', { href: '#/editor' }, 'Editor'), ' › ', role.title, ' · ',
      h('a', { href: `#/role/${encodeURIComponent(role.id)}` }, 'View the role page')));

    // Details.
    const ranks = [...data.levels].sort((a, b) => a.rank - b.rank);
    const details = editForm({
      id: 'role-details',
      fields: [
        { name: 'id', label: 'Id', value: role.id, readonly: true, hint: 'An id cannot change; create a new role instead.' },
        { name: 'title', label: 'Title', value: role.title, required: true },
        { name: 'familyId', label: 'Job family', type: 'select', value: role.family?.id ?? '', options: options(data.jobFamilies, 'id', (f) => f.name) },
        { name: 'levelId', label: 'Level', type: 'select', value: role.level?.id ?? '', options: options(ranks, 'id', (l) => `L${l.rank} · ${l.name}`) },
        { name: 'trackId', label: 'Track', type: 'select', value: role.track?.id ?? '', options: options(data.tracks, 'id', (t) => t.name) },
        { name: 'description', label: 'Description', type: 'textarea', value: role.description },
      ],
      submit: 'Save role details',
      done: 'Saved the role details.',
      onSubmit: async (values) => {
        await graphql('mutation UpdateRole($input: RoleInput!) { updateRole(input: $input) { id title } }', {
          input: { ...values, familyId: values.familyId || null, levelId: values.levelId || null, trackId: values.trackId || null },
        });
        changed();
      },
    });
    ctx.main.append(h('section', { class: 'panel', 'aria-labelledby': 'details-title' },
      h('h2', { id: 'details-title' }, `Role: ${role.title}`), details));

    // Requirements grid.
    const tbody = h('tbody', {});
    const total = h('span', { id: 'requirements-total' });
    const current = new Map(role.requirements.map((r) => [r.competency.id, r]));
    function recount() {
      let sum = 0;
      for (const r of current.values()) sum += r.weight * r.level;
      total.textContent = `${current.size} ${current.size === 1 ? 'competency' : 'competencies'}; weighted total ${num(sum)}.`;
    }
    function row(req) {
      const comp = byId.get(req.competency.id) ?? req.competency;
      const cid = comp.id;
      const level = h('select', { id: `req-level-${cid}`, name: 'level' }, levelOptions.map(([v, t]) => h('option', { value: v, selected: v === req.level }, t)));
      const weight = h('input', { id: `req-weight-${cid}`, name: 'weight', type: 'number', min: '0', step: '0.5', value: String(req.weight) });
      const essential = h('input', { id: `req-essential-${cid}`, name: 'essential', type: 'checkbox', checked: req.essential });
      const indicators = h('td', { class: 'req-indicators', dataset: { label: 'What good looks like' } }, indicatorCell(comp.indicators ?? [], req.level, scale));
      level.addEventListener('change', () => indicators.replaceChildren(indicatorCell(comp.indicators ?? [], Number(level.value), scale)));
      const save = h('button', { type: 'button', class: 'button small' }, 'Save');
      const remove = h('button', { type: 'button', class: 'button small secondary' }, 'Remove');
      const status = h('td', { class: 'inline req-actions' }, save, ' ', remove);
      const tr = h('tr', { dataset: { competencyId: cid } },
        h('th', { scope: 'row' }, comp.name, h('div', { class: 'muted small' }, words(comp.category))),
        h('td', { class: 'inline', dataset: { label: 'Level' } }, h('label', { for: level.id, class: 'visually-hidden' }, `Level of ${comp.name}`), level),
        h('td', { class: 'inline', dataset: { label: 'Weight' } }, h('label', { for: weight.id, class: 'visually-hidden' }, `Weight of ${comp.name}`), weight),
        h('td', { class: 'inline', dataset: { label: 'Essential' } }, essential, h('label', { for: essential.id }, h('span', { class: 'visually-hidden' }, `${comp.name} is `), 'Essential')),
        indicators, status);
      save.addEventListener('click', async () => {
        clearRefusals(tr);
        save.disabled = true;
        const input = { competencyId: cid, level: Number(level.value), weight: weight.value === '' ? NaN : Number(weight.value), essential: essential.checked };
        try {
          if (Number.isNaN(input.weight)) throw Object.assign(new Error('weight: enter a number.'), { code: 'BAD_INPUT' });
          await graphql(SET, { roleId: role.id, input });
          current.set(cid, { ...input, competency: comp });
          recount();
          status.append(h('span', { class: 'form-done', role: 'status' }, ' ✓ Saved'));
          announce(`Saved the requirement for ${comp.name}.`);
          changed();
        } catch (error) {
          const target = /^(?:input\.)?(level|weight|essential):/.exec(error.message)?.[1];
          showRefusal(error, { level, weight, essential }[target] ?? null, status);
        } finally {
          save.disabled = false;
        }
      });
      remove.addEventListener('click', async () => {
        clearRefusals(tr);
        try {
          await graphql(REMOVE, { roleId: role.id, competencyId: cid });
          tr.remove();
          current.delete(cid);
          recount();
          refreshAdd();
          announce(`Removed ${comp.name} from ${role.title}.`);
          changed();
        } catch (error) {
          showRefusal(error, null, status);
        }
      });
      return tr;
    }
    for (const req of role.requirements) tbody.append(row(req));

    // Adding a requirement: one setRequirement.
    const addForm = editForm({
      id: 'requirement-add', className: 'inline-form',
      fields: [
        { name: 'competencyId', label: 'Competency to add', type: 'select', options: [] },
        { name: 'level', label: 'Required level', type: 'select', value: Math.min(3, levelOptions.length), options: levelOptions },
        { name: 'weight', label: 'Weight', type: 'number', value: 1, min: 0, step: 0.5 },
        { name: 'essential', label: 'Essential', type: 'checkbox' },
      ],
      submit: 'Add requirement',
      done: 'Added the requirement.',
      onSubmit: async (values) => {
        if (!values.competencyId) throw Object.assign(new Error('competencyId: choose a competency to add.'), { code: 'BAD_INPUT' });
        const input = { competencyId: values.competencyId, level: Number(values.level), weight: values.weight ?? 1, essential: values.essential };
        await graphql(SET, { roleId: role.id, input });
        const comp = byId.get(input.competencyId);
        current.set(comp.id, { ...input, competency: comp });
        tbody.append(row({ ...input, competency: comp }));
        emptyNote.hidden = true;
        recount();
        refreshAdd();
        changed();
      },
    });
    const picker = addForm.controls.get('competencyId');
    function refreshAdd() {
      const free = competencies.filter((c) => !current.has(c.id)).sort((a, b) => a.name.localeCompare(b.name));
      picker.replaceChildren(h('option', { value: '' }, '— choose a competency —'),
        ...free.map((c) => h('option', { value: c.id }, `${c.name} (${words(c.category)})`)));
    }
    refreshAdd();
    const addIndicators = h('div', { class: 'req-indicators add-indicators', id: 'add-indicators', 'aria-live': 'polite' });
    const showAdd = () => {
      const comp = byId.get(picker.value);
      addIndicators.replaceChildren(comp ? h('p', { class: 'small' }, h('strong', {}, `What level ${addForm.controls.get('level').value} of ${comp.name} looks like: `),
        indicatorCell(comp.indicators ?? [], Number(addForm.controls.get('level').value), scale)) : '');
    };
    picker.addEventListener('change', showAdd);
    addForm.controls.get('level').addEventListener('change', showAdd);
    addForm.append(addIndicators);

    const emptyNote = empty('This role has no requirements yet: add the competencies it needs below.');
    emptyNote.hidden = role.requirements.length > 0;
    recount();
    ctx.main.append(h('section', { class: 'panel', 'aria-labelledby': 'grid-title' },
      h('h2', { id: 'grid-title' }, 'Requirements'),
      h('p', { class: 'intro' }, 'Each row is one competency the role requires: choose the level, the weight (how much it counts) '
        + 'and whether it is essential, then press Save on that row. The indicators show what the chosen level looks like. ', total),
      emptyNote,
      h('div', { class: 'table-wrap' }, h('table', { class: 'data stack requirement-grid', id: 'requirement-grid' },
        h('thead', {}, h('tr', {}, ['Competency', 'Level', 'Weight', 'Essential', 'What good looks like at this level', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
        tbody)),
      h('h3', {}, 'Add a requirement'), addForm));

    // Delete.
    ctx.main.append(h('section', { class: 'panel danger-zone', 'aria-labelledby': 'delete-title' },
      h('h2', { id: 'delete-title' }, 'Delete this role'),
      h('p', {}, 'A role that people hold or that moves lead to or from cannot be deleted until those are changed; '
        + 'you can then choose to delete it with them (people keep their records but hold no role).'),
      deleteButton({ label: `Delete ${role.title}`, what: `the role “${role.title}”`,
        remove: (cascade) => graphql('mutation DeleteRole($id: ID!, $cascade: Boolean!) { deleteRole(id: $id, cascade: $cascade) { id } }', { id: role.id, cascade }),
        onDone: () => { location.hash = '#/editor'; } })));
    void editorHref;
  },
};
