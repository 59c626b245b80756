// Career interests: the roles a person has said they would like. They say it themselves (HR may correct it);
// their managers and HR see it (on My career, on the person page, and as a badge on Succession).
import { h, announce } from '../dom.js';
import { graphql } from '../api.js';
import { errorBox } from '../errors.js';
import { dateText } from '../views/career.js';

export const INTERESTS = 'interests { role { id title level { rank name } } at }';

const SET_INTEREST = `mutation SetInterest($person: ID!, $role: ID!, $interested: Boolean!) {
  setInterest(personId: $person, roleId: $role, interested: $interested) { id ${INTERESTS} } }`;

/** The roles as a list of links (`href(roleId)`), each with the day it was said; null when there are none. */
export function interestList(interests, href, id = 'interest-list') {
  if (!interests?.length) return null;
  return h('ul', { class: 'interest-list', id }, interests.map((i) => h('li', { dataset: { roleId: i.role.id } },
    h('a', { href: href(i.role.id) }, i.role.title), i.role.level ? h('span', { class: 'muted' }, ` (${i.role.level.name})`) : null,
    h('span', { class: 'muted small' }, ` · since ${dateText(i.at)}`))));
}

/**
 * On My career, under the target picker: whether the target interests the person (a button for them and for HR,
 * words for their manager), and every role they said interests them. `person.interests` is kept up to date.
 */
export function interestBox(ctx, { person, target, targetTitle, voice, canSet, href }) {
  const box = h('div', { class: 'interest-box', id: 'interests' });
  const status = h('p', { class: 'status small', id: 'interest-status', role: 'status' });
  const list = h('div', { class: 'interest-all' });

  function draw() {
    const mine = person.interests.find((i) => i.role.id === target);
    const intoTarget = target && target !== person.role?.id;
    const toggle = intoTarget && canSet ? h('button', {
      type: 'button', class: 'button small secondary interest-toggle', id: 'interest-toggle',
      dataset: { interested: String(Boolean(mine)) }, onclick: () => set(!mine),
    }, mine ? `♥ Interested in ${targetTitle} — take it back` : `♡ ${voice.own ? 'I’m' : `${voice.Subj} is`} interested in ${targetTitle}`) : null;
    const said = intoTarget && mine ? h('span', { class: 'mark mark-interested', id: 'interest-mark' },
      `♥ ${voice.own ? 'You said' : `${voice.Subj} said`} ${targetTitle} interests ${voice.own ? 'you' : 'them'} (${dateText(mine.at)})`) : null;
    const all = interestList(person.interests, href);
    list.replaceChildren(h('p', { class: 'small', id: 'interest-summary' }, all
      ? `${voice.own ? 'Roles you said interest you' : `Roles ${voice.subj} said interest them`} (${voice.own ? 'your manager and HR see them' : 'their own word'}):`
      : `${voice.own ? 'You have' : `${voice.Subj} has`} not said that any role interests ${voice.own ? 'you' : 'them'} yet.`), all);
    box.replaceChildren(...[toggle, toggle ? null : said, list].filter(Boolean));
  }

  async function set(interested) {
    const button = box.querySelector('#interest-toggle');
    if (button) button.disabled = true;
    status.textContent = interested ? 'Saving…' : 'Taking it back…';
    try {
      person.interests = (await graphql(SET_INTEREST, { person: person.id, role: target, interested })).setInterest.interests;
    } catch (error) {
      if (button) button.disabled = false;
      status.replaceChildren(errorBox(error, { what: 'the interest' }));
      return;
    }
    if (!ctx.isCurrent()) return;
    draw();
    const text = interested
      ? `Saved: ${targetTitle} interests ${voice.own ? 'you' : voice.subj}. ${voice.own ? 'Your manager and HR see it.' : ''}`.trim()
      : `Taken back: ${targetTitle} is no longer among ${voice.poss} interests.`;
    status.textContent = text;
    announce(text);
    box.querySelector('#interest-toggle')?.focus();
  }

  draw();
  return [box, status];
}
