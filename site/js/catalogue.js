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

/** {framework, families, levels, tracks} */
export function architecture() {
  return once('architecture', () => graphql(`query Architecture {
    framework { id name version validityDays scale { level name description } }
    jobFamilies { id name }
    levels { id rank name }
    tracks { id name }
  }`).then((data) => ({
    framework: data.framework, families: data.jobFamilies, levels: data.levels, tracks: data.tracks,
  })));
}

/** Every role with its family, level, track and requirements (competency ids and levels). */
export function roles() {
  return once('roles', () => allNodes('roles', `id title family { id name } level { rank name } track { id name }
    requirements { level weight essential competency { id name } }`));
}

/** Every competency with its category. */
export function competencies() {
  return once('competencies', () => allNodes('competencies', 'id name category description'));
}
