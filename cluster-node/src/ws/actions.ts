import { broadcast, isId, type WebSocketReply } from '@switchboard/shared';
import type { AuthContext, ServiceDeps } from '../app/context.js';
import type { Services } from '../app/services.js';
import { isChannelMember } from '../store/members.store.js';
import { SERVER_VERSION } from '../http/app.js';
import { fail, ok } from './replies.js';

/** What action handlers need. */
export interface ActionDeps extends ServiceDeps {
  services: Services;
  nodeId: string;
}

type Handler = (deps: ActionDeps, auth: AuthContext, seq: number, data: Record<string, unknown>) => Promise<WebSocketReply>;

function idList(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length > 1000 || !value.every(isId)) return undefined;
  return value;
}

async function statusMap(deps: ActionDeps, userIds: string[]): Promise<Record<string, string>> {
  const statuses = await deps.services.statuses.get(userIds);
  return Object.fromEntries(statuses.map((s) => [s.user_id, s.status]));
}

const HANDLERS: Record<string, Handler> = {
  async ping(deps, _auth, seq) {
    return ok(seq, { text: 'pong', version: SERVER_VERSION, server_time: deps.now(), node_id: deps.nodeId });
  },

  async user_typing(deps, auth, seq, data) {
    const channelId = data.channel_id;
    const parentId = data.parent_id ?? '';
    if (!isId(channelId) || (parentId !== '' && !isId(parentId))) return fail(seq, 'websocket.bad_action', 'channel_id must be an id and parent_id an id or empty');
    if (!(await isChannelMember(deps.db, channelId, auth.userId))) return fail(seq, 'api.context.permissions.app_error', 'not a member of the channel');
    await deps.bus.publish({
      kind: 'typing',
      broadcast: broadcast({ channel_id: channelId, omit_users: { [auth.userId]: true } }),
      data: { parent_id: parentId, user_id: auth.userId },
    });
    return ok(seq);
  },

  async get_statuses_by_ids(deps, _auth, seq, data) {
    const ids = idList(data.user_ids);
    if (!ids) return fail(seq, 'websocket.bad_action', 'user_ids must be a list of at most 1000 ids');
    return ok(seq, await statusMap(deps, ids));
  },

  async get_statuses(deps, auth, seq) {
    // Statuses of the users the caller shares a channel with (the people their client shows).
    const { rows } = await deps.db.query<{ user_id: string }>(
      `SELECT DISTINCT b.user_id FROM channel_members a JOIN channel_members b ON a.channel_id = b.channel_id
        WHERE a.user_id = $1 LIMIT 10000`,
      [auth.userId],
    );
    return ok(seq, await statusMap(deps, [auth.userId, ...rows.map((r) => r.user_id).filter((id) => id !== auth.userId)]));
  },

  // Accepted for compatibility with Mattermost clients; Switchboard derives activity from sockets.
  async user_update_active_status(_deps, _auth, seq) {
    return ok(seq);
  },
  async presence(_deps, _auth, seq) {
    return ok(seq);
  },
  async posted_notify_ack(_deps, _auth, seq) {
    return ok(seq);
  },
};

/** Runs one authenticated client action and returns its reply. */
export async function runAction(deps: ActionDeps, auth: AuthContext, action: string, seq: number, data: unknown): Promise<WebSocketReply> {
  const handler = Object.hasOwn(HANDLERS, action) ? HANDLERS[action] : undefined;
  if (!handler) return fail(seq, 'websocket.bad_action', `unknown action ${action.slice(0, 64)}`);
  const body = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  return handler(deps, auth, seq, body);
}
