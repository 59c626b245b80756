// Add a competency by name on a large framework: the API's search as you type (or on Enter), up to 8 matches,
// each a button that adds it. Used by the self-assessment on My career and by the check-in on a person's page.

import { h } from './dom.js';
import { findCompetencies } from './catalogue.js';

/** The finder: `id` names the input (its results list is `${listId}`), `add(c)` runs when a match is chosen. */
export function competencyFinder({ id, listId, label, placeholder, add }) {
  const input = h('input', { type: 'search', id, placeholder, autocomplete: 'off' });
  const list = h('ul', { class: 'finder-results', id: listId, 'aria-live': 'polite' });
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
      onclick: () => { input.value = ''; list.replaceChildren(); add(c); },
    }, `Add ${c.name}`))));
    if (!found.length) list.append(h('li', { class: 'muted' }, 'No competency by that name.'));
  };
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(show, 200); });
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); clearTimeout(timer); show(); } });
  return h('div', { class: 'finder' }, h('label', { for: id }, label), input, list);
}
