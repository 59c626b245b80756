// Demo sign-in: pick a person of the sample organisation (TRELLIS_DEMO=1 only).
import { h, announce, words, empty } from '../dom.js';
import { demoPeople, signIn } from '../api.js';
import { errorBox } from '../errors.js';
import { landingFor, sessionChanged } from '../state.js';

const ORDER = ['EMPLOYEE', 'MANAGER', 'HR'];
const ABOUT = {
  EMPLOYEE: 'sees the job architecture and their own profile, gaps, paths and plans',
  MANAGER: 'also sees everyone under them, their succession and their team heatmap',
  HR: 'sees everything, including the skills inventory, and edits the architecture',
};

export default {
  async render(ctx) {
    ctx.title('Sign in');
    // Back to the page that asked; when none did, to where this person's work is (landingFor).
    const next = ctx.params.get('next') || null;
    ctx.main.append(h('h1', { tabindex: '-1' }, 'Sign in as…'));
    const viewer = ctx.session.viewer;
    if (viewer?.person) {
      ctx.main.append(h('p', {}, `You are signed in as ${viewer.person.name} (${words(viewer.access)}). Choosing someone else signs you in as them.`));
    }
    const people = await demoPeople();
    if (!ctx.isCurrent()) return;
    if (people === null) {
      ctx.main.append(empty('Demo sign-in is not enabled on this server (start it with TRELLIS_DEMO=1). '
        + 'You can still explore the job architecture and rate yourself on '), h('a', { href: '#/career' }, 'My career'), '.');
      return;
    }
    if (!people.length) {
      ctx.main.append(empty('This organisation has no people to sign in as (a framework without people). '
        + 'You can still explore the job architecture and rate yourself on '), h('a', { href: '#/career' }, 'My career'), '.');
      return;
    }
    ctx.main.append(h('p', { class: 'lead', id: 'signin-lead' }, 'This is a demo: choose whom to be. '
      + 'What you see depends on who you are. ', next
      ? 'You go back to the page you were on.'
      : 'An employee starts on My career, a manager on My team, HR on the job architecture editor.'));
    const filter = h('input', { type: 'search', id: 'signin-filter', placeholder: 'Type a name or a role', autocomplete: 'off' });
    const status = h('p', { class: 'status', role: 'status' });
    const lists = h('div', { class: 'signin-groups' });
    const problem = h('div');
    ctx.main.append(h('div', { class: 'field' }, h('label', { for: 'signin-filter' }, 'Find a person'), filter), status, problem, lists);

    async function choose(person) {
      problem.replaceChildren();
      try {
        const answer = await signIn(person.id);
        announce(`Signed in as ${answer.person.name}.`);
        sessionChanged(next ?? landingFor(answer.access ?? person.access));
      } catch (error) {
        problem.replaceChildren(errorBox(error));
      }
    }

    function draw() {
      const text = filter.value.trim().toLowerCase();
      const shown = people.filter((p) => !text || p.name.toLowerCase().includes(text) || (p.roleTitle ?? '').toLowerCase().includes(text));
      lists.replaceChildren(...ORDER.map((access) => {
        const group = shown.filter((p) => p.access === access);
        if (!group.length) return null;
        return h('section', { class: 'panel signin-group', 'aria-labelledby': `signin-${access}` },
          h('h2', { id: `signin-${access}` }, `${words(access)} `, h('span', { class: 'muted' }, `— ${ABOUT[access]}`)),
          h('ul', { class: 'person-list' }, group.map((person) => h('li', {},
            h('button', {
              type: 'button', class: 'person-button', dataset: { personId: person.id },
              onclick: () => choose(person),
            }, h('strong', {}, person.name), h('span', { class: 'muted' }, person.roleTitle ?? 'No role'))))));
      }).filter(Boolean));
      status.textContent = shown.length === people.length ? `${people.length} people.` : `${shown.length} of ${people.length} people match.`;
    }
    filter.addEventListener('input', draw);
    draw();
  },
};
