// Errors in words: what happened, and what the visitor can do about it.
import { h, busy, fill } from './dom.js';
import { SERVER_DOWN } from './api.js';

function signInLink(text = 'Sign in as someone who may see it') {
  const next = location.hash || '#/';
  return h('a', { href: `#/signin?next=${encodeURIComponent(next)}` }, text);
}

const RETRYABLE = new Set([SERVER_DOWN, 'UNAVAILABLE', 'ERROR', 'BAD_RESPONSE', 'INTERNAL_SERVER_ERROR']);

/** A role=alert box for an error; `retry` (optional) re-runs what failed. */
export function errorBox(error, { retry, what } = {}) {
  const code = error?.code ?? 'ERROR';
  const about = what ? ` ${what}` : '';
  let title;
  let detail;
  let action = null;
  switch (code) {
    case SERVER_DOWN:
      title = 'The server is down.';
      detail = `Trellis could not reach its server to load${about || ' this page'}. It may be stopped or restarting: check that “trellis serve” is running, then try again.`;
      break;
    case 'UNAVAILABLE':
      title = 'The data store is unavailable.';
      detail = `The server is up but cannot read its data store right now (${error.message}). It retries by itself; try again in a moment.`;
      break;
    case 'FORBIDDEN':
      title = 'You do not have access to this.';
      detail = `${error.message} `;
      action = signInLink('Sign in as someone else');
      break;
    case 'UNAUTHENTICATED':
      title = 'Please sign in.';
      detail = `${error.message} `;
      action = signInLink('Sign in');
      break;
    case 'NOT_FOUND':
      title = 'Not found.';
      detail = `${error.message} `;
      action = h('a', { href: '#/architecture' }, 'Browse the job architecture');
      break;
    case 'BAD_INPUT':
      title = 'That request was not valid.';
      detail = error.message;
      break;
    default:
      title = 'Something went wrong.';
      detail = error?.message ?? String(error);
  }
  return h('div', { class: `error-box error-${code.toLowerCase().replaceAll('_', '-')}`, role: 'alert', dataset: { code } },
    h('p', { class: 'error-title' }, h('strong', {}, title)),
    h('p', {}, detail, action),
    retry && RETRYABLE.has(code) ? h('button', { type: 'button', class: 'button secondary', onclick: retry }, 'Try again') : null);
}

/** Load into a section body (a view's part), with loading and errors in words; never throws. */
export async function loadSection(ctx, body, text, what, load) {
  busy(body, text);
  try {
    await load();
    body.removeAttribute('aria-busy');
  } catch (error) {
    if (!ctx.isCurrent()) return;
    fill(body, errorBox(error, { what, retry: () => loadSection(ctx, body, text, what, load) }));
  }
}
