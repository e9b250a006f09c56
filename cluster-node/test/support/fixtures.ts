import pg from 'pg';
import { newId } from '@switchboard/shared';

/**
 * Test fixtures written straight into a test node's database with SQL, so a suite can set up
 * teams, channels and memberships without going through routes it does not test.
 */
export interface Fixtures {
  /** Inserts an open team; returns its id. */
  team(name?: string): Promise<string>;
  /** Makes users members of a team. */
  joinTeam(teamId: string, ...userIds: string[]): Promise<void>;
  /** Inserts a channel of a type (`D` channels have no team); returns its id. */
  channel(teamId: string, type: 'O' | 'P' | 'D', name?: string): Promise<string>;
  /** Makes users members of a channel. */
  joinChannel(channelId: string, ...userIds: string[]): Promise<void>;
  /** Archives a channel (delete_at = now). */
  archiveChannel(channelId: string): Promise<void>;
  /** Runs any SQL against the test database (assertions on rows, counters). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

/**
 * Connects fixtures to a test database.
 * @example const fx = await openFixtures(t.databaseUrl); const teamId = await fx.team();
 */
export async function openFixtures(databaseUrl: string): Promise<Fixtures> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const query = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> => (await client.query<R>(text, values)).rows;
  return {
    query,
    async team(name = `team-${newId().slice(0, 8)}`) {
      const id = newId();
      await query(`INSERT INTO teams (id, create_at, update_at, name, display_name, type, invite_id) VALUES ($1, $2, $2, $3, $3, 'O', $4)`, [id, Date.now(), name, newId()]);
      return id;
    },
    async joinTeam(teamId, ...userIds) {
      for (const userId of userIds) await query('INSERT INTO team_members (team_id, user_id, create_at) VALUES ($1, $2, $3)', [teamId, userId, Date.now()]);
    },
    async channel(teamId, type, name = `${type.toLowerCase()}-${newId().slice(0, 8)}`) {
      const id = newId();
      await query(
        `INSERT INTO channels (id, create_at, update_at, team_id, type, name, display_name) VALUES ($1, $2, $2, $3, $4, $5, $6)`,
        [id, Date.now(), type === 'D' ? '' : teamId, type, name, type === 'D' ? '' : `Channel ${name}`],
      );
      return id;
    },
    async joinChannel(channelId, ...userIds) {
      for (const userId of userIds) await query('INSERT INTO channel_members (channel_id, user_id, last_update_at) VALUES ($1, $2, $3)', [channelId, userId, Date.now()]);
    },
    async archiveChannel(channelId) {
      await query('UPDATE channels SET delete_at = $2, update_at = $2 WHERE id = $1', [channelId, Date.now()]);
    },
    close: () => client.end(),
  };
}
