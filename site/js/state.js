// State shared by the router and the views: who is signed in, and how URLs are made.

/** Who is signed in; `viewer` is null until known (or while the server is down). */
export const session = { viewer: null, error: null };

/** Which pages a viewer can use (a server without access control answers everyone). */
export function allowed(page, viewer = session.viewer) {
  if (!viewer || !viewer.authEnabled) return true;
  if (page === 'succession' || page === 'team') return viewer.access === 'MANAGER' || viewer.access === 'HR';
  if (page === 'inventory' || page === 'editor') return viewer.access === 'HR';
  return true;
}

/** Build a hash: hashOf(['career', 'x'], {k: 2}) → "#/career/x?k=2" (empty params left out). */
export function hashOf(segments, params = {}) {
  const path = segments.filter((s) => s !== undefined && s !== null && s !== '').map(encodeURIComponent).join('/');
  const query = new URLSearchParams();
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [key, value] of entries) {
    if (value !== undefined && value !== null && value !== '' && value !== false) query.set(key, String(value));
  }
  const qs = query.toString();
  return `#/${path}${qs ? `?${qs}` : ''}`;
}

/** Where a sign-in lands when no page asked for it: a manager on My team, HR on the editor, everyone else on My career. */
export function landingFor(access) {
  return { MANAGER: '#/team', HR: '#/editor' }[access] ?? '#/career';
}

/** Tell the router the session changed (signed in or out); it re-reads the viewer and goes to `next`. */
export function sessionChanged(next) {
  window.dispatchEvent(new CustomEvent('trellis:session-changed', { detail: { next } }));
}
