// HR's job-architecture editor: families, tracks, levels and roles (#/editor), a role and its requirements
// (#/editor/role/<id>), competencies and their indicators (#/editor/competencies, #/editor/competency/<id>),
// curated moves (#/editor/moves?role=<id>), learning resources (#/editor/resources) and import/export
// (#/editor/import). Every save is one mutation; the framework checks beside it update after each.
import { h } from '../dom.js';
import { errorBox } from '../errors.js';
import { checklist, editorHref } from '../editor/common.js';
import structure from '../editor/structure.js';
import roleEditor from '../editor/role.js';
import competencies from '../editor/competencies.js';
import moves from '../editor/moves.js';
import resources from '../editor/resources.js';
import transfer from '../editor/transfer.js';

const TABS = [
  ['', 'Families, levels & roles', structure],
  ['competencies', 'Competencies', competencies],
  ['moves', 'Moves', moves],
  ['resources', 'Learning resources', resources],
  ['import', 'Import & export', transfer],
];
const SUB = { role: roleEditor, competency: competencies };

export default {
  heading: 'Edit the job architecture',
  async render(ctx) {
    ctx.title('Edit the job architecture');
    const viewer = ctx.session.viewer;
    const [sub = '', ...rest] = ctx.args;
    const part = SUB[sub] ?? TABS.find(([key]) => key === sub)?.[2];
    const active = sub === 'role' ? '' : sub === 'competency' ? 'competencies' : sub;
    if (viewer?.authEnabled && viewer.access !== 'HR') {
      ctx.main.append(h('h1', { tabindex: '-1' }, 'Edit the job architecture'),
        errorBox(viewer.access === 'ANONYMOUS'
          ? { code: 'UNAUTHENTICATED', message: 'Only HR may edit the job architecture.' }
          : { code: 'FORBIDDEN', message: 'Only HR may edit the job architecture.' }));
      return;
    }
    const nav = h('nav', { class: 'editor-tabs', 'aria-label': 'Editor sections' }, h('ul', {}, TABS.map(([key, text]) => h('li', {},
      h('a', { href: key ? editorHref(key) : '#/editor', 'aria-current': key === active ? 'page' : undefined }, text)))));
    const content = h('div', { class: 'editor-main' });
    ctx.main.append(
      h('h1', { tabindex: '-1', id: 'editor-title' }, 'Edit the job architecture'),
      h('p', { class: 'lead' }, 'Create, change and delete what the framework is made of. Each button saves one change '
        + 'at once; a change that is refused is explained next to the field, and nothing of it is saved.'),
      nav,
      h('div', { class: 'editor-layout' }, content, checklist()));
    if (!part) {
      content.append(errorBox({ code: 'NOT_FOUND', message: `The editor has no section “${sub}”.` }));
      return;
    }
    await part.render({ ...ctx, main: content, args: rest, sub });
  },
};
