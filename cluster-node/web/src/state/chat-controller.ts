import type { Channel, Post } from '@switchboard/shared';
import { ChatApi, errorText, isRetryable } from '../api/chat-api.js';
import { ChatSocket } from '../api/chat-socket.js';
import { reduceConnection, type ConnectionEvent } from './connection.js';
import { applyEvent } from './chat-events.js';
import { emptyWindow, markReachedStart, mergePosts, oldestPost } from './posts.js';
import { changesSince } from './since-pages.js';
import { initialChatState, useChat, windowOf, directPartner, type PendingPost } from './store.js';
import { markRead, unreadsFromServer } from './unreads.js';

/** Posts per page of history. @default 40 */
export const PAGE_SIZE = 40;
/** How often a message is tried before it shows as not sent. @default 12 */
export const SEND_ATTEMPTS = 12;
/**
 * How often the presence of the people shown is asked for: as in Mattermost, a node sends
 * `status_change` only to the user's own sockets, so others' dots are polled. @default 15000
 */
export const STATUS_POLL_MS = 15_000;
const TOKEN_KEY = 'switchboard.token';
const TEAM_KEY = 'switchboard.team';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The chat client's actions: session, teams, channels, history, sending with retries, edits,
 * deletes, and the socket's events and reconnections. The only writer of the store.
 */
export class ChatController {
  readonly api = new ChatApi();
  private socket: ChatSocket | undefined;
  private viewTimer: ReturnType<typeof setTimeout> | undefined;
  /** When this user last told a channel they were typing (channel id, local ms); reset by a send. */
  private lastTyping = { channelId: '', at: 0 };
  private statusTimer: ReturnType<typeof setInterval> | undefined;
  private lastSessionCheck = 0;

  /** Resumes a saved session, if any; false when the user must log in. */
  async resume(): Promise<boolean> {
    const token = localStorage.getItem(TOKEN_KEY);
    if (!token) return false;
    this.api.token = token;
    try {
      await this.enter();
      return true;
    } catch {
      localStorage.removeItem(TOKEN_KEY);
      this.api.token = '';
      return false;
    }
  }

  async login(loginId: string, password: string): Promise<void> {
    await this.api.login(loginId, password);
    localStorage.setItem(TOKEN_KEY, this.api.token);
    await this.enter();
  }

  async signUp(username: string, email: string, password: string): Promise<void> {
    await this.api.signUp(username, email, password);
    await this.login(username, password);
  }

  async logout(): Promise<void> {
    clearInterval(this.statusTimer);
    this.socket?.stop();
    this.socket = undefined;
    await this.api.logout().catch(() => undefined);
    localStorage.removeItem(TOKEN_KEY);
    this.api.token = '';
    useChat.setState(initialChatState(), true);
  }

  private async enter(): Promise<void> {
    const me = await this.api.me();
    const teams = await this.api.myTeams();
    useChat.setState({ me, teams, users: { [me.id]: me } });
    this.startSocket();
    void this.refreshStatuses([me.id]);
    clearInterval(this.statusTimer);
    this.statusTimer = setInterval(() => void this.refreshStatuses(Object.keys(useChat.getState().users).slice(0, 500)), STATUS_POLL_MS);
    const saved = localStorage.getItem(TEAM_KEY);
    const team = teams.find((t) => t.id === saved) ?? teams[0];
    if (team) await this.selectTeam(team.id);
  }

  private startSocket(): void {
    this.socket?.stop();
    this.socket = new ChatSocket({
      onEvent: (frame) => applyEvent(this, frame),
      onConnection: (event) => this.connectionEvent(event),
    });
    this.socket.start(this.api.websocketUrl(), this.api.token);
  }

  /**
   * A socket that keeps closing may mean the session ended (logged out elsewhere, expired): the
   * node closes such sockets and refuses their reconnection. Asks the server (at most every 5 s);
   * on 401 goes back to the login form with a word why. Failover errors (no answer, 5xx) change
   * nothing: the socket keeps reconnecting.
   */
  private async checkSession(): Promise<void> {
    if (Date.now() - this.lastSessionCheck < 5_000 || !this.api.token) return;
    this.lastSessionCheck = Date.now();
    try {
      await this.api.me();
    } catch (err) {
      if ((err as { status_code?: number }).status_code !== 401) return;
      await this.logout();
      useChat.setState({ notice: 'Your session has ended. Please log in again.' });
    }
  }

  private connectionEvent(event: ConnectionEvent): void {
    if (event.type === 'closed') void this.checkSession();
    if (event.type === 'opened' && event.reconnect) void this.refreshStatuses(Object.keys(useChat.getState().users).slice(0, 500));
    const { state, effect } = reduceConnection(useChat.getState().connection, event);
    if (state !== useChat.getState().connection) useChat.setState({ connection: state });
    if (effect.type === 'backfill') void this.backfill(effect.since);
  }

  /**
   * After a reconnection the server could not resume: fetch what changed since the last frame
   * received (every loaded channel, merged idempotently) and the channel list with its counts.
   */
  async backfill(since: number): Promise<void> {
    const { windows, teamId } = useChat.getState();
    if (teamId) await this.refreshChannels(teamId).catch(() => undefined);
    for (const channelId of Object.keys(windows)) await this.catchUp(channelId, since).catch(() => undefined);
  }

  /** Fetches a channel's changes since a time (every page) into its window. */
  private async catchUp(channelId: string, since: number): Promise<void> {
    await changesSince(
      (from) => this.withRetry(() => this.api.postsSince(channelId, from)),
      since,
      (changed) => {
        useChat.setState((s) => ({ windows: { ...s.windows, [channelId]: mergePosts(windowOf(s, channelId), changed) } }));
        this.settlePending(changed);
      },
    );
  }

  async selectTeam(teamId: string): Promise<void> {
    localStorage.setItem(TEAM_KEY, teamId);
    useChat.setState({ teamId, channelId: undefined, channels: {} });
    await this.refreshChannels(teamId);
    const { channels } = useChat.getState();
    const list = Object.values(channels);
    const first = list.find((c) => c.name === 'town-square') ?? list[0];
    if (first) await this.selectChannel(first.id);
  }

  /** Reloads the user's channels and unread counts in the team, and the people in them. */
  async refreshChannels(teamId: string): Promise<void> {
    const [channels, members] = await Promise.all([this.api.myChannels(teamId), this.api.myMembers(teamId)]);
    const open = channels.filter((c) => c.delete_at === 0);
    useChat.setState((s) => ({ channels: Object.fromEntries(open.map((c) => [c.id, c])), unreads: unreadsFromServer(open, members, s.unreads) }));
    const me = useChat.getState().me?.id ?? '';
    const partners = open.map((c) => directPartner(c, me)).filter((id): id is string => Boolean(id));
    await this.ensureUsers(partners);
    await this.refreshStatuses(partners);
  }

  async selectChannel(channelId: string): Promise<void> {
    useChat.setState({ channelId });
    this.markViewed(channelId);
    if (useChat.getState().windows[channelId]) return;
    // The window exists before the first page is asked for, so a post announced while the page
    // is on its way merges into it instead of being missed by both.
    useChat.setState((s) => ({ windows: { ...s.windows, [channelId]: emptyWindow() } }));
    let posts: Post[];
    try {
      posts = await this.withRetry(() => this.api.latestPosts(channelId, PAGE_SIZE));
    } catch (err) {
      useChat.setState((s) => {
        const { [channelId]: _dropped, ...windows } = s.windows;
        return { windows, notice: `The channel could not be loaded: ${errorText(err)}` };
      });
      return;
    }
    useChat.setState((s) => {
      let window = mergePosts(windowOf(s, channelId), posts);
      if (posts.length < PAGE_SIZE) window = markReachedStart(window);
      return { windows: { ...s.windows, [channelId]: window } };
    });
    await this.ensureUsers(posts.map((p) => p.user_id));
  }

  /** Loads the page of history before the oldest loaded post. */
  async loadOlder(): Promise<void> {
    const s = useChat.getState();
    const channelId = s.channelId;
    if (!channelId || s.loadingHistory) return;
    const window = windowOf(s, channelId);
    const oldest = oldestPost(window);
    if (window.reachedStart || !oldest) return;
    useChat.setState({ loadingHistory: true });
    try {
      const posts = await this.withRetry(() => this.api.postsBefore(channelId, oldest.id, PAGE_SIZE));
      useChat.setState((st) => {
        let next = mergePosts(windowOf(st, channelId), posts);
        if (posts.length < PAGE_SIZE) next = markReachedStart(next);
        return { windows: { ...st.windows, [channelId]: next } };
      });
      await this.ensureUsers(posts.map((p) => p.user_id));
    } finally {
      useChat.setState({ loadingHistory: false });
    }
  }

  /** Sends a message; retried (same pending id, so never twice) until the server has it. */
  async send(channelId: string, message: string): Promise<void> {
    const me = useChat.getState().me?.id ?? '';
    const pending: PendingPost = { pendingId: `${me}:${Date.now()}:${Math.random().toString(36).slice(2, 8)}`, channelId, message, createAt: Date.now(), state: 'sending' };
    this.setPending(channelId, (list) => [...list, pending]);
    // The next keystroke starts a new message: tell the channel at once.
    this.lastTyping = { channelId: '', at: 0 };
    await this.deliver(pending);
  }

  /** Tries a message that failed again. */
  async retry(pending: PendingPost): Promise<void> {
    this.setPending(pending.channelId, (list) => list.map((p) => (p.pendingId === pending.pendingId ? { ...p, state: 'sending' } : p)));
    await this.deliver(pending);
  }

  private async deliver(pending: PendingPost): Promise<void> {
    try {
      const post = await this.withRetry(() => this.api.createPost(pending.channelId, pending.message, pending.pendingId), SEND_ATTEMPTS);
      this.receivePosts([post]);
    } catch {
      this.setPending(pending.channelId, (list) => list.map((p) => (p.pendingId === pending.pendingId ? { ...p, state: 'failed' } : p)));
    }
  }

  async edit(postId: string, message: string): Promise<void> {
    try {
      this.receivePosts([await this.api.editPost(postId, message)]);
    } catch (err) {
      useChat.setState({ notice: `The message was not edited: ${errorText(err)}` });
    }
  }

  async remove(post: Post): Promise<void> {
    try {
      await this.api.deletePost(post.id);
      this.receivePosts([{ ...post, delete_at: Date.now(), update_at: Math.max(Date.now(), post.update_at + 1) }]);
    } catch (err) {
      useChat.setState({ notice: `The message was not deleted: ${errorText(err)}` });
    }
  }

  /** Posts from the server (REST or events): merged into loaded windows, pending ones settled. */
  receivePosts(posts: readonly Post[]): void {
    useChat.setState((s) => {
      const windows = { ...s.windows };
      for (const post of posts) if (windows[post.channel_id]) windows[post.channel_id] = mergePosts(windows[post.channel_id]!, [post]);
      return { windows };
    });
    this.settlePending(posts);
    void this.ensureUsers(posts.map((p) => p.user_id));
  }

  private settlePending(posts: readonly Post[]): void {
    const ids = new Set(posts.map((p) => p.pending_post_id).filter(Boolean));
    if (ids.size === 0) return;
    useChat.setState((s) => ({ pending: Object.fromEntries(Object.entries(s.pending).map(([c, list]) => [c, list.filter((p) => !ids.has(p.pendingId))])) }));
  }

  private setPending(channelId: string, change: (list: PendingPost[]) => PendingPost[]): void {
    useChat.setState((s) => ({ pending: { ...s.pending, [channelId]: change(s.pending[channelId] ?? []) } }));
  }

  /** Marks the channel read here at once and on the server shortly (one call per burst). */
  markViewed(channelId: string): void {
    useChat.setState((s) => ({ unreads: markRead(s.unreads, channelId) }));
    clearTimeout(this.viewTimer);
    this.viewTimer = setTimeout(() => void this.api.viewChannel(channelId).catch(() => undefined), 500);
  }

  /** Tells the channel this user is typing, at most every 2 s per message being written. */
  typing(channelId: string): void {
    if (this.lastTyping.channelId === channelId && Date.now() - this.lastTyping.at < 2_000) return;
    this.lastTyping = { channelId, at: Date.now() };
    this.socket?.typing(channelId);
  }

  async createChannel(displayName: string, type: 'O' | 'P'): Promise<void> {
    const teamId = useChat.getState().teamId!;
    const name = displayName.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64) || `channel-${Date.now().toString(36)}`;
    const channel = await this.api.createChannel(teamId, name, displayName, type);
    await this.addChannel(channel);
  }

  async joinChannel(channel: Channel): Promise<void> {
    await this.api.joinChannel(channel.id, useChat.getState().me!.id);
    await this.addChannel(channel);
  }

  async openDirect(userId: string): Promise<void> {
    const channel = await this.api.createDirect(useChat.getState().me!.id, userId);
    await this.addChannel(channel);
  }

  private async addChannel(channel: Channel): Promise<void> {
    const teamId = useChat.getState().teamId;
    if (teamId) await this.refreshChannels(teamId);
    useChat.setState((s) => (s.channels[channel.id] ? {} : { channels: { ...s.channels, [channel.id]: channel } }));
    await this.selectChannel(channel.id);
  }

  async createTeam(displayName: string): Promise<void> {
    const name = displayName.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
    const team = await this.api.createTeam(name.length >= 2 ? name : `team-${Date.now().toString(36)}`, displayName);
    await this.afterTeamChange(team.id);
  }

  async joinTeam(teamId: string): Promise<void> {
    await this.api.joinTeam(teamId, useChat.getState().me!.id);
    await this.afterTeamChange(teamId);
  }

  async afterTeamChange(teamId: string): Promise<void> {
    useChat.setState({ teams: await this.api.myTeams() });
    await this.selectTeam(teamId);
  }

  /** Loads the profiles of users not known yet. */
  async ensureUsers(ids: readonly string[]): Promise<void> {
    const known = useChat.getState().users;
    const missing = [...new Set(ids)].filter((id) => id && !known[id]);
    if (missing.length === 0) return;
    const users = await this.api.users(missing).catch(() => []);
    useChat.setState((s) => ({ users: { ...s.users, ...Object.fromEntries(users.map((u) => [u.id, u])) } }));
    await this.refreshStatuses(users.map((u) => u.id));
  }

  async refreshStatuses(ids: readonly string[]): Promise<void> {
    const statuses = await this.api.statuses(ids).catch(() => ({}));
    useChat.setState((s) => ({ statuses: { ...s.statuses, ...statuses } }));
  }

  /** Runs a request, retrying while the cluster is failing over (no answer, 5xx, 429). */
  async withRetry<T>(request: () => Promise<T>, attempts = 6): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await request();
      } catch (err) {
        if (attempt >= attempts || !isRetryable(err)) throw err;
        await sleep(Math.min(3_000, 250 * 2 ** (attempt - 1)));
      }
    }
  }
}

/** The app's controller. */
export const chat = new ChatController();
