// A role's talent pool on the Succession page: the people nominated for it (stored: who nominated them, when, why),
// beside what Trellis computes for them today (readiness, gap, bucket, whether they said the role interests them).
// A manager nominates people under them, HR anyone; both withdraw a nomination. The server decides what is allowed.
import { h, num, pct, words, badge, readinessBar, announce, empty, fill } from '../dom.js';
import { graphql } from '../api.js';
import { errorBox, loadSection } from '../errors.js';
import { hashOf } from '../state.js';
import { csvButton, fileSlug } from '../csv.js';
import { confirmDialog } from '../editor/common.js';
import { dateText } from '../views/career.js';

const MEMBER = 'person { id name role { id title } } nominatedBy { id name } at note gap readiness bucket interested';

const POOL = `query TalentPool($role: ID!, $manager: ID) { talentPool(role: $role, manager: $manager) { ${MEMBER} } }`;

const NOMINATE = `mutation Nominate($role: ID!, $person: ID!, $note: String) {
  nominate(roleId: $role, personId: $person, note: $note) { ${MEMBER} } }`;

const WITHDRAW = 'mutation Withdraw($role: ID!, $person: ID!) { withdrawNomination(roleId: $role, personId: $person) { id } }';

/** The stored slate as spreadsheet rows (header first), most ready first as the API lists it. */
export function poolRows(role, pool) {
  return [
    ['Role ID', 'Role', 'Person ID', 'Person', 'Current role', 'Nominated by', 'Nominated on', 'Note', 'Interested',
      'Bucket', 'Readiness', 'Gap'],
    ...pool.map((m) => [role.id, role.title, m.person.id, m.person.name, m.person.role?.title ?? '', m.nominatedBy?.name ?? '',
      m.at, m.note, m.interested, words(m.bucket), m.readiness, m.gap]),
  ];
}

/** The badges of a computed candidate: in the talent pool, interested in the role. */
export function candidateMarks(c) {
  return [
    c.nominated ? h('span', { class: 'mark mark-nominated', title: 'In the role’s talent pool' }, '★ Nominated') : null,
    c.interested ? h('span', { class: 'mark mark-interested', title: 'Has said this role interests them' }, '♥ Interested') : null,
  ];
}

/**
 * The talent pool panel. `report` is the successors report (its candidates' `nominated` flags are kept in step);
 * `onChange(personId)` redraws a candidate's badges. Returns {node, load, offer(personId)}.
 */
export function talentPool(ctx, { report, manager, onChange }) {
  const role = report.role;
  const body = h('div', { class: 'section-body', id: 'pool-body' });
  const status = h('div', { class: 'status', id: 'pool-status', role: 'status' });
  const personSelect = h('select', { id: 'nominate-person', name: 'person' });
  const note = h('input', { type: 'text', id: 'nominate-note', name: 'note', maxlength: '500', placeholder: 'e.g. led the payments migration' });
  const submit = h('button', { type: 'submit', class: 'button', id: 'nominate-submit' }, 'Nominate');
  const form = h('form', { class: 'nominate-form', id: 'nominate-form', onsubmit: (e) => { e.preventDefault(); nominate(); } },
    h('div', { class: 'field' }, h('label', { for: 'nominate-person' }, 'Person'), personSelect),
    h('div', { class: 'field grow' }, h('label', { for: 'nominate-note' }, 'Why (optional)'), note),
    submit);
  const node = h('section', { class: 'panel', id: 'talent-pool', 'aria-labelledby': 'pool-title' },
    h('h2', { id: 'pool-title' }, `Talent pool for ${role.title}`),
    h('p', { class: 'intro' }, `The people nominated for ${role.title}${manager ? ' among those under you' : ''}: who put them forward, `
      + 'when and why, beside their readiness, gap and bucket as Trellis computes them today.'),
    body,
    h('h3', {}, 'Nominate someone'),
    form, status);
  let pool = [];

  const rank = new Map(report.candidates.map((c, i) => [c.person.id, i + 1]));
  const setNominated = (id, value) => {
    const c = report.candidates.find((x) => x.person.id === id);
    if (c) c.nominated = value;
    onChange(id);
  };

  function drawOptions(chosen) {
    const left = report.candidates.filter((c) => !pool.some((m) => m.person.id === c.person.id));
    personSelect.replaceChildren(...(left.length ? left.map((c) => h('option', { value: c.person.id, selected: c.person.id === chosen },
      `${c.person.name} — ${pct(c.readiness)} ready, ${words(c.bucket).toLowerCase()}`))
      : [h('option', { value: '' }, 'Every candidate shown is nominated')]));
    personSelect.disabled = !left.length;
    submit.disabled = !left.length;
  }

  function draw() {
    drawOptions(personSelect.value);
    fill(body, pool.length ? [
      h('p', { class: 'numbers' }, h('span', {}, h('strong', { id: 'pool-count', dataset: { value: String(pool.length) } }, String(pool.length)),
        ` ${pool.length === 1 ? 'person' : 'people'} nominated`),
      h('span', {}, 'Ready now or soon ', h('strong', { id: 'pool-bench' }, String(pool.filter((m) => m.bucket !== 'READY_LATER').length)))),
      h('div', { class: 'download-row' }, csvButton({
        id: 'pool-csv', what: `the talent pool for ${role.title}`, rows: () => poolRows(role, pool),
        filename: fileSlug('talent-pool', role.title),
      }), h('span', { class: 'muted small' }, 'The nominations with who made them, and today’s readiness, gap and bucket.')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data stack pool-table', id: 'pool-table' },
        h('caption', { class: 'visually-hidden' }, `Talent pool for ${role.title}`),
        h('thead', {}, h('tr', {}, ['Person', 'Readiness today', 'Gap', 'Bucket', 'Nominated', 'Among the candidates', '']
          .map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, pool.map((m) => h('tr', { dataset: { personId: m.person.id, bucket: m.bucket } },
          h('th', { scope: 'row' }, h('a', { href: hashOf(['career', role.id], { person: m.person.id }) }, m.person.name),
            m.person.role ? h('div', { class: 'muted small' }, m.person.role.title) : null,
            m.interested ? h('div', {}, h('span', { class: 'mark mark-interested' }, '♥ Interested')) : null),
          h('td', { dataset: { label: 'Readiness today' } }, readinessBar(m.readiness, `Readiness of ${m.person.name}`)),
          h('td', { class: 'num', dataset: { label: 'Gap' } }, h('strong', { class: 'gap-value', dataset: { value: String(m.gap) } }, num(m.gap))),
          h('td', { dataset: { label: 'Bucket' } }, badge(m.bucket, 'bucket-word')),
          h('td', { class: 'pool-nomination', dataset: { label: 'Nominated' } },
            `by ${m.nominatedBy?.name ?? 'someone no longer here'} on ${dateText(m.at)}`,
            m.note ? h('div', { class: 'pool-note' }, `“${m.note}”`) : null),
          h('td', { class: 'pool-rank', dataset: { label: 'Among the candidates' } }, rank.has(m.person.id)
            ? `#${rank.get(m.person.id)} of ${report.candidates.length} shown` : h('span', { class: 'muted' }, `not among the ${report.candidates.length} closest`)),
          h('td', {}, h('button', {
            type: 'button', class: 'button small secondary withdraw', dataset: { personId: m.person.id },
            onclick: () => withdraw(m),
          }, 'Withdraw', h('span', { class: 'visually-hidden' }, ` ${m.person.name}`)))))))),
    ] : empty(`Nobody is nominated for ${role.title}${manager ? ' among the people under you' : ''} yet.`));
  }

  async function nominate() {
    const id = personSelect.value;
    if (!id) return;
    const name = personSelect.selectedOptions[0]?.textContent.split(' — ')[0] ?? id;
    submit.disabled = true;
    status.textContent = `Nominating ${name}…`;
    try {
      pool = (await graphql(NOMINATE, { role: role.id, person: id, note: note.value.trim() || null })).nominate;
    } catch (error) {
      submit.disabled = false;
      fill(status, errorBox(error, { what: 'the nomination' }));
      return;
    }
    if (!ctx.isCurrent()) return;
    note.value = '';
    setNominated(id, true);
    draw();
    const text = `Nominated ${name} for ${role.title}.`;
    status.textContent = text;
    announce(text);
  }

  async function withdraw(m) {
    const ok = await confirmDialog({
      title: `Withdraw ${m.person.name}’s nomination?`,
      message: `${m.person.name} leaves the talent pool for ${role.title}; the note and who nominated them are forgotten.`,
      confirmLabel: 'Withdraw nomination',
    });
    if (!ok) return;
    try {
      await graphql(WITHDRAW, { role: role.id, person: m.person.id });
    } catch (error) {
      fill(status, errorBox(error, { what: 'the nomination' }));
      return;
    }
    if (!ctx.isCurrent()) return;
    pool = pool.filter((x) => x.person.id !== m.person.id);
    setNominated(m.person.id, false);
    draw();
    const text = `Withdrew ${m.person.name}’s nomination for ${role.title}.`;
    status.textContent = text;
    announce(text);
  }

  const load = () => loadSection(ctx, body, 'Loading the talent pool…', 'the talent pool', async () => {
    pool = (await graphql(POOL, { role: role.id, manager })).talentPool;
    if (ctx.isCurrent()) draw();
  });

  /** From a candidate's "Nominate" button: choose them in the form and go to the note. */
  function offer(personId) {
    drawOptions(personId);
    node.scrollIntoView({ block: 'nearest' });
    note.focus();
    status.textContent = '';
  }

  drawOptions(null);
  return { node, load, offer };
}
