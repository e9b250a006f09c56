import type { Channel, ChannelMember, Post, Team, User } from '@switchboard/shared';
import { z } from 'zod';

/**
 * What the client reads from the server, checked at the boundary (REST answers and WebSocket
 * frames): the fields this client uses must be there with the right types; anything else passes
 * untouched. A frame that fails is dropped and logged, never half-applied.
 */

const id = z.string().min(1).max(64);
const millis = z.number().int().nonnegative();

export const postSchema = z.looseObject({
  id,
  create_at: millis,
  update_at: millis,
  edit_at: millis,
  delete_at: millis,
  user_id: id,
  channel_id: id,
  root_id: z.string(),
  message: z.string(),
  type: z.string(),
  pending_post_id: z.string().optional().default(''),
});

export const postListSchema = z.looseObject({
  order: z.array(id),
  posts: z.record(z.string(), postSchema),
});

export const userSchema = z.looseObject({ id, username: z.string(), first_name: z.string().optional(), last_name: z.string().optional(), nickname: z.string().optional(), roles: z.string().optional() });

export const teamSchema = z.looseObject({ id, name: z.string(), display_name: z.string(), type: z.string() });

export const channelSchema = z.looseObject({
  id,
  team_id: z.string(),
  type: z.enum(['O', 'P', 'D', 'G']),
  name: z.string(),
  display_name: z.string(),
  total_msg_count: z.number().int().nonnegative(),
  last_post_at: millis,
  delete_at: millis,
});

export const channelMemberSchema = z.looseObject({ channel_id: id, user_id: id, msg_count: z.number().int().nonnegative(), last_viewed_at: millis });

export const statusSchema = z.looseObject({ user_id: id, status: z.string() });

/** One WebSocket event frame (replies carry seq_reply instead and are not events). */
export const eventFrameSchema = z.looseObject({
  event: z.string(),
  data: z.record(z.string(), z.unknown()).nullable().default({}),
  broadcast: z.looseObject({ channel_id: z.string().default(''), user_id: z.string().default(''), team_id: z.string().default('') }).nullable().default(null),
  seq: z.number().int().nonnegative(),
});
export type EventFrame = z.infer<typeof eventFrameSchema>;

/** `posted`, `post_edited`, `post_deleted`: the post travels as a JSON string, as in Mattermost. */
export const postEventSchema = z.looseObject({ post: z.string() });
export const typingEventSchema = z.looseObject({ user_id: id, parent_id: z.string().optional() });
export const statusEventSchema = z.looseObject({ user_id: id, status: z.string() });
export const viewedEventSchema = z.looseObject({ channel_times: z.record(z.string(), z.number()) });
export const helloSchema = z.looseObject({ connection_id: z.string().min(1), server_hostname: z.string().optional().default('') });
export const pongSchema = z.looseObject({ data: z.looseObject({ node_id: z.string().optional() }).optional() });

/** Parses a post (REST or the JSON string of an event) into the shared wire type. */
export function toPost(value: unknown): Post {
  return postSchema.parse(typeof value === 'string' ? JSON.parse(value) : value) as unknown as Post;
}

/** Parses a Mattermost post list into its posts. */
export function toPosts(value: unknown): Post[] {
  return Object.values(postListSchema.parse(value).posts) as unknown as Post[];
}

/** Parses a list of users. */
export function toUsers(value: unknown): User[] {
  return z.array(userSchema).parse(value) as unknown as User[];
}

/** Parses a user. */
export function toUser(value: unknown): User {
  return userSchema.parse(value) as unknown as User;
}

/** Parses a list of teams. */
export function toTeams(value: unknown): Team[] {
  return z.array(teamSchema).parse(value) as unknown as Team[];
}

/** Parses a list of channels. */
export function toChannels(value: unknown): Channel[] {
  return z.array(channelSchema).parse(value) as unknown as Channel[];
}

/** Parses a channel. */
export function toChannel(value: unknown): Channel {
  return channelSchema.parse(value) as unknown as Channel;
}

/** Parses a list of channel memberships. */
export function toMembers(value: unknown): ChannelMember[] {
  return z.array(channelMemberSchema).parse(value) as unknown as ChannelMember[];
}

/** Parses statuses into user id -> status. */
export function toStatuses(value: unknown): Record<string, string> {
  return Object.fromEntries(z.array(statusSchema).parse(value).map((s) => [s.user_id, s.status]));
}
