// The GraphQL documents of the person page (site/js/views/person.js and site/js/person/*).
import { graphql } from '../api.js';

const COMPETENCY = 'id name category description';

export const PERSON = `query PersonPage($id: ID!) {
  person(id: $id) {
    id name email since
    role { id title level { rank name } requirements { level weight essential competency { ${COMPETENCY} } } }
    manager { id name }
    reports { id name }
    proficiencies { level source at evidence competency { ${COMPETENCY} } }
    interests { role { id title level { rank name } } at }
  }
}`;

const MATCH = 'role { id title level { rank name } } gap readiness verdict';

/** The person's standing: gap to their own role (when they hold one) and the closest roles. */
export const STANDING_WITH_ROLE = `query Standing($p: ProfileInput!, $role: ID!) {
  gap(from: $p, to: $role) {
    totalGap readiness verdict proofGaps
    items { competency { id name } required current deficit weight essential status evidence proofGap }
  }
  closestRoles(from: $p, limit: 3) { ${MATCH} }
}`;

export const STANDING = `query Standing($p: ProfileInput!) { closestRoles(from: $p, limit: 3) { ${MATCH} } }`;

/** The behavioural indicators of one competency at the current level and the next one (levels 1..max only). */
export async function indicatorsAround(id, current, maxLevel) {
  const fields = [];
  if (current >= 1 && current <= maxLevel) fields.push(`now: indicators(level: ${current}) { level text }`);
  if (current + 1 <= maxLevel) fields.push(`next: indicators(level: ${current + 1}) { level text }`);
  if (!fields.length) return { now: [], next: [] };
  const data = await graphql(`query Indicators($ids: [ID!]!) { competencies(first: 1, ids: $ids) { nodes { id ${fields.join(' ')} } } }`,
    { ids: [id] });
  const node = data.competencies.nodes[0] ?? {};
  return { now: node.now ?? [], next: node.next ?? [] };
}

const RECORD_FIELDS = 'id level source at note evidence { kind note at } competency { id name }';

export const RECORD_MANY = `mutation RecordCheckIn($input: [AssessmentInput!]!) { recordAssessments(input: $input) { ${RECORD_FIELDS} } }`;
export const RECORD_ONE = `mutation RecordAssessment($input: AssessmentInput!) { recordAssessment(input: $input) { ${RECORD_FIELDS} } }`;

export const TREND = `query PersonTrend($id: ID!, $target: ID) {
  personTrend(personId: $id, target: $target) {
    target { id title level { rank name } }
    points { at gap readiness verdict }
    competencies { competency { id name category } required points { at level } }
  }
}`;

/**
 * Record several assessments in one transaction (recordAssessments). On a server that does not have it yet,
 * one recordAssessment after another (the server still checks each; the form checked the shared fields).
 */
export async function recordAll(input) {
  try {
    return (await graphql(RECORD_MANY, { input })).recordAssessments;
  } catch (error) {
    const missing = error.code === 'GRAPHQL_VALIDATION_FAILED' && /recordAssessments/.test(error.message);
    if (!missing) throw error;
  }
  const done = [];
  for (const [n, item] of input.entries()) {
    try {
      done.push((await graphql(RECORD_ONE, { input: item })).recordAssessment);
    } catch (error) {
      error.message = error.message.replace(/^(?=[a-zA-Z]+(\[\d+\])?(\.[a-zA-Z]+)?:)/, `input[${n}].`);
      error.partial = done;
      throw error;
    }
  }
  return done;
}
