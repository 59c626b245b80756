// The public job architecture, fetched once per page load and shared by the views.
import { allNodes, graphql } from './api.js';

const cache = new Map();

function once(key, load) {
  if (!cache.has(key)) {
    const promise = load().catch((error) => {
      cache.delete(key);     // a failed load (server down) is retried next time
      throw error;
    });
    cache.set(key, promise);
  }
  return cache.get(key);
}

/** Forget what was fetched (after an edit of the architecture), so every view reads it afresh. */
export function forget() {
  cache.clear();
}

/** {framework, families, levels, tracks, competencyCount} */
export function architecture() {
  return once('architecture', () => graphql(`query Architecture {
    framework { id name version validityDays scale { level name description } }
    jobFamilies { id name }
    levels { id rank name }
    tracks { id name }
    competencies(first: 1) { totalCount }
  }`).then((data) => ({
    framework: data.framework, families: data.jobFamilies, levels: data.levels, tracks: data.tracks,
    competencyCount: data.competencies.totalCount,
  })));
}

/** Every role with its family, level and track (requirements: ``roleRequirements``, one role at a time). */
export function roles() {
  return once('roles', () => allNodes('roles', 'id title family { id name } level { rank name } track { id name }'));
}

const COMPETENCY = 'id name category description';

/** A role's requirements with their competencies. */
export function roleRequirements(id) {
  return once(`requirements:${id}`, () => graphql(`query RoleRequirements($id: ID!) {
    role(id: $id) { requirements { level weight essential competency { ${COMPETENCY} } } } }`, { id })
    .then((data) => data.role.requirements));
}

/** Every competency with its category (a large framework: ``competenciesById`` and ``findCompetencies``). */
export function competencies() {
  return once('competencies', () => allNodes('competencies', COMPETENCY));
}

/** The competencies with these ids (unknown ones left out). */
export async function competenciesById(ids) {
  const found = [];
  for (let i = 0; i < ids.length; i += 100) {
    const data = await graphql(`query ById($ids: [ID!]!) { competencies(first: 100, ids: $ids) { nodes { ${COMPETENCY} } } }`,
      { ids: ids.slice(i, i + 100) });
    found.push(...data.competencies.nodes);
  }
  return found;
}

/** Up to ``n`` competencies whose name or id contains ``text``. */
export async function findCompetencies(text, n = 8) {
  const data = await graphql(`query Find($q: String!, $n: Int!) { competencies(first: $n, search: $q) { nodes { ${COMPETENCY} } } }`,
    { q: text, n });
  return data.competencies.nodes;
}
