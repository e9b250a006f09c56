// The demo's users, team, channels and first messages, made through the API like any client
// would. Idempotent: a second run logs the same users in and finds what exists.
import { apiOk, ensureUser, api } from './api.mjs';

/**
 * The demo password of every demo account. Fixed and printed on purpose: this is a local demo
 * on 127.0.0.1 with throwaway data; never use it for anything else. @default 'switchboard-demo'
 */
export const DEMO_PASSWORD = 'switchboard-demo';

/** People who log in; the first one to sign up on an empty database becomes system admin. */
export const DEMO_PEOPLE = ['admin', 'alice', 'bob', 'carol'];

/** Accounts the chatter posts with. */
export const DEMO_BOTS = ['bot-anna', 'bot-ben', 'bot-cleo'];

/** The demo team. */
export const DEMO_TEAM = { name: 'demo', display_name: 'Demo', type: 'O' };

/** Channels besides the team's default ones (town-square, off-topic). */
export const DEMO_CHANNELS = [
  { name: 'incidents', display_name: 'Incidents', purpose: 'Watch this channel while you kill a node from the console.' },
  { name: 'bot-chatter', display_name: 'Bot chatter', purpose: 'Light traffic from the demo bots, so the console has something to chart.' },
];

const FIRST_MESSAGES = [
  ['alice', 'town-square', 'Welcome to the Switchboard demo! Three nodes behind HAProxy share this conversation.'],
  ['bob', 'town-square', 'Open the console, kill the node you are on, and watch this tab reconnect without losing a message.'],
  ['carol', 'incidents', 'Drill idea: `switchboard drill run kill-leader --profile local`.'],
];

async function findOrCreate(url, token, getPath, postPath, body) {
  const found = await api(url, 'GET', getPath, { token });
  if (found.status === 200) return found.body;
  return apiOk(url, 'POST', postPath, { token, body }, [201]);
}

async function ensureChannelMember(url, token, channelId, userId) {
  const member = await api(url, 'GET', `/channels/${channelId}/members/${userId}`, { token });
  if (member.status !== 200) await apiOk(url, 'POST', `/channels/${channelId}/members`, { token, body: { user_id: userId } }, [200, 201]);
}

/** Whether the channel holds no post yet (then the demo's first messages go in). */
async function isEmpty(url, token, channelId) {
  const page = await apiOk(url, 'GET', `/channels/${channelId}/posts?per_page=1`, { token });
  return (page.order ?? []).length === 0;
}

/**
 * Makes the demo's accounts, team, channels, a direct message and a few first posts through
 * `url` (the balancer). Resolves { users: name -> {id, token}, team, channels: name -> channel }.
 */
export async function seedDemo(url) {
  const users = {};
  // One after another: the first account on an empty database becomes the system admin.
  for (const name of [...DEMO_PEOPLE, ...DEMO_BOTS]) users[name] = await ensureUser(url, name, DEMO_PASSWORD);
  const admin = users.admin;
  const team = await findOrCreate(url, admin.token, `/teams/name/${DEMO_TEAM.name}`, '/teams', DEMO_TEAM);
  for (const user of Object.values(users)) {
    const member = await api(url, 'GET', `/teams/${team.id}/members/${user.id}`, { token: admin.token });
    if (member.status !== 200) await apiOk(url, 'POST', `/teams/${team.id}/members`, { token: admin.token, body: { team_id: team.id, user_id: user.id } }, [200, 201]);
  }
  const channels = {};
  for (const name of ['town-square', 'off-topic']) channels[name] = await apiOk(url, 'GET', `/teams/${team.id}/channels/name/${name}`, { token: admin.token });
  for (const channel of DEMO_CHANNELS) {
    channels[channel.name] = await findOrCreate(url, admin.token, `/teams/${team.id}/channels/name/${channel.name}`, '/channels', { team_id: team.id, type: 'O', ...channel });
    for (const user of Object.values(users)) await ensureChannelMember(url, admin.token, channels[channel.name].id, user.id);
  }
  const direct = await apiOk(url, 'POST', '/channels/direct', { token: users.alice.token, body: [users.alice.id, users.bob.id] }, [200, 201]);
  channels['dm-alice-bob'] = direct;
  const firstMessages = [...FIRST_MESSAGES, ['alice', 'dm-alice-bob', 'Hi Bob, this is a direct message: log in as bob in another tab to answer.']];
  // Decided before posting anything, so every first message of a new channel goes in (once).
  const empty = new Set();
  for (const [poster, channel] of firstMessages) {
    if (!empty.has(channel) && (await isEmpty(url, users[poster].token, channels[channel].id))) empty.add(channel);
  }
  for (const [name, channel, message] of firstMessages) {
    if (empty.has(channel)) await apiOk(url, 'POST', '/posts', { token: users[name].token, body: { channel_id: channels[channel].id, message } }, [201]);
  }
  return { users, team, channels };
}
