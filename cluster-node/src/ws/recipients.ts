import type { ClientClusterEvent } from '@switchboard/shared';
import type { Queryable } from '../store/db.js';
import { channelMemberIds, teamMemberIds } from '../store/members.store.js';

/**
 * Most channels and teams whose member sets are cached before the cache starts over.
 * @default 5000
 */
export const MEMBER_CACHE_LIMIT = 5_000;

const CHANNEL_MEMBERSHIP_KINDS = new Set(['user_added', 'user_removed', 'channel_created', 'direct_added']);

function stringField(data: Record<string, unknown>, key: string): string {
  const value = data[key];
  return typeof value === 'string' ? value : '';
}

/**
 * Decides which users receive an event, from its Mattermost `broadcast` object. Channel and team
 * member sets are cached and dropped when a membership event for them passes through, so the
 * hub must call {@link Recipients.resolve} for events in bus order.
 */
export class Recipients {
  private readonly channels = new Map<string, Set<string>>();
  private readonly teams = new Map<string, Set<string>>();

  constructor(private readonly db: Queryable) {}

  /** Users who receive the event, or `all` for events without a target. */
  async resolve(event: ClientClusterEvent): Promise<Set<string> | 'all'> {
    this.invalidate(event);
    const { broadcast } = event;
    let users: Set<string> | 'all';
    if (broadcast.user_id) users = new Set([broadcast.user_id]);
    else if (broadcast.channel_id) users = await this.members(this.channels, broadcast.channel_id, channelMemberIds);
    else if (broadcast.team_id) users = await this.members(this.teams, broadcast.team_id, teamMemberIds);
    else users = 'all';
    const omit = broadcast.omit_users;
    if (omit && users !== 'all') {
      users = new Set([...users].filter((id) => !omit[id]));
    }
    return users;
  }

  /** Forgets cached member sets that an event changes. */
  invalidate(event: ClientClusterEvent): void {
    if (CHANNEL_MEMBERSHIP_KINDS.has(event.kind)) {
      this.channels.delete(event.broadcast.channel_id);
      this.channels.delete(stringField(event.data, 'channel_id'));
    }
    if (event.kind === 'added_to_team') this.teams.delete(stringField(event.data, 'team_id'));
  }

  private async members(cache: Map<string, Set<string>>, id: string, load: (db: Queryable, id: string) => Promise<string[]>): Promise<Set<string>> {
    const cached = cache.get(id);
    if (cached) return cached;
    const members = new Set(await load(this.db, id));
    if (cache.size >= MEMBER_CACHE_LIMIT) cache.clear();
    if (members.size > 0) cache.set(id, members);
    return members;
  }
}

/** Whether a user receives an event, given what {@link Recipients.resolve} returned. */
export function receives(recipients: Set<string> | 'all', userId: string, omit: Record<string, boolean> | null): boolean {
  if (recipients === 'all') return !omit?.[userId];
  return recipients.has(userId);
}
