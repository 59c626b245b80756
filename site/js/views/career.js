// My career: closest roles (step up / lateral), a target → the path as a graph, the gap per competency
// (chart + list with status, evidence and what to demonstrate), the development plan and what to learn next.
// The profile is the signed-in person (or ?person= for a manager or HR), or a self-assessment typed in
// here and carried in the URL (?levels=competency:level,...), so every view can be shared and reloaded.
import { h, num, pct, words, badge, readinessBar, announce, empty, plural, busy, fill, roleOptions, nearestDescribed } from '../dom.js';
import { graphql } from '../api.js';
import { architecture, roles as allRoles, competencies as allCompetencies, competenciesById, findCompetencies, roleRequirements }
  from '../catalogue.js';
import { errorBox } from '../errors.js';
import { drawGraph } from '../graphs.js';
import { currentVsRequired } from '../charts.js';
import { hashOf } from '../state.js';
import { trackBadge } from './architecture.js';

const MATCH = 'fragment M on RoleMatch { role { id title level { rank name } track { id name } family { id name } } distance gap readiness verdict }';

const PERSON = `query Person($id: ID!) {
  person(id: $id) { id name role { id title level { rank name } family { id name } track { id name } } manager { id name } }
}`;

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
    const target = ctx.args[0] ?? null;
    const personParam = ctx.params.get('person');
    const levelsParam = ctx.params.get('levels');
    const selfMode = levelsParam !== null || ctx.params.get('self') === '1' || !(personParam || viewer?.person);

    const heading = h('h1', { tabindex: '-1' }, 'My career');
    const sub = h('p', { class: 'lead' });
    ctx.main.append(heading, sub);
    const holder = h('p', { class: 'status loading', role: 'status' }, 'Loading your profile…');
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
      person = (await graphql(PERSON, { id })).person;
      if (!ctx.isCurrent()) return;
      profile = { personId: person.id };
    }
    holder.remove();
    const here = (t, extra = {}) => hashOf(['career', t], { ...keep, ...extra });

    if (person) {
      const own = viewer?.person?.id === person.id;
      heading.textContent = own ? 'My career' : `Career: ${person.name}`;
      ctx.title(own ? 'My career' : `Career: ${person.name}`);
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
      h('h2', { id: 'closest-title' }, 'Roles you are closest to'),
      h('p', { class: 'intro' }, 'Ranked by distance: mostly whether you and the role are about the same things (which '
        + 'competencies stand out, among skills and among knowledge), partly how much must change (what you lack counts '
        + 'fully, unused strengths partly), plus level distance. '
        + 'Readiness is the share of the role’s weighted requirements you meet. Choose one as your target.'));
    const closestBody = h('div', { class: 'section-body', 'aria-busy': 'true' });
    closest.append(closestBody);
    busy(closestBody, 'Loading your closest roles…');

    // --- target picker ---------------------------------------------------------------------
    const { families } = await architecture();
    const select = h('select', { id: 'target', name: 'target' },
      h('option', { value: '' }, 'Choose a role…'), roleOptions(families, roles, target));
    const picker = h('section', { class: 'panel', 'aria-labelledby': 'target-title' },
      h('h2', { id: 'target-title' }, target ? 'Target role' : 'Choose a target role'),
      h('form', {
        class: 'inline-form', id: 'target-form',
        onsubmit: (e) => { e.preventDefault(); if (select.value) location.hash = here(select.value); },
      }, h('label', { for: 'target' }, 'Target role'), select, h('button', { type: 'submit', class: 'button' }, 'Show my path')));
    ctx.main.append(picker, closest);

    const closestDone = loadClosest(ctx, closestBody, { profile, person, fromRole, here, target });

    if (!target) {
      const learn = h('section', { class: 'panel', id: 'learn', 'aria-labelledby': 'learn-title' },
        h('h2', { id: 'learn-title' }, 'What to learn next'),
        h('p', { class: 'intro' }, 'One-level gains ranked by what they unlock across your closest roles.'));
      const learnBody = h('div', { class: 'section-body' });
      learn.append(learnBody);
      ctx.main.append(learn);
      await Promise.all([closestDone, loadLearn(ctx, learnBody, { profile, target: null, scaleName })]);
      announce('Your closest roles and what to learn next are shown.');
      return;
    }

    // --- the target: path, gap, plan, learn next -----------------------------------------------
    const targetRole = roleById.get(target);
    const targetTitle = targetRole?.title ?? target;
    ctx.title(`Path to ${targetTitle}`);
    const parts = {};
    for (const [key, title, intro] of [
      ['path', `Your path to ${targetTitle}`, 'The sequence of moves with the smallest total gap; each step costs the gap from the previous role’s requirements (the first step: from your profile).'],
      ['gap', `Your gap to ${targetTitle}`, 'Competency by competency: the level the role requires, where you are, and what to demonstrate to close it.'],
      ['plan', 'Development plan', 'The fewest learning hours that close every deficit, lower levels first.'],
      ['learn', 'What to learn next', `One-level gains ranked by how much they move you towards ${targetTitle}.`],
    ]) {
      const body = h('div', { class: 'section-body' });
      const node = h('section', { class: 'panel', id: key, 'aria-labelledby': `${key}-title` },
        h('h2', { id: `${key}-title` }, title), h('p', { class: 'intro' }, intro), body);
      parts[key] = body;
      ctx.main.append(node);
    }
    await Promise.all([
      closestDone,
      loadPaths(ctx, parts.path, { profile, person, target, targetTitle, here }),
      loadGap(ctx, parts.gap, { profile, target, scaleName, maxLevel }),
      loadPlan(ctx, parts.plan, { profile, target }),
      loadLearn(ctx, parts.learn, { profile, target, scaleName }),
    ]);
    announce(`Your path, gap and plan for ${targetTitle} are shown.`);
    if (ctx.sameView && ctx.isCurrent()) {
      // Chosen from this page (a closest role, the picker): go to the answer, not back to the top.
      const title = document.getElementById('path-title');
      title?.setAttribute('tabindex', '-1');
      title?.focus({ preventScroll: true });
      document.getElementById('path')?.scrollIntoView({ block: 'start' });
    }
  },
};

// --- sections -------------------------------------------------------------------------------------

/** Run `load` for a section body, showing loading and errors in words; resolves when done. */
async function sectionLoad(ctx, body, text, what, load) {
  busy(body, text);
  try {
    await load();
    body.removeAttribute('aria-busy');
  } catch (error) {
    if (!ctx.isCurrent()) return;
    fill(body, errorBox(error, { what, retry: () => sectionLoad(ctx, body, text, what, load) }));
  }
}

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

function loadClosest(ctx, body, { profile, person, fromRole, here }) {
  return sectionLoad(ctx, body, 'Loading your closest roles…', 'your closest roles', async () => {
    let up;
    let lateral;
    let note = null;
    let lateralTitle = 'Lateral';
    if (profile.personId) {
      const data = await graphql(CLOSEST_PERSON, { p: profile });
      ({ up, lateral } = data);
      note = person?.role ? `Compared with your current role, ${person.role.title}${person.role.level ? ` (${person.role.level.name})` : ''}.` : null;
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

function loadPaths(ctx, body, { profile, person, target, targetTitle }) {
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
      fill(body, controls, empty(`No sequence of moves reaches ${targetTitle} from ${person?.role ? person.role.title : 'your profile'}. `
        + 'Your direct gap is below: it is what separates you from the role.', h('span', { id: 'no-path' })));
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
    sectionLoad(ctx, body, 'Finding paths…', 'your paths', load);
  });
  return sectionLoad(ctx, body, 'Finding your path…', 'your path', load);
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

function loadPlan(ctx, body, { profile, target }) {
  return sectionLoad(ctx, body, 'Loading your development plan…', 'your development plan', async () => {
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
      plan.items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data stack', id: 'plan-items' },
        h('thead', {}, h('tr', {}, ['Competency', 'Resource', 'Kind', 'Hours'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows)))
        : empty(plan.uncovered.length
          ? 'No learning resource in the catalogue closes these deficits (see below).'
          : 'Nothing to learn for this role: you meet every requirement.'),
      plan.uncovered.length ? h('div', { class: 'uncovered' }, h('h3', {}, 'Not covered by any resource'),
        h('ul', {}, plan.uncovered.map((u) => h('li', {}, `${u.competency.name}: level ${u.fromLevel} → ${u.toLevel}. Ask your manager for a project or a mentor.`))))
        : null);
  });
}

function loadLearn(ctx, body, { profile, target, scaleName }) {
  return sectionLoad(ctx, body, 'Working out what to learn next…', 'what to learn next', async () => {
    const { learnNext } = await graphql(LEARN, { p: profile, t: target, limit: 5 });
    if (!ctx.isCurrent()) return;
    fill(body, learnNext.length ? h('ol', { class: 'learn', id: 'learn-list' }, learnNext.map((step) => h('li', { dataset: { competencyId: step.competency.id } },
      h('h3', {}, `${step.competency.name}: ${step.fromLevel} → ${step.toLevel}`,
        scaleName.get(step.toLevel) ? h('span', { class: 'muted' }, ` (${scaleName.get(step.toLevel)})`) : null),
      h('p', { class: 'reason' }, step.reason),
      step.readyRoles.length ? h('p', {}, 'Makes you ready for ', step.readyRoles.map((r, i) => [i ? ', ' : '', h('a', { href: roleHref(r.id) }, r.title)]), '.') : null,
      h('p', { class: 'muted small' }, `Gap −${num(step.gapReduction)} · readiness +${num(Math.round(step.readinessGain * 1000) / 10)} points`),
      step.indicators.length ? h('details', {}, h('summary', {}, 'What to demonstrate'),
        h('ul', { class: 'indicators' }, step.indicators.map((i) => h('li', {}, i.text)))) : null,
      step.resources.length ? h('p', { class: 'small' }, 'Resources: ', step.resources.map((r, i) => [i ? '; ' : '',
        h('a', { href: r.url, rel: 'noopener' }, r.title), ` (${words(r.kind).toLowerCase()}, ${num(r.hours)} h)`])) : null)))
      : empty(target ? 'Nothing left to learn for this role.' : 'No one-level gain improves your closest roles.'));
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
  const finder = large ? competencyFinder((c) => { addRow(c).focus(); }) : null;
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

/** A name search over a large framework (the API's, as you type): up to 8 matches, each a button that adds it. */
function competencyFinder(add) {
  const input = h('input', { type: 'search', id: 'find-competency', placeholder: 'e.g. nursing, Python, budgeting', autocomplete: 'off' });
  const list = h('ul', { class: 'finder-results', id: 'finder-results', 'aria-live': 'polite' });
  let timer = null;
  let asked = '';
  const show = async () => {
    const q = input.value.trim();
    asked = q;
    if (q.length < 2) {
      list.replaceChildren();
      return;
    }
    let found;
    try {
      found = await findCompetencies(q);
    } catch (error) {
      list.replaceChildren(h('li', { class: 'muted' }, `The search failed: ${error.message}`));
      return;
    }
    if (asked !== q) return;          // a newer search is under way
    list.replaceChildren(...found.map((c) => h('li', {}, h('button', {
      type: 'button', class: 'button secondary small', dataset: { competencyId: c.id },
      onclick: () => { add(c); input.value = ''; list.replaceChildren(); },
    }, `Add ${c.name}`))));
    if (!found.length) list.append(h('li', { class: 'muted' }, 'No competency by that name.'));
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(show, 200);
  });
  return h('div', { class: 'finder' }, h('label', { for: 'find-competency' }, 'Add a competency by name'), input, list);
}
