// My career: closest roles (step up / lateral), a target → the path as a graph, the gap per competency
// (chart + list with status, evidence and what to demonstrate), the development plan and what to learn next.
// The profile is the signed-in person (or ?person= for a manager or HR), or a self-assessment typed in
// here and carried in the URL (?levels=competency:level,...), so every view can be shared and reloaded.
import { competencyFinder } from '../finder.js';
import { h, num, pct, words, badge, readinessBar, announce, empty, plural, busy, fill, roleOptions, nearestDescribed } from '../dom.js';
import { graphql } from '../api.js';
import { architecture, roles as allRoles, competencies as allCompetencies, competenciesById, roleRequirements }
  from '../catalogue.js';
import { errorBox, loadSection as sectionLoad } from '../errors.js';
import { drawGraph } from '../graphs.js';
import { currentVsRequired } from '../charts.js';
import { hashOf } from '../state.js';
import { trackBadge } from './architecture.js';
import { csvButton, fileSlug } from '../csv.js';
import { INTERESTS, interestBox } from '../person/interests.js';

const MATCH = 'fragment M on RoleMatch { role { id title level { rank name } track { id name } family { id name } } distance gap readiness verdict }';

const PERSON_FIELDS = 'id name role { id title level { rank name } family { id name } track { id name } } manager { id name }';

const SAVED_PLAN = `target { id title level { rank name } } savedAt totalHours doneHours progress
  items { resource { id title kind hours url } competency { id name } fromLevel toLevel done doneAt }`;

const PERSON = `query Person($id: ID!) { person(id: $id) { ${PERSON_FIELDS} plan { ${SAVED_PLAN} } ${INTERESTS} } }`;

/** The same without the saved plan, for a server that does not have plans yet. */
const PERSON_NO_PLAN = `query Person($id: ID!) { person(id: $id) { ${PERSON_FIELDS} } }`;

const SAVE_PLAN = `mutation SavePlan($person: ID!, $target: ID!) { savePlan(personId: $person, target: $target) { ${SAVED_PLAN} } }`;

const COMPLETE_ITEM = `mutation CompleteItem($person: ID!, $resource: ID!, $competency: ID!, $at: String) {
  completePlanItem(personId: $person, resourceId: $resource, competencyId: $competency, at: $at) { ${SAVED_PLAN} }
}`;

const PROFICIENCY = 'query Proficiency($id: ID!) { person(id: $id) { proficiencies { competency { id } level source at } } }';

const CLEAR_PLAN = 'mutation ClearPlan($person: ID!) { clearPlan(personId: $person) { id } }';

const WHAT_IF = `query WhatIf($p: ProfileInput!, $raise: [ProficiencyInput!]!) {
  whatIf(from: $p, raise: $raise, limit: 20) {
    role { id title level { rank name } }
    before { gap readiness verdict } after { gap readiness verdict }
  }
}`;

/** How the page speaks of the profile: "you" for one's own, the first name for someone else's. */
function voiceOf(person, own) {
  if (own || !person) {
    return { own: true, subj: 'you', Subj: 'You', poss: 'your', Poss: 'Your', is: 'you are', lack: 'you lack', has: 'you have' };
  }
  const first = person.name.split(' ')[0];
  return { own: false, subj: first, Subj: first, poss: `${first}’s`, Poss: `${first}’s`, is: `${first} is`, lack: `${first} lacks`, has: `${first} has` };
}

const CLOSEST_PERSON = `query Closest($p: ProfileInput!) {
  up: closestRoles(from: $p, direction: UP, limit: 5) { ...M }
  lateral: closestRoles(from: $p, direction: LATERAL, limit: 5) { ...M }
} ${MATCH}`;

const CLOSEST_INLINE = `query Closest($p: ProfileInput!) { all: closestRoles(from: $p, limit: 12) { ...M } } ${MATCH}`;

const PATHS = `query Paths($p: ProfileInput!, $t: ID!, $k: Int!) {
  careerPath(from: $p, to: $t, k: $k) { totalGap directGap steps { gap role { id title level { rank name } track { id name } } } }
}`;

const GAP = `query Gap($p: ProfileInput!, $t: ID!) {
  gap(from: $p, to: $t) {
    role { id title level { rank name } }
    totalGap readiness verdict proofGaps
    items { competency { id name category indicators { level text } } required current deficit weight essential status evidence proofGap indicators { level text } }
  }
}`;

const STEP_GAP = `query StepGap($p: ProfileInput!, $t: ID!) {
  gap(from: $p, to: $t) { totalGap readiness items { competency { id name } required current deficit weight } }
}`;

const PLAN = `query Plan($p: ProfileInput!, $t: ID!) {
  developmentPlan(from: $p, to: $t) {
    totalHours
    items { resource { id title kind hours url } competency { id name } fromLevel toLevel indicators { level text } }
    uncovered { competency { id name } fromLevel toLevel }
  }
}`;

const LEARN = `query Learn($p: ProfileInput!, $t: ID, $limit: Int!) {
  learnNext(from: $p, target: $t, limit: $limit) {
    competency { id name } fromLevel toLevel readinessGain gapReduction reason
    readyRoles { id title } improvedRoles { id title }
    indicators { level text } resources { id title kind hours url }
  }
}`;

/** "a:3,b:2" → [{competencyId, level}] (unknown competencies and bad levels dropped). */
export function parseLevels(text, known, maxLevel) {
  const result = [];
  for (const part of (text ?? '').split(',')) {
    const [id, value] = part.split(':');
    const level = Number(value);
    if (id && known.has(id) && Number.isInteger(level) && level > 0 && level <= maxLevel) {
      result.push({ competencyId: id, level });
    }
  }
  return result;
}

export function formatLevels(list) {
  return list.filter((p) => p.level > 0).map((p) => `${p.competencyId}:${p.level}`).join(',');
}

const roleHref = (id) => `#/role/${encodeURIComponent(id)}`;

export default {
  async render(ctx) {
    ctx.title('My career');
    const viewer = ctx.session.viewer;
    let target = ctx.args[0] ?? null;
    const personParam = ctx.params.get('person');
    const levelsParam = ctx.params.get('levels');
    const selfMode = levelsParam !== null || ctx.params.get('self') === '1' || !(personParam || viewer?.person);

    const heading = h('h1', { tabindex: '-1' }, 'My career');
    const sub = h('p', { class: 'lead' });
    ctx.main.append(heading, sub);
    const holder = h('p', { class: 'status loading', role: 'status' }, 'Loading the profile…');
    ctx.main.append(holder);

    const [{ framework, competencyCount }, roles] = await Promise.all([architecture(), allRoles()]);
    if (!ctx.isCurrent()) return;
    // A large framework (ESCO: 13,939) is not downloaded whole: only the competencies the URL rates.
    const large = competencyCount > LARGE_FRAMEWORK;
    const rated = (levelsParam ?? '').split(',').map((part) => part.split(':')[0].trim()).filter(Boolean);
    const competencies = !selfMode ? [] : large ? await competenciesById(rated) : await allCompetencies();
    if (!ctx.isCurrent()) return;
    const maxLevel = Math.max(...framework.scale.map((s) => s.level));
    const scaleName = new Map(framework.scale.map((s) => [s.level, s.name]));
    const roleById = new Map(roles.map((r) => [r.id, r]));

    // --- whose profile -----------------------------------------------------------------
    let profile;
    let person = null;
    let levels = [];
    let fromRole = null;
    const keep = {};              // URL parameters that identify the profile, kept on every link
    if (selfMode) {
      levels = parseLevels(levelsParam, new Set(competencies.map((c) => c.id)), maxLevel);
      fromRole = roleById.get(ctx.params.get('from') ?? '') ?? null;
      keep.levels = formatLevels(levels) || (levelsParam !== null ? '' : undefined);
      if (fromRole) keep.from = fromRole.id;
      if (!levels.length) keep.self = '1';
      profile = fromRole ? { proficiencies: levels, currentRoleId: fromRole.id } : { proficiencies: levels };
    } else {
      const id = personParam ?? viewer.person.id;
      if (personParam) keep.person = personParam;
      person = await loadPerson(id);
      if (!ctx.isCurrent()) return;
      profile = { personId: person.id };
      // The saved target is where "My career" opens (the overview stays one link away: ?overview=1).
      if (!target && person.plan && ctx.params.get('overview') !== '1') {
        holder.textContent = `Opening the saved plan for ${person.plan.target.title}…`;
        location.replace(hashOf(['career', person.plan.target.id], { ...keep }));
        return;
      }
    }
    holder.remove();
    const here = (t, extra = {}) => hashOf(['career', t], { ...keep, ...extra });
    // A target that is not a role (a mistyped or stale link): one message, then the page as without a target.
    const missing = target && !roleById.has(target);
    if (missing) {
      ctx.title('No such role');
      ctx.main.append(missingRole(target, here(null, person?.plan ? { overview: 1 } : {})));
      target = null;
    }

    const voice = voiceOf(person, !person || viewer?.person?.id === person.id);
    if (person) {
      const own = voice.own;
      heading.textContent = own ? 'My career' : `Career: ${person.name}`;
      ctx.title(missing ? 'No such role' : own ? 'My career' : `Career: ${person.name}`);
      fill(sub, h('strong', { id: 'profile-name' }, person.name), person.role ? [' · ',
        h('a', { href: roleHref(person.role.id), id: 'current-role', dataset: { roleId: person.role.id } }, person.role.title),
        person.role.level ? ` (${person.role.level.name})` : ''] : ' · no current role',
      person.manager ? ` · reports to ${person.manager.name}` : '', '. ',
      h('a', { href: hashOf(['career', target], { self: 1 }) }, 'Try a self-assessment instead'));
    } else {
      fill(sub, levels.length
        ? `Based on your self-assessment of ${plural(levels.length, 'competency', 'competencies')}. `
        : 'Rate yourself on the framework’s competencies to see the roles you are closest to and your path to any role. ',
      !viewer?.person ? [h('a', { href: `#/signin?next=${encodeURIComponent(location.hash || '#/career')}` }, 'Sign in'),
        ' to use your assessed profile instead.'] : [h('a', { href: hashOf(['career', target]) }, 'Use my assessed profile'), ' instead.']);
      const kept = new Set(levels.map((p) => `${p.competencyId}:${p.level}`));
      const left = (levelsParam ?? '').split(',').map((part) => part.trim()).filter((part) => part && !kept.has(part));
      if (left.length) {
        ctx.main.append(h('p', { class: 'status warning', id: 'dropped-levels', role: 'status' },
          `Left out ${plural(left.length, 'rating')} from the link (${left.join(', ')}): an unknown competency, or a level outside 1..${maxLevel}.`));
      }
      ctx.main.append(selfAssessmentForm({ framework, competencies, roles, levels, fromRole, target, maxLevel, large, competencyCount }));
      if (!levels.length) return;
    }

    // --- closest roles -------------------------------------------------------------------
    const closest = h('section', { class: 'panel', id: 'closest', 'aria-labelledby': 'closest-title' },
      h('h2', { id: 'closest-title' }, `Roles ${voice.is} closest to`),
      h('p', { class: 'intro' }, `Ranked by distance: mostly whether ${voice.subj} and the role are about the same things (which `
        + `competencies stand out, among skills and among knowledge), partly how much must change (what ${voice.lack} counts `
        + 'fully, unused strengths partly), plus level distance. '
        + `Readiness is the share of the role’s weighted requirements ${voice.subj} ${voice.own ? 'meet' : 'meets'}. Choose one as ${voice.own ? 'your' : 'the'} target.`));
    const closestBody = h('div', { class: 'section-body', 'aria-busy': 'true' });
    closest.append(closestBody);
    busy(closestBody, `Loading the roles ${voice.is} closest to…`);

    // --- target picker ---------------------------------------------------------------------
    const { families } = await architecture();
    const select = h('select', { id: 'target', name: 'target' },
      h('option', { value: '' }, 'Choose a role…'), roleOptions(families, roles, target));
    // Choosing a role shows its path at once; the button says what happens (and re-shows the same role).
    const go = () => {
      if (!select.value) return;
      const next = here(select.value);
      if (location.hash === next) ctx.rerender();
      else location.hash = next;
    };
    select.addEventListener('change', go);
    const canSetInterest = Boolean(person?.interests) && (voice.own || viewer?.access === 'HR' || !viewer?.authEnabled);
    const picker = h('section', { class: 'panel', 'aria-labelledby': 'target-title' },
      h('h2', { id: 'target-title' }, target ? 'Target role' : 'Choose a target role'),
      h('form', {
        class: 'inline-form', id: 'target-form',
        onsubmit: (e) => { e.preventDefault(); go(); },
      }, h('label', { for: 'target' }, 'Target role'), select,
      h('button', { type: 'submit', class: 'button' }, voice.own ? 'Show my path' : `Show ${voice.poss} path`),
      h('span', { class: 'muted small', id: 'target-hint' }, `Choosing a role shows ${voice.poss} path, gap and plan for it below.`)),
      person?.plan && person.plan.target.id !== target ? savedPlanNote(person.plan, here, voice) : null,
      person?.interests ? interestBox(ctx, {
        person, target: roleById.has(target) ? target : null, targetTitle: roleById.get(target)?.title, voice, canSet: canSetInterest, href: (id) => here(id),
      }) : null);
    ctx.main.append(picker);

    // The saved plan of this target (a person's own, or their manager's / HR's view of it).
    const planState = { person, voice, target, refresh: [] };
    if (person && person.plan && person.plan.target.id === target) {
      const saved = h('section', { class: 'panel saved-plan', id: 'saved-plan', 'aria-labelledby': 'saved-plan-title' });
      planState.box = saved;
      ctx.main.append(saved);
      drawSavedPlan(ctx, planState);
    }
    ctx.main.append(closest);

    const closestDone = loadClosest(ctx, closestBody, { profile, person, fromRole, here, target, voice });
    planState.refresh.push(() => loadClosest(ctx, closestBody, { profile, person, fromRole, here, target, voice }));

    if (!target) {
      const learn = h('section', { class: 'panel', id: 'learn', 'aria-labelledby': 'learn-title' },
        h('h2', { id: 'learn-title' }, 'What to learn next'),
        h('p', { class: 'intro' }, `One-level gains ranked by what they unlock across ${voice.poss} closest roles.`));
      const learnBody = h('div', { class: 'section-body' });
      learn.append(learnBody);
      ctx.main.append(learn, whatIfSection(ctx, { profile, voice, target: null, maxLevel, scaleName, large, selfCompetencies: competencies, here }));
      await Promise.all([closestDone, loadLearn(ctx, learnBody, { profile, target: null, scaleName, voice })]);
      announce(`The roles ${voice.is} closest to and what to learn next are shown.`);
      return;
    }

    // --- the target: path, gap, plan, learn next -----------------------------------------------
    const targetRole = roleById.get(target);
    const targetTitle = targetRole?.title ?? target;
    ctx.title(`Path to ${targetTitle}`);
    const parts = {};
    for (const [key, title, intro] of [
      ['path', `${voice.Poss} path to ${targetTitle}`, `The sequence of moves with the smallest total gap; each step costs the gap from the previous role’s requirements (the first step: from ${voice.poss} profile).`],
      ['gap', `${voice.Poss} gap to ${targetTitle}`, `Competency by competency: the level the role requires, where ${voice.is}, and what to demonstrate to close it.`],
      ['plan', 'Development plan', 'The fewest learning hours that close every deficit, lower levels first'
        + (person ? `, as of ${voice.poss} profile today. Save it to track ${voice.poss} progress.` : '.')],
      ['learn', 'What to learn next', `One-level gains ranked by how much they move ${voice.own ? 'you' : voice.subj} towards ${targetTitle}.`],
    ]) {
      const body = h('div', { class: 'section-body' });
      const node = h('section', { class: 'panel', id: key, 'aria-labelledby': `${key}-title` },
        h('h2', { id: `${key}-title` }, title), h('p', { class: 'intro' }, intro), body);
      parts[key] = body;
      ctx.main.append(node);
    }
    ctx.main.append(whatIfSection(ctx, { profile, voice, target, targetTitle, maxLevel, scaleName, large, selfCompetencies: competencies, here }));
    const pathArgs = { profile, person, target, targetTitle, here, voice, hr: viewer?.access === 'HR' };
    const planArgs = { profile, target, targetTitle, planState };
    planState.refresh.push(
      () => loadPaths(ctx, parts.path, pathArgs),
      () => loadGap(ctx, parts.gap, { profile, target, scaleName, maxLevel }),
      () => loadPlan(ctx, parts.plan, planArgs),
      () => loadLearn(ctx, parts.learn, { profile, target, scaleName, voice }));
    await Promise.all([
      closestDone,
      loadPaths(ctx, parts.path, pathArgs),
      loadGap(ctx, parts.gap, { profile, target, scaleName, maxLevel }),
      loadPlan(ctx, parts.plan, planArgs),
      loadLearn(ctx, parts.learn, { profile, target, scaleName, voice }),
    ]);
    announce(`${voice.Poss} path, gap and plan for ${targetTitle} are shown.`);
    if (ctx.sameView && ctx.isCurrent()) {
      // Chosen from this page (a closest role, the picker): go to the answer, not back to the top.
      const title = document.getElementById('path-title');
      title?.setAttribute('tabindex', '-1');
      title?.focus({ preventScroll: true });
      document.getElementById('path')?.scrollIntoView({ block: 'start' });
    }
  },
};

/** The one message for a target that is not a role, with the ways on. */
function missingRole(id, overview) {
  return h('div', { class: 'error-box error-not-found missing-role', id: 'missing-role', role: 'alert', dataset: { code: 'NOT_FOUND' } },
    h('p', { class: 'error-title' }, h('strong', {}, 'There is no such role.')),
    h('p', {}, `No role in the job architecture has the id “${id}”: the link may be mistyped, or the role was renamed or removed.`),
    h('p', {}, h('a', { href: '#/architecture', id: 'missing-role-architecture' }, 'Browse the job architecture'), ' · ',
      h('a', { href: overview, id: 'missing-role-overview' }, 'See the career overview'), ' · or choose a target role below.'));
}

// --- the person and their saved plan ---------------------------------------------------------------

/** The person with their saved plan (`plan` undefined on a server without saved plans, null when none). */
async function loadPerson(id) {
  try {
    return (await graphql(PERSON, { id })).person;
  } catch (error) {
    if (error.code !== 'GRAPHQL_VALIDATION_FAILED') throw error;
    return { ...(await graphql(PERSON_NO_PLAN, { id })).person, plan: undefined };
  }
}

const today = () => new Date().toISOString().slice(0, 10);

/** "2026-12-03" → "3 Dec 2026" (the date as written, whatever the time zone). */
export function dateText(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  if (!y || !m || !d) return iso;
  return `${d} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1]} ${y}`;
}

/** A progress bar with the hours in words beside it. */
function progressBar(plan, id = 'plan-progress') {
  const value = Math.max(0, Math.min(1, plan.progress));
  return h('div', { class: 'plan-progress', id },
    h('span', {
      class: 'progress-bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100',
      'aria-valuenow': String(Math.round(value * 100)), 'aria-label': `Plan progress: ${pct(value)}`,
    }, h('span', { class: 'fill', style: `width:${(value * 100).toFixed(1)}%` })),
    h('span', { class: 'progress-words' },
      h('strong', { id: `${id}-value`, dataset: { value: String(plan.progress) } }, pct(plan.progress)), ' done · ',
      h('span', { id: `${id}-done`, dataset: { value: String(plan.doneHours) } }, num(plan.doneHours)), ' of ',
      h('span', { id: `${id}-total`, dataset: { value: String(plan.totalHours) } }, num(plan.totalHours)), ' hours'));
}

/** In the target picker: the saved plan is for another role — a link to it. */
function savedPlanNote(plan, here, voice) {
  return h('p', { class: 'saved-note', id: 'saved-plan-note' },
    h('span', { class: 'saved-mark', 'aria-hidden': 'true' }, '★ '),
    `${voice.Poss} saved target: `, h('a', { href: here(plan.target.id), id: 'saved-target-link', dataset: { roleId: plan.target.id } }, plan.target.title),
    ` — ${pct(plan.progress)} of the plan done (${num(plan.doneHours)} of ${num(plan.totalHours)} hours).`);
}

/** The saved plan of the page's target: progress, the items (mark one done), clear it. */
function drawSavedPlan(ctx, state) {
  const { person, voice, box } = state;
  const plan = person.plan;
  const by = voice.own ? 'a self-assessment' : 'a manager’s assessment';
  const doneAt = h('input', { type: 'date', id: 'done-at', name: 'done-at', value: today(), max: today(), required: true });
  const message = h('p', { class: 'status', role: 'status', id: 'saved-plan-status' });
  const left = plan.items.filter((i) => !i.done).length;
  const seen = new Map();
  for (const item of plan.items) seen.set(item.resource.id, (seen.get(item.resource.id) ?? 0) + 1);
  const rows = plan.items.map((item) => {
    const what = `${item.resource.title} (${item.competency.name} ${item.fromLevel} → ${item.toLevel})`;
    const action = item.done
      ? h('span', { class: 'done-mark' }, h('span', { 'aria-hidden': 'true' }, '✓ '), `Done${item.doneAt ? ` on ${dateText(item.doneAt)}` : ''}`)
      : h('button', {
        type: 'button', class: 'button small mark-done',
        dataset: { resourceId: item.resource.id, competencyId: item.competency.id },
        onclick: (event) => completeItem(ctx, state, item, doneAt.value || today(), message, event.currentTarget),
      }, 'Mark done', h('span', { class: 'visually-hidden' }, `: ${what}`));
    return h('tr', {
      class: item.done ? 'is-done' : null,
      dataset: { resourceId: item.resource.id, competencyId: item.competency.id, done: String(item.done) },
    },
    h('td', { dataset: { label: 'Competency' } }, item.competency.name, h('div', { class: 'muted small' }, `level ${item.fromLevel} → ${item.toLevel}`)),
    h('th', { scope: 'row' }, item.resource.url ? h('a', { href: item.resource.url, rel: 'noopener' }, item.resource.title) : item.resource.title),
    h('td', { dataset: { label: 'Kind' } }, words(item.resource.kind)),
    h('td', { class: 'num', dataset: { label: 'Hours' } }, num(item.resource.hours),
      seen.get(item.resource.id) > 1 ? h('div', { class: 'muted small' }, 'counted once') : null),
    h('td', { dataset: { label: 'Status' } }, action));
  });
  const confirmBox = h('div', { class: 'confirm', id: 'clear-confirm', hidden: true },
    h('p', {}, `Clear ${voice.poss} saved plan for ${plan.target.title}? The assessments recorded from it stay.`),
    h('button', { type: 'button', class: 'button small danger', id: 'clear-plan-confirm', onclick: () => clearPlan(ctx, state, message) }, 'Yes, clear the plan'),
    ' ',
    h('button', { type: 'button', class: 'button small secondary', onclick: () => { confirmBox.hidden = true; clearButton.focus(); } }, 'Keep it'));
  const clearButton = h('button', {
    type: 'button', class: 'button small secondary', id: 'clear-plan',
    onclick: () => { confirmBox.hidden = false; confirmBox.querySelector('button').focus(); },
  }, 'Clear plan');
  fill(box,
    h('h2', { id: 'saved-plan-title' }, h('span', { class: 'saved-mark', 'aria-hidden': 'true' }, '★ '),
      `${voice.own ? 'My' : voice.Poss} plan: towards ${plan.target.title}`),
    h('p', { class: 'intro' }, `Saved on ${dateText(plan.savedAt)}. `,
      left ? `${plural(left, 'item')} to go. Mark an item done when it is finished: that records ${by} at the level it reaches, `
        + 'with the course completion as evidence.' : 'Every item is done.'),
    progressBar(plan),
    plan.items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data stack', id: 'saved-plan-items' },
      h('caption', { class: 'visually-hidden' }, `Saved plan towards ${plan.target.title}`),
      h('thead', {}, h('tr', {}, ['Competency', 'Resource', 'Kind', 'Hours', 'Status'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows))) : empty('This plan has no learning items: nothing the catalogue offers was needed.'),
    h('div', { class: 'plan-actions' },
      left ? h('span', { class: 'field-inline' }, h('label', { for: 'done-at' }, 'Finished on'), doneAt) : null,
      clearButton),
    confirmBox,
    message);
}

async function completeItem(ctx, state, item, at, message, button) {
  const { person, voice } = state;
  button.disabled = true;
  message.textContent = `Marking ${item.resource.title} done…`;
  try {
    const data = await graphql(COMPLETE_ITEM, {
      person: person.id, resource: item.resource.id, competency: item.competency.id, at,
    });
    if (!ctx.isCurrent()) return;
    person.plan = data.completePlanItem;
  } catch (error) {
    button.disabled = false;
    message.replaceChildren(errorBox(error, { what: 'the plan item' }));
    return;
  }
  drawSavedPlan(ctx, state);
  let text = `${item.resource.title} done: ${voice.poss} plan is ${pct(person.plan.progress)} done. `
    + `${voice.own ? 'A self-assessment' : 'An assessment'} of ${item.competency.name} at level ${item.toLevel} is recorded, with the course completion as evidence.`;
  try {
    // A self-assessment does not outrank a manager's: say so when the level that counts stays lower.
    const { person: now } = await graphql(PROFICIENCY, { id: person.id });
    const effective = now.proficiencies.find((p) => p.competency.id === item.competency.id);
    if (effective && effective.level < item.toLevel) {
      text += ` The level that counts stays ${effective.level} (${words(effective.source).toLowerCase()} assessment of ${dateText(effective.at)})`
        + (voice.own ? ' until your manager confirms it.' : '.');
    }
  } catch {
    // the note is a nicety: the item is done either way
  }
  if (!ctx.isCurrent()) return;
  state.box.querySelector('#saved-plan-status').textContent = text;
  announce(text);
  // The assessment changed the profile: the gap, the paths and what to learn next move with it.
  const next = state.box.querySelector('.mark-done');
  if (next) next.focus({ preventScroll: true });
  else focusHeading('saved-plan-title');
  await Promise.all(state.refresh.map((load) => load()));
}

function focusHeading(id) {
  const title = document.getElementById(id);
  title?.setAttribute('tabindex', '-1');
  title?.focus({ preventScroll: true });
}

async function clearPlan(ctx, state, message) {
  const { person, voice } = state;
  try {
    await graphql(CLEAR_PLAN, { person: person.id });
  } catch (error) {
    message.replaceChildren(errorBox(error, { what: 'the plan' }));
    return;
  }
  if (!ctx.isCurrent()) return;
  const title = person.plan.target.title;
  person.plan = null;
  state.box.remove();
  state.box = null;
  state.drawActions?.();
  const text = `${voice.Poss} saved plan for ${title} is cleared.`;
  state.actionStatus?.replaceChildren(text);
  announce(text);
  focusHeading('plan-title');
}

async function savePlan(ctx, state, status) {
  const { person, voice, target } = state;
  status.textContent = 'Saving the plan…';
  let plan;
  try {
    plan = (await graphql(SAVE_PLAN, { person: person.id, target })).savePlan;
  } catch (error) {
    status.replaceChildren(errorBox(error, { what: 'the plan' }));
    return;
  }
  if (!ctx.isCurrent()) return;
  person.plan = plan;
  if (!state.box) {
    state.box = h('section', { class: 'panel saved-plan', id: 'saved-plan', 'aria-labelledby': 'saved-plan-title' });
    document.getElementById('closest')?.before(state.box);
  }
  drawSavedPlan(ctx, state);
  state.drawActions?.();
  document.getElementById('saved-plan-note')?.remove();
  const text = `Saved: ${voice.poss} plan towards ${plan.target.title}, ${num(plan.totalHours)} hours.`;
  status.textContent = text;
  announce(text);
  focusHeading('saved-plan-title');
  state.box.scrollIntoView({ block: 'start' });
}

// --- what if ----------------------------------------------------------------------------------------

/** "If I reach level N in X": which roles' readiness or verdict change. Kept in the URL as ?if=competency:level. */
function whatIfSection(ctx, { profile, voice, target, targetTitle, maxLevel, scaleName, large, selfCompetencies }) {
  const body = h('div', { class: 'section-body', id: 'what-if-body', 'aria-busy': 'true' });   // until the competencies are in
  const competencySelect = h('select', { id: 'what-if-competency', name: 'what-if-competency' }, h('option', { value: '' }, 'Loading competencies…'));
  const levelSelect = h('select', { id: 'what-if-level', name: 'what-if-level' },
    Array.from({ length: maxLevel }, (_, i) => i + 1).map((l) => h('option', { value: String(l) }, `${l}${scaleName.get(l) ? ` · ${scaleName.get(l)}` : ''}`)));
  const initial = (ctx.params.get('if') ?? '').split(':');
  const form = h('form', {
    class: 'what-if-form', id: 'what-if-form',
    onsubmit: (event) => {
      event.preventDefault();
      if (!competencySelect.value) return;
      ctx.setParams({ if: `${competencySelect.value}:${levelSelect.value}` });
      run(competencySelect.value, Number(levelSelect.value));
    },
  },
  h('span', { class: 'what-if-words' }, voice.own ? 'If I reach' : `If ${voice.subj} reaches`),
  h('span', { class: 'field-inline' }, h('label', { for: 'what-if-level' }, 'level'), levelSelect),
  h('span', { class: 'field-inline' }, h('label', { for: 'what-if-competency' }, 'in'), competencySelect),
  h('button', { type: 'submit', class: 'button', id: 'what-if-submit' }, 'What changes?'));
  const node = h('section', { class: 'panel', id: 'what-if', 'aria-labelledby': 'what-if-title' },
    h('h2', { id: 'what-if-title' }, 'What if…'),
    h('p', { class: 'intro' }, `Pick a competency and a level ${voice.subj} could reach: the roles whose readiness or verdict would change, before → after`
      + (target ? ` (${targetTitle} marked).` : '.')),
    form, body);

  (async () => {
    let list;
    try {
      if (target) {
        const reqs = await roleRequirements(target);
        const ids = new Set(reqs.map((r) => r.competency.id));
        const rest = large ? [] : (await allCompetencies()).filter((c) => !ids.has(c.id));
        list = [['Required by the target', reqs.map((r) => r.competency)], ['Other competencies', rest]];
      } else {
        const all = large ? selfCompetencies : await allCompetencies();
        list = [['Competencies', all]];
      }
    } catch (error) {
      if (ctx.isCurrent()) fill(body, errorBox(error, { what: 'the competencies' }));
      return;
    }
    if (!ctx.isCurrent()) return;
    const byName = (a, b) => a.name.localeCompare(b.name);
    body.removeAttribute('aria-busy');
    competencySelect.replaceChildren(h('option', { value: '' }, 'Choose a competency…'),
      ...list.filter(([, cs]) => cs.length).map(([label, cs]) => h('optgroup', { label }, [...cs].sort(byName).map((c) => h('option', { value: c.id }, c.name)))));
    if (initial[0] && competencySelect.querySelector(`option[value="${CSS.escape(initial[0])}"]`)) {
      competencySelect.value = initial[0];
      if (Number(initial[1]) >= 1 && Number(initial[1]) <= maxLevel) levelSelect.value = initial[1];
      run(initial[0], Number(levelSelect.value));
    }
  })();

  function run(competencyId, level) {
    const name = competencySelect.selectedOptions[0]?.textContent ?? competencyId;
    return sectionLoad(ctx, body, 'Working out what would change…', 'what would change', async () => {
      const { whatIf } = await graphql(WHAT_IF, { p: profile, raise: [{ competencyId, level }] });
      if (!ctx.isCurrent()) return;
      const arrow = (a, b, fmt) => h('span', { class: 'before-after' },
        h('span', { class: 'before' }, fmt(a)), h('span', { 'aria-hidden': 'true' }, ' → '), h('span', { class: 'visually-hidden' }, ' to '),
        h('strong', { class: 'after' }, fmt(b)));
      fill(body, whatIf.length ? [
        h('p', { id: 'what-if-summary' }, `Reaching level ${level} in ${name} changes ${plural(whatIf.length, 'role')}${whatIf.length >= 20 ? ' (the 20 that gain most)' : ''}:`),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data stack', id: 'what-if-results' },
          h('caption', { class: 'visually-hidden' }, `Roles that change if ${voice.subj} ${voice.own ? 'reach' : 'reaches'} level ${level} in ${name}`),
          h('thead', {}, h('tr', {}, ['Role', 'Readiness', 'Verdict', 'Gap'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, whatIf.map((change) => h('tr', {
            class: change.role.id === target ? 'is-target' : null,
            dataset: { roleId: change.role.id },
          },
          h('th', { scope: 'row' }, h('a', { href: roleHref(change.role.id) }, change.role.title),
            change.role.level ? h('span', { class: 'muted small' }, ` · ${change.role.level.name}`) : null,
            change.role.id === target ? h('span', { class: 'target-mark' }, ' (target)') : null),
          h('td', { dataset: { label: 'Readiness' }, class: 'what-if-readiness' }, arrow(change.before.readiness, change.after.readiness, pct),
            h('div', { class: 'muted small' }, `+${num(Math.round((change.after.readiness - change.before.readiness) * 1000) / 10)} points`)),
          h('td', { dataset: { label: 'Verdict' }, class: 'what-if-verdict' },
            change.before.verdict === change.after.verdict ? badge(change.after.verdict, 'verdict')
              : [badge(change.before.verdict, 'verdict'), h('span', { 'aria-hidden': 'true' }, ' → '), h('span', { class: 'visually-hidden' }, ' to '), badge(change.after.verdict, 'verdict')]),
          h('td', { dataset: { label: 'Gap' }, class: 'num what-if-gap' }, arrow(change.before.gap, change.after.gap, num))))))),
      ] : empty(`Reaching level ${level} in ${name} changes no role’s readiness or verdict (${voice.subj} may already be there).`));
      announce(whatIf.length ? `${plural(whatIf.length, 'role')} would change.` : 'No role would change.');
    });
  }
  return node;
}

// --- sections -------------------------------------------------------------------------------------


function matchCard(match, here) {
  const { role } = match;
  return h('li', { class: 'match', dataset: { roleId: role.id } },
    h('div', { class: 'match-head' },
      h('a', { href: here(role.id), class: 'match-title' }, role.title),
      ' ', trackBadge(role.track)),
    h('div', { class: 'muted small' }, [role.family?.name, role.level ? `Level ${role.level.rank} · ${role.level.name}` : null].filter(Boolean).join(' · ')),
    readinessBar(match.readiness, `Readiness for ${role.title}`),
    h('div', { class: 'match-numbers' },
      h('span', {}, 'Gap ', h('strong', { class: 'gap-value', dataset: { value: String(match.gap) } }, num(match.gap))),
      ' ', badge(match.verdict, 'verdict'),
      ' ', h('a', { href: roleHref(role.id), class: 'small' }, 'role details')));
}

function matchList(title, id, list, here, none) {
  return h('div', { class: 'match-group' }, h('h3', {}, title),
    list.length ? h('ol', { class: 'matches', id }, list.map((m) => matchCard(m, here))) : empty(none));
}

function loadClosest(ctx, body, { profile, person, fromRole, here, voice }) {
  return sectionLoad(ctx, body, `Loading the roles ${voice.is} closest to…`, `the roles ${voice.is} closest to`, async () => {
    let up;
    let lateral;
    let note = null;
    let lateralTitle = 'Lateral';
    if (profile.personId) {
      const data = await graphql(CLOSEST_PERSON, { p: profile });
      ({ up, lateral } = data);
      note = person?.role ? `Compared with ${voice.poss} current role, ${person.role.title}${person.role.level ? ` (${person.role.level.name})` : ''}.` : null;
    } else {
      const answer = await graphql(CLOSEST_INLINE, { p: profile });
      // Like a person's current role, the role a self-assessment started from is not a destination.
      const all = answer.all.filter((m) => m.role.id !== fromRole?.id);
      // A typed-in profile has no level of its own: the reference is the role it started from, else the closest match.
      const reference = fromRole?.level?.rank ?? all.find((m) => m.role.level)?.role.level.rank ?? 0;
      up = all.filter((m) => (m.role.level?.rank ?? 0) > reference).slice(0, 5);
      lateral = all.filter((m) => (m.role.level?.rank ?? 0) <= reference).slice(0, 5);
      if (lateral.some((m) => (m.role.level?.rank ?? 0) < reference)) lateralTitle = 'Lateral (same level or below)';
      note = fromRole ? `Step up means above the level of ${fromRole.title}; lateral, at or below it.`
        : 'Step up means above the level of your closest match; lateral, at or below it.';
    }
    if (!ctx.isCurrent()) return;
    fill(body, note ? h('p', { class: 'muted' }, note) : null, h('div', { class: 'two-col' },
      matchList('Step up', 'closest-up', up, here, 'No step-up role is close yet.'),
      matchList(lateralTitle, 'closest-lateral', lateral, here, 'No lateral role is close yet.')));
  });
}

function pathGraph(path, { person, targetTitle, narrow }) {
  // Left to right, four nodes a row, snaking down when the path is long; top to bottom on a phone.
  const at = (i) => {
    if (narrow) return { x: 0, y: i * 95 };
    const row = Math.floor(i / 4);
    const col = row % 2 ? 3 - (i % 4) : i % 4;
    return { x: col * 210, y: row * 120 };
  };
  const start = person?.role
    ? { id: '__start', label: `Now: ${person.role.title}`, kind: 'start' }
    : { id: '__start', label: person ? `${person.name}\n(no role)` : 'You\n(self-assessment)', kind: 'start' };
  const nodes = [{ ...start, ...at(0) }];
  const edges = [];
  let previous = '__start';
  path.steps.forEach((step, i) => {
    const id = `${step.role.id}#${i}`;
    const last = i === path.steps.length - 1;
    nodes.push({
      id, label: `${step.role.title}${step.role.level ? `\n${step.role.level.name}` : ''}`, kind: last ? 'target' : 'plain',
      ...at(i + 1), href: roleHref(step.role.id),
    });
    const prevLevel = i === 0 ? person?.role?.level?.rank : path.steps[i - 1].role.level?.rank;
    const lateral = prevLevel !== undefined && step.role.level && step.role.level.rank <= prevLevel;
    edges.push({ source: previous, target: id, label: `gap ${num(step.gap)}`, kind: lateral ? 'lateral' : 'up' });
    previous = id;
  });
  return { nodes, edges, label: `Path to ${targetTitle}: ${['start', ...path.steps.map((s) => `${s.role.title} (gap ${num(s.gap)})`)].join(' → ')}.` };
}

function stepDetail(ctx, step, fromProfile, fromLabel) {
  const body = h('div', { class: 'step-detail' });
  const details = h('details', { class: 'step-gap' }, h('summary', {}, `What this step takes (from ${fromLabel})`), body);
  let loaded = false;
  details.addEventListener('toggle', () => {
    if (!details.open || loaded) return;
    loaded = true;
    sectionLoad(ctx, body, 'Loading the gap…', 'the gap for this step', async () => {
      const { gap } = await graphql(STEP_GAP, { p: fromProfile, t: step.role.id });
      const short = gap.items.filter((i) => i.deficit > 0);
      fill(body, h('p', {}, `Gap ${num(gap.totalGap)} · readiness ${pct(gap.readiness)}.`),
        short.length ? h('ul', {}, short.map((i) => h('li', {}, `${i.competency.name}: ${i.current} → ${i.required}`,
          h('span', { class: 'muted' }, ` (weight ${num(i.weight)})`))))
          : empty('Nothing to close: every requirement is met.'));
    });
  });
  return details;
}

/** Why no path reaches the target, with the ways on: its moves on the role page, and for HR the editor's Moves. */
async function noPath(target, targetTitle, { person, voice, hr }) {
  const { role } = await graphql('query MovesInto($id: ID!) { role(id: $id) { movesFrom { id } } }', { id: target });
  const none = !role.movesFrom.length;
  return [
    empty(none ? `No curated move leads into ${targetTitle}, so no sequence of moves reaches it. `
      : `No sequence of moves reaches ${targetTitle} from ${person?.role ? person.role.title : `${voice.poss} profile`}. `,
    `${voice.Poss} direct gap is below: it is what separates ${voice.own ? 'you' : voice.subj} from the role.`, h('span', { id: 'no-path', dataset: { movesInto: String(role.movesFrom.length) } })),
    h('p', { class: 'no-path-links' }, h('a', { href: roleHref(target), id: 'no-path-role' }, `See the moves into and out of ${targetTitle}`),
      hr ? [' · ', h('a', { href: `#/editor/moves?role=${encodeURIComponent(target)}`, id: 'no-path-editor' },
        none ? `Add a move into ${targetTitle} in the editor` : `Edit the moves into ${targetTitle} in the editor`)] : null),
  ];
}

function loadPaths(ctx, body, { profile, person, target, targetTitle, voice, hr }) {
  let k = Math.min(5, Math.max(1, Number(ctx.params.get('k')) || 1));
  let chosen = Math.max(0, (Number(ctx.params.get('alt')) || 1) - 1);
  const controls = h('div', { class: 'path-controls' });
  const summary = h('div', { id: 'path-summary' });
  const graphBox = h('div', { class: 'graph graph-path', id: 'path-graph', role: 'img' });
  const steps = h('div', { id: 'path-steps-box' });
  const kSelect = h('select', { id: 'k', name: 'k' }, [1, 2, 3, 4, 5].map((n) => h('option', { value: String(n), selected: n === k },
    n === 1 ? 'Only the best path' : `The best ${n} paths`)));
  controls.append(h('label', { for: 'k' }, 'Alternatives'), kSelect);
  const radios = h('fieldset', { class: 'alternatives', id: 'alternatives', hidden: true });

  async function load() {
    const { careerPath } = await graphql(PATHS, { p: profile, t: target, k });
    if (!ctx.isCurrent()) return;
    if (!careerPath.length) {
      const why = await noPath(target, targetTitle, { person, voice, hr });
      if (ctx.isCurrent()) fill(body, controls, why);
      return;
    }
    chosen = Math.min(chosen, careerPath.length - 1);
    fill(body, controls, radios, summary, graphBox, steps);
    radios.hidden = careerPath.length < 2;
    fill(radios, h('legend', {}, 'Show path'), careerPath.map((path, i) => h('label', { class: 'radio' },
      h('input', {
        type: 'radio', name: 'alt', value: String(i + 1), checked: i === chosen,
        onchange: () => { chosen = i; ctx.setParams({ alt: i + 1 === 1 ? null : i + 1 }); draw(careerPath); },
      }),
      ` Path ${i + 1}: total gap ${num(path.totalGap)}, ${plural(path.steps.length, 'step')}`)));
    await draw(careerPath);
  }

  async function draw(paths) {
    const path = paths[chosen];
    summary.replaceChildren(h('p', { class: 'numbers' },
      h('span', {}, 'Total gap along the path ', h('strong', { id: 'path-total', dataset: { value: String(path.totalGap) } }, num(path.totalGap))),
      h('span', {}, 'Direct gap ', h('strong', { id: 'path-direct', dataset: { value: String(path.directGap) } }, num(path.directGap))),
      h('span', {}, h('strong', {}, String(path.steps.length)), ` ${path.steps.length === 1 ? 'step' : 'steps'}`)));
    const narrow = graphBox.clientWidth > 0 && graphBox.clientWidth < 520;
    const graph = pathGraph(path, { person, targetTitle, narrow });
    graphBox.style.height = narrow ? `${Math.max(240, (path.steps.length + 1) * 95 + 10)}px` : '';
    graphBox.setAttribute('aria-label', graph.label);
    steps.replaceChildren(h('ol', { class: 'steps', id: 'path-steps' }, path.steps.map((step, i) => {
      const fromProfile = i === 0 ? profile : { roleId: path.steps[i - 1].role.id };
      const fromLabel = i === 0 ? (person ? (person.role ? `${person.name}’s profile` : 'the profile') : 'your self-assessment') : `${path.steps[i - 1].role.title}’s requirements`;
      return h('li', { dataset: { roleId: step.role.id } },
        h('a', { href: roleHref(step.role.id) }, step.role.title),
        step.role.level ? h('span', { class: 'muted' }, ` · ${step.role.level.name}`) : null,
        ' — gap ', h('strong', { class: 'step-gap-value', dataset: { value: String(step.gap) } }, num(step.gap)),
        stepDetail(ctx, step, fromProfile, fromLabel));
    })));
    await drawGraph(graphBox, graph);
  }

  kSelect.addEventListener('change', () => {
    k = Number(kSelect.value);
    chosen = 0;
    ctx.setParams({ k: k === 1 ? null : k, alt: null });
    sectionLoad(ctx, body, 'Finding paths…', `${voice.poss} paths`, load);
  });
  return sectionLoad(ctx, body, `Finding ${voice.poss} path…`, `${voice.poss} path`, load);
}

function indicatorList(indicators, scaleName) {
  const byLevel = new Map();
  for (const i of indicators) {
    if (!byLevel.has(i.level)) byLevel.set(i.level, []);
    byLevel.get(i.level).push(i.text);
  }
  return h('dl', { class: 'indicator-levels' }, [...byLevel].map(([level, texts]) => [
    h('dt', {}, `Level ${level}${scaleName.get(level) ? ` · ${scaleName.get(level)}` : ''}`),
    h('dd', {}, h('ul', { class: 'indicators' }, texts.map((t) => h('li', {}, t))))]));
}

/** No behaviour described between the current and the required level: the nearest described level's, marked as such. */
function nearestBehaviours(item, scaleName) {
  const near = nearestDescribed(item.competency.indicators ?? [], item.required, item.current);
  if (!near) return h('span', { class: 'muted' }, '—');
  const missing = item.current + 1 === item.required ? `level ${item.required}` : `levels ${item.current + 1} to ${item.required}`;
  return h('details', {}, h('summary', {}, `Nearest described: level ${near.level}`),
    h('p', { class: 'muted small' }, `The framework describes no behaviour for ${missing}; this is level ${near.level}.`),
    indicatorList(near.items, scaleName));
}

function loadGap(ctx, body, { profile, target, scaleName, maxLevel }) {
  return sectionLoad(ctx, body, 'Loading your gap…', 'your gap', async () => {
    const { gap } = await graphql(GAP, { p: profile, t: target });
    if (!ctx.isCurrent()) return;
    const canvas = h('canvas', {
      id: 'gap-chart', role: 'img',
      'aria-label': `Current versus required level per competency for ${gap.role.title}: `
        + gap.items.map((i) => `${i.competency.name} ${i.current} of ${i.required}`).join('; '),
    });
    // A radar stays readable up to about 16 spokes: chart those that weigh most in the gap (deficit × weight, then weight).
    const charted = gap.items.length <= CHART_SPOKES ? gap.items : [...gap.items]
      .sort((a, b) => b.deficit * b.weight - a.deficit * a.weight || b.weight - a.weight).slice(0, CHART_SPOKES);
    const rows = gap.items.map((item) => h('tr', { dataset: { competencyId: item.competency.id, deficit: String(item.deficit) } },
      h('th', { scope: 'row' }, item.competency.name, item.essential ? h('span', { class: 'essential', title: 'Essential' }, ' ★') : null,
        h('div', { class: 'muted small' }, words(item.competency.category))),
      h('td', { class: 'num', dataset: { label: 'Required' } }, String(item.required)),
      h('td', { class: 'num', dataset: { label: 'Current' } }, String(item.current)),
      h('td', { class: 'num', dataset: { label: 'Deficit' } }, item.deficit ? h('strong', {}, String(item.deficit)) : '0'),
      h('td', { class: 'num', dataset: { label: 'Weight' } }, num(item.weight)),
      h('td', { dataset: { label: 'Status' } }, badge(item.status, 'gapstatus')),
      h('td', { dataset: { label: 'Evidence' } }, badge(item.evidence, 'evidence'),
        item.proofGap ? h('div', { class: 'proof-gap' }, 'Proof gap: met on paper, not verified') : null),
      h('td', { dataset: { label: 'What to demonstrate' } }, item.indicators.length
        ? h('details', {}, h('summary', {}, `${plural(item.indicators.length, 'behaviour')} to show`), indicatorList(item.indicators, scaleName))
        : item.deficit ? nearestBehaviours(item, scaleName) : h('span', { class: 'muted' }, 'Nothing more'))));
    fill(body,
      h('p', { class: 'numbers' },
        h('span', {}, 'Gap ', h('strong', { id: 'gap-total', dataset: { value: String(gap.totalGap) } }, num(gap.totalGap))),
        h('span', {}, 'Readiness ', h('strong', { id: 'gap-readiness', dataset: { value: String(gap.readiness) } }, pct(gap.readiness))),
        h('span', {}, 'Verdict ', badge(gap.verdict, 'verdict')),
        gap.proofGaps ? h('span', {}, h('strong', {}, String(gap.proofGaps)), ` met only on paper`) : null),
      h('div', { class: 'gap-layout' },
        h('figure', { class: 'chart' }, h('div', { class: 'chart-box' }, canvas),
          h('figcaption', {}, 'Current level (blue) against the level the role requires (orange), per competency'
            + (charted.length < gap.items.length ? ` — the ${charted.length} that weigh most in the gap, of ${gap.items.length}.` : '.'))),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data stack', id: 'gap-items' },
          h('caption', { class: 'visually-hidden' }, `Gap to ${gap.role.title} per competency`),
          h('thead', {}, h('tr', {}, ['Competency', 'Required', 'Current', 'Deficit', 'Weight', 'Status', 'Evidence', 'What to demonstrate']
            .map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, rows)))));
    await currentVsRequired(canvas, charted.map((i) => ({ name: i.competency.name, current: i.current, required: i.required })), maxLevel);
  });
}

function loadPlan(ctx, body, { profile, target, targetTitle, planState }) {
  return sectionLoad(ctx, body, 'Loading the development plan…', 'the development plan', async () => {
    const { developmentPlan: plan } = await graphql(PLAN, { p: profile, t: target });
    if (!ctx.isCurrent()) return;
    const seen = new Set();
    const rows = plan.items.map((item) => {
      const again = seen.has(item.resource.id);
      seen.add(item.resource.id);
      return h('tr', { dataset: { resourceId: item.resource.id } },
        h('td', { dataset: { label: 'Competency' } }, item.competency.name, h('div', { class: 'muted small' }, `level ${item.fromLevel} → ${item.toLevel}`)),
        h('th', { scope: 'row' }, h('a', { href: item.resource.url, rel: 'noopener' }, item.resource.title),
          item.indicators.length ? h('details', {}, h('summary', {}, 'Behaviours to practise'),
            h('ul', { class: 'indicators' }, item.indicators.map((i) => h('li', {}, `Level ${i.level}: ${i.text}`)))) : null),
        h('td', { dataset: { label: 'Kind' } }, words(item.resource.kind)),
        h('td', { class: 'num', dataset: { label: 'Hours' } }, num(item.resource.hours), again ? h('div', { class: 'muted small' }, 'counted once') : null));
    });
    fill(body,
      h('p', { class: 'numbers' },
        h('span', {}, 'Total ', h('strong', { id: 'plan-hours', dataset: { value: String(plan.totalHours) } }, num(plan.totalHours)), ' hours'),
        h('span', {}, h('strong', {}, String(seen.size)), ` ${seen.size === 1 ? 'resource' : 'resources'}`)),
      plan.items.length || plan.uncovered.length ? h('div', { class: 'download-row' }, csvButton({
        id: 'plan-csv', what: `the development plan for ${targetTitle}`, rows: () => planRows(plan),
        filename: fileSlug('development-plan', planState?.person?.name ?? 'self-assessment', targetTitle),
      }), h('span', { class: 'muted small' }, '“Hours counted” adds up to the total: a resource serving several competencies counts once.')) : null,
      plan.items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data stack', id: 'plan-items' },
        h('thead', {}, h('tr', {}, ['Competency', 'Resource', 'Kind', 'Hours'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows)))
        : empty(plan.uncovered.length
          ? 'No learning resource in the catalogue closes these deficits (see below).'
          : 'Nothing to learn for this role: you meet every requirement.'),
      plan.uncovered.length ? h('div', { class: 'uncovered' }, h('h3', {}, 'Not covered by any resource'),
        h('ul', {}, plan.uncovered.map((u) => h('li', {}, `${u.competency.name}: level ${u.fromLevel} → ${u.toLevel}. Ask ${planState?.voice.own === false ? 'for' : 'your manager for'} a project or a mentor.`))))
        : null,
      planActions(ctx, planState, targetTitle));
  });
}

/** A development plan as spreadsheet rows (header first): its items in order, then the deficits no resource covers. */
export function planRows(plan) {
  const seen = new Set();
  const rows = [['Competency ID', 'Competency', 'From level', 'To level', 'Resource ID', 'Resource', 'Kind', 'Hours', 'Hours counted', 'URL', 'Note']];
  for (const item of plan.items) {
    const again = seen.has(item.resource.id);
    seen.add(item.resource.id);
    rows.push([item.competency.id, item.competency.name, item.fromLevel, item.toLevel, item.resource.id, item.resource.title,
      words(item.resource.kind), item.resource.hours, again ? 0 : item.resource.hours, item.resource.url ?? '',
      again ? 'Also listed above: its hours are counted once' : '']);
  }
  for (const u of plan.uncovered) {
    rows.push([u.competency.id, u.competency.name, u.fromLevel, u.toLevel, '', '', '', '', 0, '', 'No learning resource in the catalogue covers this']);
  }
  return rows;
}

/** Under the development plan: save it as the person's plan (or say it is saved). */
function planActions(ctx, state, targetTitle) {
  if (!state?.person || state.person.plan === undefined) return null;   // a self-assessment, or a server without plans
  const box = h('div', { class: 'plan-actions', id: 'plan-actions' });
  const status = h('p', { class: 'status', role: 'status', id: 'plan-action-status' });
  state.actionStatus = status;
  state.drawActions = () => {
    const { plan } = state.person;
    const { voice } = state;
    const save = (text, secondary) => h('button', {
      type: 'button', class: `button${secondary ? ' secondary' : ''}`, id: 'save-plan', onclick: () => savePlan(ctx, state, status),
    }, text);
    if (!plan) {
      box.replaceChildren(save(`Save as ${voice.own ? 'my' : voice.poss} target and plan`),
        h('span', { class: 'muted small' }, ` Saves ${targetTitle} as ${voice.poss} target, with this plan to tick off.`));
    } else if (plan.target.id === state.target) {
      box.replaceChildren(h('span', { class: 'saved-mark', 'aria-hidden': 'true' }, '★ '),
        h('span', {}, `Saved as ${voice.poss} plan on ${dateText(plan.savedAt)} (${pct(plan.progress)} done, `,
          h('a', { href: '#saved-plan', onclick: (e) => { e.preventDefault(); document.getElementById('saved-plan')?.scrollIntoView({ block: 'start' }); } }, 'see above'), '). '),
        save('Replace it with this plan', true),
        h('span', { class: 'muted small' }, ' (starts again from today’s profile; ticks are lost)'));
    } else {
      box.replaceChildren(save(`Save as ${voice.own ? 'my' : voice.poss} target and plan`),
        h('span', { class: 'muted small' }, ` Replaces ${voice.poss} saved plan for ${plan.target.title}.`));
    }
  };
  state.drawActions();
  return [box, status];
}

/** The API's reasons speak to "you": about someone else, they say the name. */
function thirdPerson(text, voice) {
  return text.replace(/\byour\b/g, voice.poss).replace(/\bYour\b/g, voice.Poss)
    .replace(/\byou are\b/g, voice.is).replace(/\byou\b/g, voice.subj).replace(/\bYou\b/g, voice.Subj);
}

function loadLearn(ctx, body, { profile, target, scaleName, voice }) {
  return sectionLoad(ctx, body, 'Working out what to learn next…', 'what to learn next', async () => {
    const { learnNext } = await graphql(LEARN, { p: profile, t: target, limit: 5 });
    if (!ctx.isCurrent()) return;
    fill(body, learnNext.length ? h('ol', { class: 'learn', id: 'learn-list' }, learnNext.map((step) => h('li', { dataset: { competencyId: step.competency.id } },
      h('h3', {}, `${step.competency.name}: ${step.fromLevel} → ${step.toLevel}`,
        scaleName.get(step.toLevel) ? h('span', { class: 'muted' }, ` (${scaleName.get(step.toLevel)})`) : null),
      h('p', { class: 'reason' }, voice.own ? step.reason : thirdPerson(step.reason, voice)),
      step.readyRoles.length ? h('p', {}, `Makes ${voice.own ? 'you' : voice.subj} ready for `, step.readyRoles.map((r, i) => [i ? ', ' : '', h('a', { href: roleHref(r.id) }, r.title)]), '.') : null,
      h('p', { class: 'muted small' }, `Gap −${num(step.gapReduction)} · readiness +${num(Math.round(step.readinessGain * 1000) / 10)} points`),
      step.indicators.length ? h('details', {}, h('summary', {}, 'What to demonstrate'),
        h('ul', { class: 'indicators' }, step.indicators.map((i) => h('li', {}, i.text)))) : null,
      step.resources.length ? h('p', { class: 'small' }, 'Resources: ', step.resources.map((r, i) => [i ? '; ' : '',
        h('a', { href: r.url, rel: 'noopener' }, r.title), ` (${words(r.kind).toLowerCase()}, ${num(r.hours)} h)`])) : null)))
      : empty(target ? 'Nothing left to learn for this role.' : `No one-level gain improves ${voice.poss} closest roles.`));
  });
}

// --- the self-assessment form -----------------------------------------------------------------------

// Above this many competencies the form lists only those in play (rated, or asked by the chosen role) and
// offers the rest by name: ESCO's 13,939 dropdowns would take a browser tens of seconds to lay out.
const LARGE_FRAMEWORK = 150;
const CHART_SPOKES = 16;

function selfAssessmentForm({ framework, competencies, roles, levels, fromRole, target, maxLevel, large, competencyCount }) {
  const current = new Map(levels.map((p) => [p.competencyId, p.level]));
  const categories = ['TECHNICAL', 'KNOWLEDGE', 'BEHAVIOURAL', 'LEADERSHIP'];
  const selects = new Map();
  const options = (value) => [h('option', { value: '0', selected: !value }, '0 · None'),
    framework.scale.map((s) => h('option', { value: String(s.level), selected: s.level === value, title: s.description }, `${s.level} · ${s.name}`))];
  const grids = new Map();
  const fieldsetsBox = h('div', { class: 'fieldsets' });
  const gridOf = (category) => {
    if (!grids.has(category)) {
      const grid = h('div', { class: 'level-grid' });
      grids.set(category, grid);
      const fieldset = h('fieldset', { class: 'levels', dataset: { category } }, h('legend', {}, words(category)), grid);
      const later = [...fieldsetsBox.children].find((f) => categories.indexOf(f.dataset.category) > categories.indexOf(category));
      fieldsetsBox.insertBefore(fieldset, later ?? null);
    }
    return grids.get(category);
  };
  const addRow = (c) => {
    if (selects.has(c.id)) return selects.get(c.id);
    const select = h('select', { id: `level-${c.id}`, name: c.id, dataset: { competencyId: c.id } }, options(current.get(c.id) ?? 0));
    selects.set(c.id, select);
    gridOf(c.category).append(h('div', { class: 'level-field' }, h('label', { for: `level-${c.id}`, title: c.description }, c.name), select));
    return select;
  };
  for (const category of categories) {
    for (const c of competencies) if (c.category === category && (!large || current.has(c.id))) addRow(c);
  }
  for (const c of competencies) if (!categories.includes(c.category) && (!large || current.has(c.id))) addRow(c);
  const finder = large ? competencyFinder({ id: 'find-competency', listId: 'finder-results', label: 'Add a competency by name',
    placeholder: 'e.g. nursing, Python, budgeting', add: (c) => { addRow(c).focus(); } }) : null;
  const roleSelect = h('select', { id: 'from-role', name: 'from' }, h('option', { value: '' }, 'No role (start from scratch)'),
    roles.map((r) => h('option', { value: r.id, selected: r.id === fromRole?.id }, `${r.title}${r.level ? ` (${r.level.name})` : ''}`)));
  const message = h('p', { class: 'status', role: 'status' });
  const prefill = async () => {
    const role = roles.find((r) => r.id === roleSelect.value);
    if (!role) return;
    message.textContent = `Loading what ${role.title} requires…`;
    let requirements;
    try {
      requirements = await roleRequirements(role.id);
    } catch (error) {
      message.textContent = `Could not load what ${role.title} requires: ${error.message}`;
      return;
    }
    for (const select of selects.values()) select.value = '0';
    for (const req of requirements) {
      const select = large ? addRow(req.competency) : selects.get(req.competency.id);
      if (select) select.value = String(Math.min(req.level, maxLevel));
    }
    message.textContent = `Filled in the levels ${role.title} requires. Adjust them to where you really are.`;
  };
  const form = h('form', {
    id: 'self-form', class: 'self-form',
    onsubmit: (event) => {
      event.preventDefault();
      const chosen = [...selects].map(([competencyId, select]) => ({ competencyId, level: Number(select.value) })).filter((p) => p.level > 0);
      if (!chosen.length) {
        message.textContent = 'Rate at least one competency above 0 first.';
        return;
      }
      location.hash = hashOf(['career', target], { levels: formatLevels(chosen), from: roleSelect.value || null });
    },
  },
  h('p', { class: 'intro' }, large
    ? `This framework has ${competencyCount.toLocaleString('en')} competencies: start from a role you hold, or add competencies by name, and rate each from 0 (none) to ${maxLevel}.`
    : `Rate yourself on each competency from 0 (none) to ${maxLevel}. Leave the ones you do not know at 0.`),
  h('details', { class: 'scale-help' }, h('summary', {}, 'What the levels mean'),
    h('dl', {}, framework.scale.map((s) => [h('dt', {}, `${s.level} · ${s.name}`), h('dd', {}, s.description)]))),
  h('div', { class: 'inline-form' }, h('label', { for: 'from-role' }, 'Start from a role you hold (optional)'), roleSelect,
    h('button', { type: 'button', class: 'button secondary', id: 'prefill', onclick: prefill }, 'Fill in its levels')),
  finder,
  fieldsetsBox,
  message,
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button', id: 'self-submit' }, 'See my closest roles'),
    h('button', {
      type: 'button', class: 'button secondary',
      onclick: () => { for (const s of selects.values()) s.value = '0'; roleSelect.value = ''; message.textContent = 'All levels cleared.'; },
    }, 'Clear')));
  const open = !levels.length;
  return h('section', { class: 'panel', id: 'self-assessment', 'aria-labelledby': 'self-title' },
    h('h2', { id: 'self-title' }, 'Your self-assessment'),
    open ? form : h('details', { class: 'edit-self' }, h('summary', {}, `Edit your self-assessment (${plural(levels.length, 'competency', 'competencies')} rated${fromRole ? `, starting from ${fromRole.title}` : ''})`), form));
}

