// A minimal client of the nodes' Mattermost API v4 for the demo's seeding, chatter and checks.

/** How long one API request may take, ms. @default 10000 */
export const API_TIMEOUT_MS = 10_000;

/**
 * One JSON request to `${baseUrl}/api/v4${path}`; resolves {status, body, token} (token: the
 * `Token` header a login returns). Throws only on network errors and timeouts.
 * @example const { body } = await api(url, 'POST', '/users/login', { body: { login_id: 'alice', password } });
 */
export async function api(baseUrl, method, path, { token, body } = {}) {
  const headers = { 'x-requested-with': 'XMLHttpRequest' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}/api/v4${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(API_TIMEOUT_MS),
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { text };
  }
  return { status: response.status, body: parsed, token: response.headers.get('token') };
}

/** Like {@link api}, but anything other than the `expected` statuses is an error naming the request. */
export async function apiOk(baseUrl, method, path, options = {}, expected = [200, 201]) {
  const reply = await api(baseUrl, method, path, options);
  if (!expected.includes(reply.status)) {
    throw new Error(`${method} ${path}: HTTP ${reply.status} ${reply.body?.id ?? ''} ${reply.body?.message ?? ''}`.trim());
  }
  return reply.body;
}

/** Logs `username` in; signs the user up first when the login is refused (idempotent). Resolves {id, token}. */
export async function ensureUser(baseUrl, username, password) {
  const login = () => api(baseUrl, 'POST', '/users/login', { body: { login_id: username, password } });
  let reply = await login();
  if (reply.status === 401) {
    await apiOk(baseUrl, 'POST', '/users', { body: { username, email: `${username}@demo.switchboard.invalid`, password } }, [201]);
    reply = await login();
  }
  if (reply.status !== 200 || !reply.token) {
    throw new Error(`login of ${username}: HTTP ${reply.status} ${reply.body?.id ?? ''} (a user ${username} with another password exists? run the demo with --fresh)`);
  }
  return { id: reply.body.id, token: reply.token, username };
}
