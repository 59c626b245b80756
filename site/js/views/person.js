// A person's page (#/person/<id>?target=<role>): where they stand against their role (gap, readiness, closest
// roles), their proficiencies with how well each is proven, a check-in (a manager records what they saw, with
// evidence; the person records self-assessments; HR either), and their growth over time as charts.
import { h, num, pct, badge, announce, empty, fill, busy, readinessBar, roleOptions } from '../dom.js';
import { graphql } from '../api.js';
import { architecture, roles as allRoles } from '../catalogue.js';
import { errorBox, loadSection as into } from '../errors.js';
import { hashOf } from '../state.js';
import { PERSON, STANDING, STANDING_WITH_ROLE } from '../person/queries.js';
import { proficiencyTable } from '../person/proficiencies.js';
import { checkInForm } from '../person/checkin.js';
import { loadTrend, renderGrowth } from '../person/growth.js';
import { interestList } from '../person/interests.js';

const roleHref = (id) => `#/role/${encodeURIComponent(id)}`;

function panel(id, title, intro) {
  const body = h('div', { class: 'section-body' });
  const node = h('section', { class: 'panel', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title), intro ? h('p', { class: 'intro' }, intro) : null, body);
  return { node, body, heading: node.querySelector('h2') };
}


export default {
  heading: 'Person',
  async render(ctx) {
    const viewer = ctx.session.viewer;
    const id = ctx.args[0] ?? viewer?.person?.id ?? null;
    ctx.title('Person');
    const heading = h('h1', { tabindex: '-1' }, 'Person');
    ctx.main.append(heading);
    if (!id) {
      heading.textContent = 'My profile & check-ins';
      ctx.main.append(empty('Sign in to see your profile and record check-ins. ',
        h('a', { href: `#/signin?next=${encodeURIComponent('#/person')}` }, 'Sign in')));
      return;
    }
    const holder = h('p', { class: 'status loading', role: 'status' }, 'Loading the profile…');
    ctx.main.append(holder);
    const [{ framework, families }, roles, first] = await Promise.all([
      architecture(), allRoles(), graphql(PERSON, { id })]);
    if (!ctx.isCurrent()) return;
    holder.remove();
    let person = first.person;
    const own = viewer?.person?.id === person.id;
    const firstName = person.name.split(/\s+/)[0];
    const whose = own ? 'My' : `${firstName}’s`;
    const mode = own ? 'SELF' : (!viewer?.authEnabled || viewer.access === 'HR') ? 'HR' : viewer.access === 'MANAGER' ? 'MANAGER' : null;
    const maxLevel = Math.max(...framework.scale.map((s) => s.level));
    const scaleName = new Map(framework.scale.map((s) => [s.level, s.name]));

    heading.textContent = own ? 'My profile & check-ins' : `${person.name}: profile & check-ins`;
    ctx.title(own ? 'My profile & check-ins' : person.name);
    const lead = h('p', { class: 'lead', id: 'person-lead' });
    const drawLead = () => fill(lead, h('strong', { id: 'person-name' }, person.name),
      person.role ? [' · ', h('a', { href: roleHref(person.role.id), id: 'person-role', dataset: { roleId: person.role.id } }, person.role.title),
        person.role.level ? ` (${person.role.level.name})` : ''] : ' · no current role',
      person.manager ? [' · reports to ', own ? person.manager.name : h('span', {}, person.manager.name)] : '',
      person.reports.length ? ` · ${person.reports.length} ${person.reports.length === 1 ? 'report' : 'reports'}` : '', '. ',
      h('a', { href: own ? '#/career' : hashOf(['career'], { person: person.id }), id: 'person-career' }, own ? 'My career paths' : `${firstName}’s career paths`));
    drawLead();
    ctx.main.append(lead);

    // --- sections ---------------------------------------------------------------------------------------
    const standing = panel('standing', own ? 'Where I stand' : `Where ${firstName} stands`,
      person.role ? `Against ${own ? 'my' : 'their'} current role, ${person.role.title}: gap = Σ weight × levels short; readiness = the share of the role’s weighted requirements met.` : null);
    const checkin = panel('checkin', own ? 'Record a self-assessment' : mode === 'MANAGER' ? `Check-in with ${firstName}` : `Record an assessment for ${firstName}`,
      own ? 'Pick the competencies to rate, read what the current and the next level look like, and record where you are. Your manager verifies it at a check-in.'
        : `Pick the competencies you talked about (${firstName}’s role’s first), compare with what the current and the next level look like, and record the level you saw with its evidence.`);
    const profs = panel('proficiencies', `${whose} proficiencies`,
      own ? 'Each level, who recorded it and when, and whether it is verified.' : `Each level, who recorded it and when, and whether it is verified.`);
    const growth = panel('growth', own ? 'My growth over time' : `${firstName}’s growth over time`,
      'The level in each competency and readiness for a target role, on every day an assessment was recorded, and today.');
    const interests = panel('interests', own ? 'Roles I’m interested in' : `Roles ${firstName} is interested in`,
      own ? 'The roles you said you would like, on My career: your manager and HR see them.'
        : `The roles ${firstName} said they would like (their own word, on My career).`);
    const careerHref = (roleId) => (own ? hashOf(['career', roleId]) : hashOf(['career', roleId], { person: person.id }));
    fill(interests.body, interestList(person.interests, careerHref, 'person-interests')
      ?? empty(own ? 'You have not said that any role interests you yet. ' : `${firstName} has not said that any role interests them yet.`,
        own ? h('a', { href: '#/career', id: 'interests-career' }, 'Choose a role on My career and mark it.') : null));
    ctx.main.append(standing.node, interests.node, checkin.node, profs.node, growth.node);

    let gap = null;
    const drawStanding = async () => {
      const p = { personId: person.id };
      const data = person.role ? await graphql(STANDING_WITH_ROLE, { p, role: person.role.id }) : await graphql(STANDING, { p });
      if (!ctx.isCurrent()) return;
      gap = data.gap ?? null;
      fill(standing.body,
        gap ? h('p', { class: 'numbers', id: 'standing-numbers' },
          h('span', {}, 'Gap to role ', h('strong', { id: 'person-gap', dataset: { value: String(gap.totalGap) } }, num(gap.totalGap))),
          h('span', {}, 'Readiness ', h('strong', { id: 'person-readiness', dataset: { value: String(gap.readiness) } }, pct(gap.readiness))),
          h('span', {}, 'Verdict ', h('span', { id: 'person-verdict', dataset: { value: gap.verdict } }, badge(gap.verdict, 'verdict'))),
          gap.proofGaps ? h('span', { id: 'person-proof-gaps' }, h('strong', {}, String(gap.proofGaps)), ' met only on paper') : null)
          : empty(own ? 'I hold no role yet, so there is no gap to it.' : `${firstName} holds no role yet, so there is no gap to it.`),
        gap && gap.items.some((i) => i.deficit > 0) ? h('p', { class: 'small', id: 'standing-short' }, 'Short on: ',
          gap.items.filter((i) => i.deficit > 0).map((i, n) => [n ? ', ' : '', `${i.competency.name} (${i.current} of ${i.required})`]), '.') : null,
        h('h3', {}, 'Closest roles'),
        data.closestRoles.length ? h('ol', { class: 'person-closest', id: 'person-closest' }, data.closestRoles.map((m) => h('li', { dataset: { roleId: m.role.id } },
          h('a', { href: roleHref(m.role.id) }, m.role.title), m.role.level ? h('span', { class: 'muted' }, ` · ${m.role.level.name}`) : null,
          readinessBar(m.readiness, `Readiness for ${m.role.title}`),
          h('span', { class: 'small' }, 'Gap ', h('strong', { class: 'gap-value', dataset: { value: String(m.gap) } }, num(m.gap)), ' ', badge(m.verdict, 'verdict')))))
          : empty('No close role yet.'));
    };
    const drawProfs = () => fill(profs.body, proficiencyTable(person, gap, { own, first: firstName, validityDays: framework.validityDays, scaleName }));

    // Growth: a target role to measure readiness against (default: the saved plan's target, else the current role).
    const targetSelect = h('select', { id: 'trend-target', name: 'target' },
      h('option', { value: '' }, person.role ? `Default (saved target, else ${person.role.title})` : 'Default (saved target)'),
      roleOptions(families, roles, ctx.params.get('target') ?? ''));
    const growthBody = h('div', { class: 'growth-body', id: 'growth-body' });
    fill(growth.body, h('form', { class: 'inline-form', id: 'trend-form', onsubmit: (e) => e.preventDefault() },
      h('label', { for: 'trend-target' }, 'Readiness for'), targetSelect), growthBody);
    const drawGrowth = () => {
      for (const canvas of growthBody.querySelectorAll('canvas')) globalThis.Chart?.getChart(canvas)?.destroy();
      return loadGrowth();
    };
    const loadGrowth = () => into(ctx, growthBody, 'Loading growth over time…', 'growth over time', async () => {
      const trend = await loadTrend(person.id, targetSelect.value);
      if (!ctx.isCurrent()) return;
      await renderGrowth(growthBody, trend, { maxLevel, ownWord: whose });
      if (trend?.target) growthBody.dataset.target = trend.target.id;
    });
    targetSelect.addEventListener('change', () => {
      ctx.setParams({ target: targetSelect.value || null });
      drawGrowth();
    });

    // The check-in form (the server decides what is allowed: anyone who may see the page may try).
    let form = null;
    if (mode) {
      form = checkInForm({
        getPerson: () => person,
        mode,
        first: firstName,
        framework,
        onRecorded: async () => {
          person = (await graphql(PERSON, { id: person.id })).person;
          if (!ctx.isCurrent()) return;
          await into(ctx, standing.body, 'Recomputing the gap…', 'the gap', drawStanding);
          drawProfs();
          await drawGrowth();
          standing.node.dataset.version = String(Number(standing.node.dataset.version ?? 0) + 1);
        },
      });
      fill(checkin.body, form.node);
    } else {
      fill(checkin.body, empty(`Only ${firstName}, their managers and HR record assessments of ${firstName}.`));
    }

    await into(ctx, standing.body, 'Loading the gap…', 'the gap', drawStanding);
    if (!ctx.isCurrent()) return;
    drawProfs();
    await drawGrowth();
    if (ctx.isCurrent()) announce(`${own ? 'Your' : `${person.name}’s`} profile is shown.`);
  },
};
