import { z } from 'zod';

/**
 * Request bodies the API accepts, validated at the boundary. Unknown fields are ignored,
 * as Mattermost does, so clients that send their whole object still work.
 */

const id = z.string().regex(/^[a-z0-9]{26}$/, 'must be a 26-character id');

export const MAX_POST_MESSAGE_LENGTH = 16_383;

export const createUserRequest = z.object({
  username: z.string(),
  email: z.string(),
  password: z.string(),
  nickname: z.string().max(64).optional(),
  first_name: z.string().max(64).optional(),
  last_name: z.string().max(64).optional(),
  position: z.string().max(128).optional(),
  locale: z.string().max(5).optional(),
});
export type CreateUserRequest = z.infer<typeof createUserRequest>;

export const loginRequest = z.object({
  login_id: z.string().max(128).optional(),
  id: id.optional(),
  password: z.string().max(128),
  token: z.string().optional(),
  device_id: z.string().optional(),
  deviceId: z.string().optional(),
});
export type LoginRequest = z.infer<typeof loginRequest>;

export const idListRequest = z.array(id).max(1000);

export const usernameListRequest = z.array(z.string().max(64)).max(1000);

export const searchUsersRequest = z.object({
  term: z.string().max(128),
  team_id: z.string().optional(),
  in_channel_id: z.string().optional(),
  not_in_channel_id: z.string().optional(),
  allow_inactive: z.boolean().optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});
export type SearchUsersRequest = z.infer<typeof searchUsersRequest>;

export const updateStatusRequest = z.object({
  user_id: id,
  status: z.enum(['online', 'away', 'dnd', 'offline']),
  dnd_end_time: z.number().optional(),
});
export type UpdateStatusRequest = z.infer<typeof updateStatusRequest>;

export const createTeamRequest = z.object({
  name: z.string(),
  display_name: z.string(),
  type: z.string().default('O'),
  description: z.string().max(255).optional(),
  allow_open_invite: z.boolean().optional(),
});
export type CreateTeamRequest = z.infer<typeof createTeamRequest>;

export const addTeamMemberRequest = z.object({ team_id: id, user_id: id });

export const createChannelRequest = z.object({
  team_id: id,
  name: z.string(),
  display_name: z.string(),
  type: z.string().default('O'),
  header: z.string().max(1024).optional(),
  purpose: z.string().max(250).optional(),
});
export type CreateChannelRequest = z.infer<typeof createChannelRequest>;

export const addChannelMemberRequest = z.union([
  z.object({ user_id: id, post_root_id: z.string().optional() }),
  z.object({ user_ids: z.array(id).min(1).max(1000), post_root_id: z.string().optional() }),
]);

export const directChannelRequest = z.tuple([id, id]);

/** POST /channels/members/{user_id}/view: the channel being viewed and, optionally, the one left. */
export const viewChannelRequest = z.object({
  channel_id: z.union([id, z.literal('')]),
  prev_channel_id: z.union([id, z.literal('')]).optional(),
  collapsed_threads_supported: z.boolean().optional(),
});
export type ViewChannelRequest = z.infer<typeof viewChannelRequest>;

export const createPostRequest = z.object({
  channel_id: id,
  message: z.string(),
  root_id: z.union([id, z.literal('')]).optional(),
  pending_post_id: z.string().max(64).optional(),
  type: z.literal('').optional(),
  props: z.record(z.string(), z.unknown()).optional(),
});
export type CreatePostRequest = z.infer<typeof createPostRequest>;

export const patchPostRequest = z.object({
  message: z.string().optional(),
  is_pinned: z.boolean().optional(),
  props: z.record(z.string(), z.unknown()).optional(),
});
export type PatchPostRequest = z.infer<typeof patchPostRequest>;

/**
 * PUT /posts/{post_id}: a whole Post, of which only message, is_pinned and props are taken. As in
 * Mattermost, a missing message becomes '' and a missing is_pinned false; missing props keep the old ones.
 */
export const updatePostRequest = z.object({
  id,
  message: z.string().optional(),
  is_pinned: z.boolean().optional(),
  props: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type UpdatePostRequest = z.infer<typeof updatePostRequest>;

/** A client-to-server WebSocket action frame. */
export const webSocketAction = z.object({
  action: z.string().min(1).max(64),
  seq: z.number().int().nonnegative(),
  data: z.unknown().optional(),
});
export type WebSocketAction = z.infer<typeof webSocketAction>;
