/**
 * Wire shapes of the Mattermost API v4 subset Switchboard speaks. Field names and meanings follow
 * `@mattermost/types`; timestamps are epoch milliseconds, ids are 26-character strings.
 */

/** Mattermost's error body, on every non-2xx response. */
export interface AppErrorBody {
  id: string;
  message: string;
  detailed_error: string;
  request_id: string;
  status_code: number;
}

/** A user as the API returns it (never with a password). */
export interface User {
  id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  username: string;
  auth_data: string;
  auth_service: string;
  email: string;
  email_verified: boolean;
  nickname: string;
  first_name: string;
  last_name: string;
  position: string;
  roles: string;
  locale: string;
  timezone: Record<string, string>;
  props: Record<string, string>;
  notify_props: Record<string, string>;
  last_password_update: number;
  is_bot: boolean;
}

/** Team type: `O` open, `I` invite only. */
export type TeamType = 'O' | 'I';

export interface Team {
  id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  display_name: string;
  name: string;
  description: string;
  email: string;
  type: TeamType;
  company_name: string;
  allowed_domains: string;
  invite_id: string;
  allow_open_invite: boolean;
  scheme_id: string;
  group_constrained: boolean;
}

export interface TeamMember {
  team_id: string;
  user_id: string;
  roles: string;
  delete_at: number;
  scheme_guest: boolean;
  scheme_user: boolean;
  scheme_admin: boolean;
}

/** Channel type: `O` open, `P` private, `D` direct. */
export type ChannelType = 'O' | 'P' | 'D';

export interface Channel {
  id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  team_id: string;
  type: ChannelType;
  display_name: string;
  name: string;
  header: string;
  purpose: string;
  last_post_at: number;
  last_root_post_at: number;
  total_msg_count: number;
  creator_id: string;
  scheme_id: string;
  group_constrained: boolean;
  shared: boolean;
}

export interface ChannelMember {
  channel_id: string;
  user_id: string;
  roles: string;
  last_viewed_at: number;
  msg_count: number;
  mention_count: number;
  notify_props: Record<string, string>;
  last_update_at: number;
  scheme_guest: boolean;
  scheme_user: boolean;
  scheme_admin: boolean;
}

export interface Post {
  id: string;
  create_at: number;
  update_at: number;
  edit_at: number;
  delete_at: number;
  is_pinned: boolean;
  user_id: string;
  channel_id: string;
  root_id: string;
  original_id: string;
  message: string;
  type: string;
  props: Record<string, unknown>;
  hashtags: string;
  pending_post_id: string;
  reply_count: number;
  metadata: Record<string, unknown>;
}

/** Mattermost's post list: `order` newest first, `posts` keyed by id. */
export interface PostList {
  order: string[];
  posts: Record<string, Post>;
  next_post_id: string;
  prev_post_id: string;
  has_next: boolean;
}

/** Presence value of a user. */
export type StatusValue = 'online' | 'away' | 'dnd' | 'offline';

export interface UserStatus {
  user_id: string;
  status: StatusValue;
  manual: boolean;
  last_activity_at: number;
}

/** Who receives a WebSocket event (Mattermost's `broadcast` object). */
export interface WebSocketBroadcast {
  omit_users: Record<string, boolean> | null;
  user_id: string;
  channel_id: string;
  team_id: string;
}

/** A server-to-client WebSocket event. */
export interface WebSocketEvent<D = Record<string, unknown>> {
  event: string;
  data: D;
  broadcast: WebSocketBroadcast;
  seq: number;
}

/** A reply to a client action (`seq_reply` echoes the action's `seq`). */
export interface WebSocketReply {
  status: 'OK' | 'FAIL';
  seq_reply: number;
  data?: unknown;
  error?: { id: string; message: string; detailed_error: string; status_code: number };
}
