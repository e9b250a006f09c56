import { PROBE_CHANNEL_NAME, PROBE_TEAM_NAME, PROBE_USERNAME, SwitchboardError } from '@switchboard/shared';

/** How long one API request of the probe may take, ms. @default 5000 */
export const PROBE_HTTP_TIMEOUT_MS = 5_000;

/** What the probe posts with: its session and where it posts. */
export interface ProbeFixtures {
  token: string;
  userId: string;
  teamId: string;
  channelId: string;
}

/** The probe account's credentials; the password is the value of a named secret. */
export interface ProbeCredentials {
  password: string;
  /** @default PROBE_USERNAME ('probe') */
  username?: string;
  /** Used only when the account is created. @default '<username>@switchboard-probe.invalid' */
  email?: string;
}

/** A response of the node's API as the probe reads it. */
export interface ApiReply {
  status: number;
  body: Record<string, unknown>;
  token: string | null;
}

/**
 * One request to a node's Mattermost API (`/api/v4` + path), JSON both ways, bearer token when
 * given. Network failures and timeouts become `probe.failed`.
 * @example const reply = await apiRequest(url, 'GET', '/teams/name/switchboard-probe', token);
 */
export async function apiRequest(baseUrl: string, method: string, path: string, token?: string, body?: unknown): Promise<ApiReply> {
  const headers: Record<string, string> = { 'x-requested-with': 'XMLHttpRequest' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${baseUrl.replace(/\/$/, '')}/api/v4${path}`, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(PROBE_HTTP_TIMEOUT_MS),
    });
  } catch (err) {
    throw new SwitchboardError('probe.failed', { detail: `${method} ${path} at ${baseUrl}: ${(err as Error).message}`, cause: err });
  }
  const text = await response.text();
  let parsed: unknown = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { text };
  }
  return { status: response.status, body: (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>, token: response.headers.get('token') };
}

function refuse(step: string, reply: ApiReply): never {
  throw new SwitchboardError('probe.failed', { detail: `${step}: HTTP ${reply.status} ${String(reply.body.id ?? reply.body.message ?? '')}`.trim() });
}

function idOf(step: string, reply: ApiReply): string {
  if (typeof reply.body.id !== 'string') refuse(step, reply);
  return reply.body.id;
}

/** Logs the probe user in, signing it up first when it does not exist yet. */
async function logIn(apiUrl: string, credentials: ProbeCredentials): Promise<{ token: string; userId: string }> {
  const username = credentials.username ?? PROBE_USERNAME;
  const login = () => apiRequest(apiUrl, 'POST', '/users/login', undefined, { login_id: username, password: credentials.password });
  let reply = await login();
  if (reply.status === 401) {
    const email = credentials.email ?? `${username}@switchboard-probe.invalid`;
    const created = await apiRequest(apiUrl, 'POST', '/users', undefined, { username, email, password: credentials.password });
    if (created.status !== 201) refuse(`sign-up of ${username}`, created);
    reply = await login();
  }
  if (reply.status !== 200 || !reply.token) refuse(`login of ${username}`, reply);
  return { token: reply.token, userId: idOf('login', reply) };
}

/** Finds a resource by GET, or creates it by POST when the GET says 404. */
async function findOrCreate(apiUrl: string, token: string, what: string, getPath: string, postPath: string, body: unknown): Promise<string> {
  const found = await apiRequest(apiUrl, 'GET', getPath, token);
  if (found.status === 200) return idOf(what, found);
  if (found.status !== 404 && found.status !== 403) refuse(`lookup of ${what}`, found);
  const created = await apiRequest(apiUrl, 'POST', postPath, token, body);
  if (created.status !== 201) refuse(`creation of ${what}`, created);
  return idOf(what, created);
}

/** Joins when not a member yet (GET the membership, POST it on 404). */
async function ensureMember(apiUrl: string, token: string, what: string, memberPath: string, joinPath: string, body: unknown): Promise<void> {
  const member = await apiRequest(apiUrl, 'GET', memberPath, token);
  if (member.status === 200) return;
  const joined = await apiRequest(apiUrl, 'POST', joinPath, token, body);
  if (joined.status !== 201 && joined.status !== 200) refuse(`joining ${what}`, joined);
}

/**
 * Makes sure the probe can post: logs the `probe` user in (signing it up if missing), and creates
 * the team `switchboard-probe` and its channel `probe` if missing, joining both. Idempotent.
 * Throws `probe.failed` naming the step that failed.
 * @example const fixtures = await ensureProbeFixtures('http://127.0.0.1:8065', { password: secret });
 */
export async function ensureProbeFixtures(apiUrl: string, credentials: ProbeCredentials): Promise<ProbeFixtures> {
  if (credentials.password.length < 8 || credentials.password.length > 72) {
    throw new SwitchboardError('console.invalid_argument', { detail: 'probe password must be 8 to 72 characters' });
  }
  const { token, userId } = await logIn(apiUrl, credentials);
  const team = { name: PROBE_TEAM_NAME, display_name: 'Switchboard probe', type: 'O' };
  const teamId = await findOrCreate(apiUrl, token, `team ${PROBE_TEAM_NAME}`, `/teams/name/${PROBE_TEAM_NAME}`, '/teams', team);
  await ensureMember(apiUrl, token, `team ${PROBE_TEAM_NAME}`, `/teams/${teamId}/members/${userId}`, `/teams/${teamId}/members`, { team_id: teamId, user_id: userId });
  const channel = { team_id: teamId, name: PROBE_CHANNEL_NAME, display_name: 'Probe', type: 'O' };
  const channelPath = `/teams/${teamId}/channels/name/${PROBE_CHANNEL_NAME}`;
  const channelId = await findOrCreate(apiUrl, token, `channel ${PROBE_CHANNEL_NAME}`, channelPath, '/channels', channel);
  await ensureMember(apiUrl, token, `channel ${PROBE_CHANNEL_NAME}`, `/channels/${channelId}/members/${userId}`, `/channels/${channelId}/members`, { user_id: userId });
  return { token, userId, teamId, channelId };
}
