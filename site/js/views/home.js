// The landing page: what Trellis answers, and where to start, for whoever is signed in.
import { h } from '../dom.js';
import { allowed } from '../state.js';
import { architecture } from '../catalogue.js';

function card(href, title, text, id) {
  return h('li', { class: 'card' }, h('a', { href, id }, h('strong', {}, title)), h('p', {}, text));
}

export default {
  async render(ctx) {
    ctx.title('Home');
    const viewer = ctx.session.viewer;
    const { framework } = await architecture();
    if (!ctx.isCurrent()) return;
    const who = viewer?.person ? `Welcome, ${viewer.person.name}.` : 'Welcome.';
    ctx.main.append(
      h('h1', { tabindex: '-1' }, who),
      h('p', { class: 'lead' }, `Trellis turns the ${framework.name} (version ${framework.version}) into a career lattice: `
        + 'which roles you are closest to, your smallest path to the role you want, what good looks like at each level, and what to learn first.'),
      h('ul', { class: 'cards' },
        card('#/career', 'Find my path', viewer?.person
          ? 'Your closest roles, your path to a role you choose, your gaps and your development plan.'
          : 'Rate yourself on the framework (or sign in) and see your closest roles, your path to any role and your plan.', 'start-career'),
        viewer?.person ? card(`#/person/${encodeURIComponent(viewer.person.id)}`, 'My profile & check-ins', 'Your proficiencies and whether each is verified, your self-assessments and check-ins, and your growth over time.', 'start-person') : null,
        card('#/architecture', 'Explore the job architecture', 'Every job family and level, each role\'s requirements and the behaviours that show them, and the moves between roles.', 'start-architecture'),
        allowed('succession') && viewer?.authEnabled && viewer.access !== 'ANONYMOUS'
          ? card('#/succession', 'Succession', 'Who could step into a role now, soon or later, with bench strength.') : null,
        allowed('team') && viewer?.authEnabled && viewer.access !== 'ANONYMOUS'
          ? card('#/team', 'My team', 'Your team\'s gaps against their own roles, as a heatmap, with the three biggest.') : null,
        allowed('inventory') && viewer?.authEnabled && viewer.access === 'HR'
          ? card('#/inventory', 'Skills inventory', 'Per competency, how many people hold each level against how many roles need it.') : null,
        !viewer?.person ? card('#/signin', 'Sign in as…', 'Use Trellis as one of the organisation’s people: an employee, a manager or HR (demo sign-in).', 'start-signin') : null));
  },
};
