// Curated moves of one role (#/editor/moves?role=<id>): drawn as on the role page, listed with a Remove button
// each, and a form that adds a promotion (PROGRESSES_TO) or a lateral move (CAN_MOVE_TO) in or out.
import { h, announce, empty, roleOptions } from '../dom.js';
import { graphql } from '../api.js';
import { drawGraph } from '../graphs.js';
import { moveGraph } from '../views/role.js';
import { changed, clearRefusals, confirmDialog, editForm, showRefusal } from './common.js';
import { STRUCTURE } from './structure.js';

const MOVES = `query EditorMoves($id: ID!) {
  role(id: $id) {
    id title
    upTo: movesTo(kind: PROGRESSES_TO) { id title level { rank name } }
    lateralTo: movesTo(kind: CAN_MOVE_TO) { id title level { rank name } }
    upFrom: movesFrom(kind: PROGRESSES_TO) { id title level { rank name } }
    lateralFrom: movesFrom(kind: CAN_MOVE_TO) { id title level { rank name } }
  } }`;
const KIND = { up: 'PROGRESSES_TO', lateral: 'CAN_MOVE_TO' };

export default {
  async render(ctx) {
    const data = await graphql(STRUCTURE);
    if (!ctx.isCurrent()) return;
    const roles = data.roles.nodes;
    const chosen = ctx.params.get('role') ?? roles[0]?.id;
    const picker = h('select', { id: 'moves-role', name: 'role' }, roleOptions(data.jobFamilies, roles, chosen));
    picker.addEventListener('change', () => { location.hash = `#/editor/moves?role=${encodeURIComponent(picker.value)}`; });
    const body = h('div', { class: 'moves-body' });
    ctx.main.append(h('section', { class: 'panel', 'aria-labelledby': 'moves-title' },
      h('h2', { id: 'moves-title' }, 'Curated moves'),
      h('p', { class: 'intro' }, 'Promotions (a step up, solid blue arrow) and lateral moves (dashed orange arrow) are the '
        + 'career paths Trellis recommends. Choose a role to see and change the moves into and out of it.'),
      h('div', { class: 'field' }, h('label', { for: 'moves-role' }, 'Role'), picker), body));
    if (!chosen) {
      body.append(empty('There are no roles yet.'));
      return;
    }

    async function draw() {
      const { role } = await graphql(MOVES, { id: chosen });
      if (!ctx.isCurrent()) return;
      const graph = moveGraph(role, false);
      const box = h('div', { class: 'graph', id: 'moves-graph', role: 'img',
        'aria-label': `Moves into ${role.title} from ${graph.from.map((r) => r.title).join(', ') || 'no role'}; out to ${graph.to.map((r) => r.title).join(', ') || 'no role'}.` });
      const item = (r, direction) => {
        const source = direction === 'in' ? r.id : role.id;
        const target = direction === 'in' ? role.id : r.id;
        const what = `${r.kind === 'up' ? 'promotion' : 'lateral move'} ${direction === 'in' ? `from ${r.title}` : `to ${r.title}`}`;
        const remove = h('button', { type: 'button', class: 'button small danger' }, `Remove ${what}`);
        const li = h('li', { class: 'inline', dataset: { roleId: r.id, kind: KIND[r.kind] } },
          h('span', { class: `move-kind move-${r.kind}` }, r.kind === 'up' ? 'Promotion' : 'Lateral move'), ' ',
          direction === 'in' ? `from ${r.title}` : `to ${r.title}`, ' ', remove);
        remove.addEventListener('click', async () => {
          clearRefusals(li);
          if (!await confirmDialog({ title: `Remove this ${r.kind === 'up' ? 'promotion' : 'lateral move'}?`, message: `The ${what} of ${role.title} will no longer be suggested.`, confirmLabel: 'Remove move' })) return;
          try {
            await graphql('mutation($from: ID!, $to: ID!, $kind: MoveKind!) { removeMove(from: $from, to: $to, kind: $kind) { id } }',
              { from: source, to: target, kind: KIND[r.kind] });
            announce(`Removed the ${what}.`);
            changed();
            await draw();
          } catch (error) {
            showRefusal(error, remove, li);
          }
        });
        return li;
      };
      const add = editForm({
        id: 'move-add', className: 'inline-form',
        fields: [
          { name: 'direction', label: 'Direction', type: 'select', options: [['out', `Out of ${role.title} to…`], ['in', `Into ${role.title} from…`]] },
          { name: 'other', label: 'Other role', type: 'select', options: [['', '— choose a role —'], ...roles.map((r) => [r.id, `${r.title}${r.level ? ` (L${r.level.rank})` : ''}`])] },
          { name: 'kind', label: 'Kind of move', type: 'select', options: [['PROGRESSES_TO', 'Promotion (a step up)'], ['CAN_MOVE_TO', 'Lateral move (across)']] },
        ],
        submit: 'Add move',
        aliases: { to: 'other', from: 'other' }, fallbackField: 'other',
        onSubmit: async (values) => {
          if (!values.other) throw Object.assign(new Error('to: choose the other role.'), { code: 'BAD_INPUT' });
          const [from, to] = values.direction === 'in' ? [values.other, role.id] : [role.id, values.other];
          await graphql('mutation($from: ID!, $to: ID!, $kind: MoveKind!) { addMove(from: $from, to: $to, kind: $kind) { id } }', { from, to, kind: values.kind });
          announce('Added the move.');
          changed();
          await draw();
        },
      });
      body.replaceChildren(
        graph.nodes.length > 1 ? box : empty('No curated moves into or out of this role yet.'),
        h('div', { class: 'two-col' },
          h('div', {}, h('h3', {}, `Into ${role.title}`), graph.from.length ? h('ul', { class: 'plain-list', id: 'moves-in' }, graph.from.map((r) => item(r, 'in'))) : empty('None.')),
          h('div', {}, h('h3', {}, `Out of ${role.title}`), graph.to.length ? h('ul', { class: 'plain-list', id: 'moves-out' }, graph.to.map((r) => item(r, 'out'))) : empty('None.'))),
        h('h3', {}, 'Add a move'), add);
      if (graph.nodes.length > 1) await drawGraph(box, graph);
    }
    await draw();
  },
};
