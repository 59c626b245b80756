// Families, tracks and levels (create, rename, delete) and the roles (list, create).
import { h, empty } from '../dom.js';
import { graphql } from '../api.js';
import { changed, deleteButton, editForm, editorHref, options, slug } from './common.js';

export const STRUCTURE = `query EditorStructure {
  jobFamilies { id name }
  tracks { id name }
  levels { id rank name }
  roles(first: 1000) { nodes { id title family { id name } level { id rank name } track { id name } } }
}`;

/** Fill ``id`` from ``name`` while the person has not typed an id of their own. */
export function autoId(form, from, to = 'id') {
  const source = form.controls.get(from);
  const target = form.controls.get(to);
  let typed = false;
  target.addEventListener('input', () => { typed = target.value !== ''; });
  source.addEventListener('input', () => { if (!typed) target.value = slug(source.value); });
}

function namedSection({ key, title, intro, items, create, update, remove, what, extra = [], reload }) {
  const rows = items.map((item) => {
    const form = editForm({
      id: `${key}-edit-${item.id}`, className: 'inline-form',
      fields: [
        ...extra.map((spec) => ({ ...spec, value: item[spec.name], label: `${spec.label} of ${item.name}` })),
        { name: 'name', label: `Name of ${item.id}`, value: item.name, required: true },
      ],
      submit: 'Rename', done: 'Saved.',
      onSubmit: async (values) => {
        await graphql(update, { input: { id: item.id, ...values } });
        changed();
      },
    });
    return h('li', { class: 'named-item', dataset: { id: item.id } }, h('code', { class: 'item-id' }, item.id), form,
      deleteButton({ label: `Delete ${item.name}`, what: `${what} “${item.name}”`,
        remove: (cascade) => graphql(remove, { id: item.id, cascade }), onDone: reload }));
  });
  const createForm = editForm({
    id: `${key}-create`, className: 'create-form',
    fields: [
      { name: 'name', label: `Name of the new ${what}`, required: true },
      ...extra.map((spec) => ({ ...spec, label: `${spec.label} of the new ${what}` })),
      { name: 'id', label: 'Id', hint: 'Lower-case letters, digits and dashes; made from the name unless you type one.', required: true },
    ],
    submit: `Create ${what}`,
    done: `Created the ${what}.`,
    onSubmit: async (values) => {
      await graphql(create, { input: values });
      reload();
    },
  });
  autoId(createForm, 'name');
  return h('section', { class: 'panel', id: `${key}-section`, 'aria-labelledby': `${key}-title` },
    h('h2', { id: `${key}-title` }, title), h('p', { class: 'intro' }, intro),
    items.length ? h('ul', { class: 'named-list', id: `${key}-list` }, rows) : empty(`No ${what} yet.`),
    h('h3', {}, `Create a ${what}`), createForm);
}

export default {
  async render(ctx) {
    const data = await graphql(STRUCTURE);
    if (!ctx.isCurrent()) return;
    const { jobFamilies: families, tracks, levels } = data;
    const roles = data.roles.nodes;
    const ranks = [...levels].sort((a, b) => a.rank - b.rank);

    // Roles: by family, with an edit link each, and a form to create one.
    const byFamily = new Map(families.map((f) => [f.id, []]));
    const other = [];
    for (const role of roles) (byFamily.get(role.family?.id) ?? other).push(role);
    const groups = [...families.map((f) => [f.name, byFamily.get(f.id)]), ['No family', other]].filter(([, list]) => list.length);
    const createRole = editForm({
      id: 'role-create', className: 'create-form',
      fields: [
        { name: 'title', label: 'Title of the new role', required: true },
        { name: 'id', label: 'Id', required: true, hint: 'Made from the title unless you type one.' },
        { name: 'familyId', label: 'Job family', type: 'select', options: options(families, 'id', (f) => f.name) },
        { name: 'levelId', label: 'Level', type: 'select', options: options(ranks, 'id', (l) => `L${l.rank} · ${l.name}`) },
        { name: 'trackId', label: 'Track', type: 'select', options: options(tracks, 'id', (t) => t.name) },
        { name: 'description', label: 'Description', type: 'textarea' },
      ],
      submit: 'Create role',
      onSubmit: async (values) => {
        const input = { ...values, familyId: values.familyId || null, levelId: values.levelId || null, trackId: values.trackId || null };
        const { createRole: role } = await graphql('mutation CreateRole($input: RoleInput!) { createRole(input: $input) { id } }', { input });
        changed();
        location.hash = editorHref('role', role.id);
      },
    });
    autoId(createRole, 'title');
    ctx.main.append(h('section', { class: 'panel', id: 'roles-section', 'aria-labelledby': 'roles-title' },
      h('h2', { id: 'roles-title' }, 'Roles'),
      h('p', { class: 'intro' }, `${roles.length} roles. Choose one to change its details and requirements, or delete it.`),
      h('div', { class: 'role-groups' }, groups.map(([name, list]) => h('div', { class: 'role-group' }, h('h3', {}, name),
        h('ul', { class: 'plain-list' }, list.sort((a, b) => (a.level?.rank ?? 0) - (b.level?.rank ?? 0) || a.title.localeCompare(b.title))
          .map((role) => h('li', { dataset: { roleId: role.id } }, h('a', { href: editorHref('role', role.id) }, role.title),
            role.level ? h('span', { class: 'muted small' }, ` · L${role.level.rank}`) : null)))))),
      h('h3', {}, 'Create a role'), createRole));

    ctx.main.append(
      namedSection({
        reload: ctx.rerender, key: 'families', title: 'Job families', what: 'job family', items: families,
        intro: 'Families group roles by the kind of work (the columns of the job architecture).',
        create: 'mutation($input: NamedInput!) { createJobFamily(input: $input) { id } }',
        update: 'mutation($input: NamedInput!) { updateJobFamily(input: $input) { id } }',
        remove: 'mutation($id: ID!, $cascade: Boolean!) { deleteJobFamily(id: $id, cascade: $cascade) { id } }',
      }),
      namedSection({
        reload: ctx.rerender, key: 'levels', title: 'Levels', what: 'level', items: ranks,
        intro: 'Levels rank roles by seniority (the rows of the job architecture); rank 1 is the most junior.',
        extra: [{ name: 'rank', label: 'Rank', type: 'number', min: 1, step: 1, required: true }],
        create: 'mutation($input: LevelInput!) { createLevel(input: $input) { id } }',
        update: 'mutation($input: LevelInput!) { updateLevel(input: $input) { id } }',
        remove: 'mutation($id: ID!, $cascade: Boolean!) { deleteLevel(id: $id, cascade: $cascade) { id } }',
      }),
      namedSection({
        reload: ctx.rerender, key: 'tracks', title: 'Tracks', what: 'track', items: tracks,
        intro: 'Tracks separate career ladders at the same level, such as individual contributor and management.',
        create: 'mutation($input: NamedInput!) { createTrack(input: $input) { id } }',
        update: 'mutation($input: NamedInput!) { updateTrack(input: $input) { id } }',
        remove: 'mutation($id: ID!, $cascade: Boolean!) { deleteTrack(id: $id, cascade: $cascade) { id } }',
      }));
  },
};
