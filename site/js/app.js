// The router: #/<view>/<args>?<params> → a view module renders into <main>. Every view is a URL.
import { h, announce, words } from './dom.js';
import { loadViewer, signOut } from './api.js';
import { errorBox } from './errors.js';
import { allowed, hashOf, session } from './state.js';
import home from './views/home.js';
import architecture from './views/architecture.js';
import role from './views/role.js';
import career from './views/career.js';
import succession from './views/succession.js';
import team from './views/team.js';
import inventory from './views/inventory.js';
import signin from './views/signin.js';
import editor from './views/editor.js';
import person from './views/person.js';

const VIEWS = { '': home, architecture, role, career, succession, team, inventory, signin, editor, person };

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const segments = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  return { name: segments[0] ?? '', args: segments.slice(1), params: new URLSearchParams(query) };
}

let current = { name: null, serial: 0 };

async function ensureSession() {
  if (session.viewer) return;
  try {
    session.viewer = await loadViewer();
    session.error = null;
  } catch (error) {
    session.viewer = null;
    session.error = error;
  }
  renderSession();
}

async function refreshSession() {
  session.viewer = null;
  await ensureSession();
}

function renderSession() {
  const box = document.getElementById('session');
  const viewer = session.viewer;
  if (!viewer) {
    box.replaceChildren(h('span', { class: 'session-state offline' }, session.error ? 'Offline' : ''));
  } else if (viewer.person) {
    box.replaceChildren(
      h('span', { class: 'session-state', dataset: { access: viewer.access } },
        h('span', { class: 'visually-hidden' }, 'Signed in as '),
        h('strong', { id: 'viewer-name' }, viewer.person.name), ' ', h('span', { class: 'access' }, words(viewer.access))),
      h('button', { type: 'button', class: 'button small secondary', id: 'sign-out', onclick: onSignOut }, 'Sign out'));
  } else {
    box.replaceChildren(h('a', { class: 'button small', id: 'sign-in', href: signInHref() }, 'Sign in as…'));
  }
  for (const item of document.querySelectorAll('[data-nav]')) {
    item.closest('li').hidden = !allowed(item.dataset.nav);
  }
}

/** The header's sign-in link: back to this page afterwards; from the home page, to where one's work is (signin.js). */
function signInHref() {
  const hash = location.hash;
  const back = hash && !['#', '#/'].includes(hash) && !hash.startsWith('#/signin');
  return `#/signin${back ? `?next=${encodeURIComponent(hash)}` : ''}`;
}

async function onSignOut() {
  signOut();
  announce('Signed out.');
  await refreshSession();
  route({ force: true });
}

function notice(text) {
  const box = document.getElementById('notice');
  box.replaceChildren(text ? h('p', {}, text, ' ', h('button', {
    type: 'button', class: 'button small secondary', onclick: () => notice(null),
  }, 'Dismiss')) : '');
}

/** Render the view the URL names. */
async function route({ force = false } = {}) {
  const { name, args, params } = parseHash();
  const view = VIEWS[name];
  const main = document.getElementById('main');
  const serial = ++current.serial;
  const changedView = current.name !== name;
  current.name = name;
  for (const item of document.querySelectorAll('[data-nav]')) {
    const active = item.dataset.nav === name || (name === 'role' && item.dataset.nav === 'architecture')
      || (name === 'person' && item.dataset.nav === 'team');
    if (active) item.setAttribute('aria-current', 'page');
    else item.removeAttribute('aria-current');
  }
  await ensureSession();
  if (serial !== current.serial) return;
  document.getElementById('sign-in')?.setAttribute('href', signInHref());
  const container = h('div', { class: `view view-${name || 'home'}` });
  cleanup(main);
  main.replaceChildren(container);
  if (!view) {
    document.title = 'Not found — Trellis';
    container.append(h('h1', { tabindex: '-1' }, 'Page not found'),
      errorBox({ code: 'NOT_FOUND', message: `There is no page at “${location.hash}”.` }));
    main.dataset.rendered = `${Date.now()}-${serial}`;
    return;
  }
  const ctx = {
    main: container, args, params, session,
    isCurrent: () => serial === current.serial,
    /** Update the URL's parameters without re-rendering (the view updates itself). */
    setParams(values) {
      if (serial !== current.serial) return;   // the view has been left: the URL is someone else's now
      const merged = new URLSearchParams(parseHash().params);
      for (const [key, value] of Object.entries(values)) {
        if (value === undefined || value === null || value === '' || value === false) merged.delete(key);
        else merged.set(key, String(value));
      }
      history.replaceState(null, '', hashOf([name, ...args], merged));
    },
    title(text) {
      document.title = `${text} — Trellis`;
    },
    rerender: () => route({ force: true }),
    /** True when the previous render was of the same view (a link within it), not a new page. */
    sameView: !changedView && booted,
  };
  try {
    await view.render(ctx);
  } catch (error) {
    if (!ctx.isCurrent()) return;
    console.warn(error);   // not an error of the page itself: it is shown in words below
    if (!container.querySelector('h1')) container.prepend(h('h1', { tabindex: '-1' }, view.heading ?? 'Trellis'));
    for (const placeholder of container.querySelectorAll('.loading')) placeholder.remove();
    for (const section of container.querySelectorAll('[aria-busy]')) section.removeAttribute('aria-busy');
    container.append(errorBox(error, { retry: () => route({ force: true }) }));
    announce(error.message);
  }
  if (ctx.isCurrent()) main.dataset.rendered = `${Date.now()}-${serial}`;   // a render finished (tests wait on it)
  if (changedView && !force && ctx.isCurrent() && document.readyState === 'complete' && booted) {
    container.querySelector('h1')?.focus({ preventScroll: false });
  }
}

let booted = false;

/** Free what the previous view drew (charts, graphs) before it leaves the page. */
function cleanup(main) {
  for (const canvas of main.querySelectorAll('canvas')) globalThis.Chart?.getChart(canvas)?.destroy();
  for (const box of main.querySelectorAll('.graph')) {
    box._observer?.disconnect();
    box._cy?.destroy();
  }
}

function boot() {
  window.addEventListener('hashchange', () => route());
  window.addEventListener('trellis:session-changed', async (event) => {
    notice(null);
    await refreshSession();
    const next = event.detail?.next;
    if (next && next !== location.hash) location.hash = next;
    else route({ force: true });
  });
  window.addEventListener('trellis:session-ended', async (event) => {
    notice(`You have been signed out: ${event.detail}`);
    await refreshSession();
  });
  document.querySelector('.skip-link')?.addEventListener('click', (event) => {
    event.preventDefault();
    document.getElementById('main').focus();
  });
  route().finally(() => { booted = true; });
}

boot();
