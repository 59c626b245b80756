// The GraphQL client and the session (demo sign-in, bearer token in sessionStorage).

const TOKEN_KEY = 'trellis.token';

/** An error in words, with a code views can act on. */
export class ApiError extends Error {
  constructor(code, message, { status, errors } = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.errors = errors ?? [];
  }
}

export const SERVER_DOWN = 'SERVER_DOWN';

export function token() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

function headers(extra = {}) {
  const result = { ...extra };
  const bearer = token();
  if (bearer) result.authorization = `Bearer ${bearer}`;
  return result;
}

async function send(url, init) {
  try {
    return await fetch(url, init);
  } catch {
    throw new ApiError(SERVER_DOWN, 'The Trellis server is not answering: it may be down or restarting.');
  }
}

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    if (response.status >= 500) {
      throw new ApiError(SERVER_DOWN, `The Trellis server answered with an error (HTTP ${response.status}): it may be down or restarting.`,
        { status: response.status });
    }
    throw new ApiError('BAD_RESPONSE', `The server sent an answer the site cannot read (HTTP ${response.status}).`,
      { status: response.status });
  }
}

/** POST a query; resolves to `data`, rejects with an ApiError carrying the first error's code. */
export async function graphql(query, variables = {}) {
  const response = await send('/graphql', {
    method: 'POST',
    headers: headers({ 'content-type': 'application/json', accept: 'application/graphql-response+json' }),
    body: JSON.stringify({ query, variables }),
  });
  const body = await readJson(response);
  if (body.errors?.length) {
    const first = body.errors[0];
    const code = first.extensions?.code ?? (response.status === 401 ? 'UNAUTHENTICATED' : 'ERROR');
    if (code === 'UNAUTHENTICATED' && token() && response.status === 401) {
      // The token itself was refused (expired, or signed by another server): forget it.
      setToken(null);
      window.dispatchEvent(new CustomEvent('trellis:session-ended', { detail: first.message }));
    }
    throw new ApiError(code, first.message, { status: response.status, errors: body.errors });
  }
  if (!response.ok || !body.data) {
    throw new ApiError(response.status >= 500 ? SERVER_DOWN : 'ERROR', `The server answered HTTP ${response.status}.`,
      { status: response.status });
  }
  return body.data;
}

/** Every node of a paginated catalogue list (roles, competencies, people), 100 at a time. */
export async function allNodes(field, selection) {
  const query = `query Page($after: String) {
    list: ${field}(first: 100, after: $after) { nodes { ${selection} } pageInfo { hasNextPage endCursor } } }`;
  const nodes = [];
  let after = null;
  for (let page = 0; page < 1000; page += 1) {
    const data = await graphql(query, { after });
    nodes.push(...data.list.nodes);
    if (!data.list.pageInfo.hasNextPage) break;
    after = data.list.pageInfo.endCursor;
  }
  return nodes;
}

// --- the session -------------------------------------------------------------------

/**
 * Who is signed in: {access, person: {id, name} | null, authEnabled}.
 * A server without access control (no `viewer` field) answers everything anonymously: authEnabled false.
 */
export async function loadViewer() {
  try {
    const data = await graphql('query Viewer { viewer { access person { id name } } }');
    return { authEnabled: true, access: data.viewer.access, person: data.viewer.person ?? null };
  } catch (error) {
    if (error.code === 'GRAPHQL_VALIDATION_FAILED') return { authEnabled: false, access: 'ANONYMOUS', person: null };
    if (error.code === 'UNAUTHENTICATED' && !token()) return { authEnabled: true, access: 'ANONYMOUS', person: null };
    throw error;
  }
}

/** The people one may sign in as, or null when demo sign-in is off on this server. */
export async function demoPeople() {
  const response = await send('/auth/demo', { headers: { accept: 'application/json' } });
  if (response.status === 404) return null;
  const body = await readJson(response);
  if (!response.ok) throw new ApiError(body.error?.code ?? 'ERROR', body.error?.message ?? `HTTP ${response.status}`);
  return body.people;
}

export async function signIn(personId) {
  const response = await send('/auth/demo', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ personId }),
  });
  if (response.status === 404 && !(response.headers.get('content-type') ?? '').includes('json')) {
    throw new ApiError('NOT_FOUND', 'Demo sign-in is not enabled on this server.');
  }
  const body = await readJson(response);
  if (!response.ok || !body.token) {
    throw new ApiError(body.error?.code ?? 'ERROR', body.error?.message ?? `Sign-in failed (HTTP ${response.status}).`);
  }
  setToken(body.token);
  return body;
}

export function signOut() {
  setToken(null);
}
