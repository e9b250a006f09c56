import { Client4 } from '@mattermost/client';
import type { Channel, ChannelMember, Post, Team, User } from '@switchboard/shared';
import { toChannel, toChannels, toMembers, toPost, toPosts, toStatuses, toTeams, toUser, toUsers } from './schemas.js';

/**
 * Everything the web client asks the node over REST, through the official Mattermost client
 * (`Client4`), so the client proves the node speaks Mattermost's API. Every answer is checked at
 * the boundary (schemas.ts). The client talks to the origin that served it: the balancer in a
 * cluster, any node alone.
 */
export class ChatApi {
  readonly client = new Client4();

  constructor(origin: string = window.location.origin) {
    this.client.setUrl(origin);
    // The session token travels in the Authorization header (no cookies: nothing to forge).
    this.client.setIncludeCookies(false);
  }

  /** The session token, '' when logged out. */
  get token(): string {
    return this.client.getToken();
  }

  set token(token: string) {
    this.client.setToken(token);
  }

  /** The WebSocket URL of this origin. */
  websocketUrl(): string {
    const url = new URL(this.client.getWebSocketUrl(), window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.toString();
  }

  async signUp(username: string, email: string, password: string): Promise<User> {
    return toUser(await this.client.createUser({ username, email, password } as never, '', ''));
  }

  async login(loginId: string, password: string): Promise<User> {
    return toUser(await this.client.login(loginId, password));
  }

  async logout(): Promise<void> {
    await this.client.logout();
  }

  async me(): Promise<User> {
    return toUser(await this.client.getMe());
  }

  async myTeams(): Promise<Team[]> {
    return toTeams(await this.client.getMyTeams());
  }

  /** Teams the user may see (their own and open ones). */
  async teams(): Promise<Team[]> {
    return toTeams(await this.client.getTeams(0, 200));
  }

  async createTeam(name: string, displayName: string): Promise<Team> {
    return toTeams([await this.client.createTeam({ name, display_name: displayName, type: 'O' } as never)])[0]!;
  }

  async joinTeam(teamId: string, userId: string): Promise<void> {
    await this.client.addToTeam(teamId, userId);
  }

  /** The user's channels in a team, direct channels included. */
  async myChannels(teamId: string): Promise<Channel[]> {
    return toChannels(await this.client.getMyChannels(teamId));
  }

  async myMembers(teamId: string): Promise<ChannelMember[]> {
    return toMembers(await this.client.getMyChannelMembers(teamId));
  }

  /** The team's open channels (to browse and join). */
  async openChannels(teamId: string): Promise<Channel[]> {
    return toChannels(await this.client.getChannels(teamId, 0, 200));
  }

  async createChannel(teamId: string, name: string, displayName: string, type: 'O' | 'P'): Promise<Channel> {
    return toChannel(await this.client.createChannel({ team_id: teamId, name, display_name: displayName, type } as never));
  }

  async joinChannel(channelId: string, userId: string): Promise<void> {
    await this.client.addToChannel(userId, channelId);
  }

  async createDirect(me: string, other: string): Promise<Channel> {
    return toChannel(await this.client.createDirectChannel([me, other]));
  }

  /** The newest page of a channel. */
  async latestPosts(channelId: string, perPage: number): Promise<Post[]> {
    return toPosts(await this.client.getPosts(channelId, 0, perPage));
  }

  /** The page just before a post (older history). */
  async postsBefore(channelId: string, postId: string, perPage: number): Promise<Post[]> {
    return toPosts(await this.client.getPostsBefore(channelId, postId, 0, perPage));
  }

  /** Posts created, edited or deleted since a time (the backfill after a lost connection). */
  async postsSince(channelId: string, since: number): Promise<Post[]> {
    return toPosts(await this.client.getPostsSince(channelId, since));
  }

  /** Creates a post; `pendingPostId` makes a retried create return the same post. */
  async createPost(channelId: string, message: string, pendingPostId: string): Promise<Post> {
    return toPost(await this.client.createPost({ channel_id: channelId, message, pending_post_id: pendingPostId } as never));
  }

  async editPost(postId: string, message: string): Promise<Post> {
    return toPost(await this.client.patchPost({ id: postId, message }));
  }

  async deletePost(postId: string): Promise<void> {
    await this.client.deletePost(postId);
  }

  async users(ids: readonly string[]): Promise<User[]> {
    return ids.length === 0 ? [] : toUsers(await this.client.getProfilesByIds([...ids]));
  }

  async teamUsers(teamId: string): Promise<User[]> {
    return toUsers(await this.client.getProfilesInTeam(teamId, 0, 200));
  }

  async statuses(ids: readonly string[]): Promise<Record<string, string>> {
    return ids.length === 0 ? {} : toStatuses(await this.client.getStatusesByIds([...ids]));
  }

  /** Marks a channel read (unread counts). */
  async viewChannel(channelId: string): Promise<void> {
    await this.client.viewMyChannel(channelId);
  }
}

/** Whether a failed request is worth retrying: no answer, the balancer's 502/503/504, a 429. */
export function isRetryable(err: unknown): boolean {
  const status = (err as { status_code?: number } | undefined)?.status_code;
  return status === undefined || status === 0 || status === 429 || status >= 500;
}

/** A short, user-safe description of a failed request. */
export function errorText(err: unknown): string {
  const message = (err as { message?: string } | undefined)?.message;
  return typeof message === 'string' && message.length > 0 && message.length < 300 ? message : 'Something went wrong. Please try again.';
}
