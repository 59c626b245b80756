// A person's proficiencies: level, who said so and when, and how well it is proven (verified / self-only /
// stale / none), with what each means and what to do about it. Their role's requirements come first.
import { h, badge, words, plural } from '../dom.js';

/** What an evidence status means and what to do, for the person themselves or for someone looking at them. */
export function evidenceHelp(status, { own, first, validityDays }) {
  const days = `${validityDays} days`;
  switch (status) {
    case 'VERIFIED':
      return own ? `Your manager or a formal assessment confirmed this level in the last ${days}. Nothing to do.`
        : `A manager or a formal assessment confirmed this level in the last ${days}.`;
    case 'SELF_ONLY':
      return own ? 'Only you (or a peer) said so. Ask your manager to verify it at your next check-in.'
        : `Only ${first} (or a peer) said so. Verify it at a check-in with ${first}.`;
    case 'STALE':
      return own ? `Verified once, but more than ${days} ago. Ask your manager to confirm it again.`
        : `Verified once, but more than ${days} ago: confirm it again at a check-in.`;
    default:
      return own ? 'Nobody has assessed this yet. Rate yourself, then ask your manager to verify it.'
        : `Nobody has assessed ${first} on this yet.`;
  }
}

/** The key to the evidence badges: every status with its meaning. */
export function evidenceKey(opts) {
  return h('dl', { class: 'evidence-key', id: 'evidence-key' }, ['VERIFIED', 'SELF_ONLY', 'STALE', 'NONE'].map((status) => [
    h('dt', {}, badge(status, 'evidence')), h('dd', {}, evidenceHelp(status, opts))]));
}

/**
 * The table: one row per competency the person's role requires (with its gap item's status and proof gap),
 * then every other competency they were assessed in.
 */
export function proficiencyTable(person, gap, { own, first, validityDays, scaleName }) {
  const profs = new Map(person.proficiencies.map((p) => [p.competency.id, p]));
  const items = new Map((gap?.items ?? []).map((i) => [i.competency.id, i]));
  const required = person.role?.requirements ?? [];
  const rows = [];
  const seen = new Set();
  for (const req of required) {
    seen.add(req.competency.id);
    rows.push(row(req.competency, profs.get(req.competency.id), req, items.get(req.competency.id)));
  }
  const others = person.proficiencies.filter((p) => !seen.has(p.competency.id))
    .sort((a, b) => a.competency.name.localeCompare(b.competency.name));
  for (const p of others) rows.push(row(p.competency, p, null, null));

  function row(competency, prof, req, item) {
    const level = prof?.level ?? 0;
    const evidence = prof?.evidence ?? item?.evidence ?? 'NONE';
    const proof = Boolean(item?.proofGap);
    return h('tr', { dataset: { competencyId: competency.id, evidence, level: String(level), proofGap: String(proof) } },
      h('th', { scope: 'row' }, competency.name, req?.essential ? h('span', { class: 'essential', title: 'Essential' }, ' ★') : null,
        h('div', { class: 'muted small' }, words(competency.category))),
      h('td', { class: 'num', dataset: { label: 'Level' } }, h('span', { class: 'level-pill' }, String(level)),
        scaleName.get(level) ? h('div', { class: 'muted small' }, scaleName.get(level)) : null),
      h('td', { class: 'num', dataset: { label: 'Role needs' } }, req ? String(req.level) : h('span', { class: 'muted' }, '—')),
      h('td', { dataset: { label: 'Source' } }, prof ? words(prof.source) : h('span', { class: 'muted' }, 'not assessed'),
        prof ? h('div', { class: 'muted small' }, h('time', { datetime: prof.at }, prof.at)) : null),
      h('td', { dataset: { label: 'Evidence' } }, badge(evidence, 'evidence'),
        proof ? h('div', { class: 'proof-gap' }, 'Proof gap: meets the role only on paper') : null),
      h('td', { class: 'evidence-help', dataset: { label: 'What it means' } }, evidenceHelp(evidence, { own, first, validityDays })));
  }

  const unproven = rows.filter((r) => ['SELF_ONLY', 'STALE'].includes(r.dataset.evidence)).length;
  return h('div', {},
    unproven ? h('p', { class: 'callout', id: 'unproven-note' }, own
      ? `${plural(unproven, 'level')} of yours ${unproven === 1 ? 'is' : 'are'} not verified (self-assessed only, or verified too long ago). Ask your manager to verify ${unproven === 1 ? 'it' : 'them'} at your next check-in.`
      : `${plural(unproven, 'level')} of ${first}’s ${unproven === 1 ? 'is' : 'are'} not verified (self-assessed only, or verified too long ago): verify ${unproven === 1 ? 'it' : 'them'} at a check-in.`)
      : null,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data stack', id: 'proficiency-table' },
      h('caption', { class: 'visually-hidden' }, own ? 'My proficiencies' : `${person.name}’s proficiencies`),
      h('thead', {}, h('tr', {}, ['Competency', 'Level', 'Role needs', 'Source', 'Evidence', 'What it means'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows))),
    h('details', { class: 'evidence-help-all' }, h('summary', {}, 'What verified, self-only and stale mean'),
      evidenceKey({ own, first, validityDays }),
      h('p', { class: 'muted small' }, 'The level that counts is the most recent one from the most trusted source: a formal assessment, then a manager, then a peer, then yourself.')));
}
