import pg from 'pg';
import type { Message } from '../protocol/definitions';
import type { LookKeys } from '../chat/nickname';
import {
  holderParams,
  memberValues,
  withoutLookKeys,
  type MemberRow,
  type MessageRow,
  toMember,
  toMessage,
} from './rows';
import { pendingMigrations, POSTGRES_MIGRATIONS } from './migrations';
import type {
  AppendOutcome,
  ClaimOutcome,
  MemberClaim,
  MemberRename,
  MessagePage,
  RenameOutcome,
  RoomSummary,
  Store,
  StoredMember,
  SystemMessageDraft,
  UserMessageDraft,
} from './store';

/** Options for opening the PostgreSQL store. */
export interface PostgresOptions {
  connectionString: string;
  /** Schema to use instead of `public` (tests give each run its own). */
  schema?: string;
  maxConnections?: number;
}

const MIGRATION_LOCK_ID = 0x6c697665; // "live"

/**
 * The store for deployments with several server processes: PostgreSQL through a pool.
 * Every change that must not interleave with another on the same room locks the room row
 * first (`SELECT … FOR UPDATE`), which makes sequence numbers gap-free and nickname claims
 * exclusive across processes.
 */
export class PostgresStore implements Store {
  private constructor(private readonly pool: pg.Pool) {}

  /** Connects, then migrates the schema to the latest version. */
  static async open(options: PostgresOptions): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      options: options.schema ? `-c search_path=${quoteIdent(options.schema)}` : undefined,
    });
    // An idle client's connection error must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    const store = new PostgresStore(pool);
    try {
      await store.migrate(options.schema);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  async serverSecret(name: string, candidate: string): Promise<string> {
    await this.pool.query(
      'INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [name, candidate],
    );
    const result = await this.pool.query<{ value: string }>(
      'SELECT value FROM server_secrets WHERE name = $1',
      [name],
    );
    return result.rows[0]!.value;
  }

  async createRoom(
    roomId: string,
    createdAt: string,
    options?: { isPublic?: boolean },
  ): Promise<boolean> {
    const result = await this.pool.query(
      'INSERT INTO rooms (room_id, created_at, is_public) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [roomId, createdAt, options?.isPublic ?? false],
    );
    return result.rowCount === 1;
  }

  async listPublicRooms(limit: number): Promise<RoomSummary[]> {
    const result = await this.pool.query<{ room_id: string; member_count: string }>(
      'SELECT r.room_id, (SELECT COUNT(*) FROM members m WHERE m.room_id = r.room_id) AS member_count FROM rooms r WHERE r.is_public ORDER BY member_count DESC, r.room_id LIMIT $1',
      [limit],
    );
    return result.rows.map((row) => ({
      roomId: row.room_id,
      memberCount: Number(row.member_count),
    }));
  }

  async listRooms() {
    const result = await this.pool.query<{ room_id: string; member_count: string }>(
      'SELECT r.room_id, (SELECT COUNT(*) FROM members m WHERE m.room_id = r.room_id) AS member_count FROM rooms r',
    );
    return result.rows.map((row) => ({
      roomId: row.room_id,
      memberCount: Number(row.member_count),
    }));
  }

  async deleteRoomIfEmpty(roomId: string): Promise<boolean> {
    return this.transaction(async (client) => {
      if (!(await lockRoom(client, roomId))) return false;
      const members = await client.query('SELECT 1 FROM members WHERE room_id = $1 LIMIT 1', [
        roomId,
      ]);
      if (members.rowCount !== 0) return false;
      await client.query('DELETE FROM messages WHERE room_id = $1', [roomId]);
      await client.query('DELETE FROM rooms WHERE room_id = $1', [roomId]);
      return true;
    });
  }

  async claimMember(claim: MemberClaim): Promise<ClaimOutcome> {
    return this.transaction(async (client): Promise<ClaimOutcome> => {
      if (!(await lockRoom(client, claim.roomId))) return { status: 'no-room' };
      const existing = await client.query<MemberRow>(
        'SELECT * FROM members WHERE room_id = $1 AND session_id = $2',
        [claim.roomId, claim.sessionId],
      );
      if (existing.rows[0]) return { status: 'already-member', member: toMember(existing.rows[0]) };
      if (await holdsAnyKey(client, claim, '')) return { status: 'nickname-taken' };
      await client.query(
        'INSERT INTO members (room_id, session_id, nickname, nickname_key, folded_look_key, shown_look_key, joined_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        memberValues(claim),
      );
      return { status: 'joined', member: withoutLookKeys(claim) };
    });
  }

  async renameMember(rename: MemberRename): Promise<RenameOutcome> {
    return this.transaction(async (client): Promise<RenameOutcome> => {
      if (!(await lockRoom(client, rename.roomId))) return { status: 'not-member' };
      const member = await client.query<MemberRow>(
        'SELECT * FROM members WHERE room_id = $1 AND session_id = $2',
        [rename.roomId, rename.sessionId],
      );
      if (!member.rows[0]) return { status: 'not-member' };
      if (await holdsAnyKey(client, rename, rename.sessionId)) {
        return { status: 'nickname-taken' };
      }
      await client.query(
        'UPDATE members SET nickname = $1, nickname_key = $2, folded_look_key = $3, shown_look_key = $4 WHERE room_id = $5 AND session_id = $6',
        [
          rename.nickname,
          rename.nicknameKey,
          rename.lookKeys.folded,
          rename.lookKeys.shown,
          rename.roomId,
          rename.sessionId,
        ],
      );
      return { status: 'renamed', previous: member.rows[0].nickname };
    });
  }

  async fillLookKeys(lookKeysOf: (nickname: string) => LookKeys): Promise<number> {
    return this.transaction(async (client) => {
      // Processes starting together take turns, so no two fill the same key.
      await client.query("SELECT pg_advisory_xact_lock(hashtext('livechat: member look keys'))");
      const rows = await client.query<MemberRow>(
        'SELECT * FROM members WHERE folded_look_key IS NULL OR shown_look_key IS NULL ORDER BY join_order',
      );
      for (const row of rows.rows) {
        const keys = lookKeysOf(row.nickname);
        const free = async (column: 'folded_look_key' | 'shown_look_key', key: string) => {
          const holder = await client.query(
            `SELECT 1 FROM members WHERE room_id = $1 AND session_id <> $2 AND ${column} = $3`,
            [row.room_id, row.session_id, key],
          );
          return holder.rowCount === 0 ? key : null;
        };
        await client.query(
          'UPDATE members SET folded_look_key = $1, shown_look_key = $2 WHERE room_id = $3 AND session_id = $4',
          [
            await free('folded_look_key', keys.folded),
            await free('shown_look_key', keys.shown),
            row.room_id,
            row.session_id,
          ],
        );
      }
      return rows.rowCount ?? 0;
    });
  }

  async removeMember(roomId: string, sessionId: string) {
    return this.transaction(async (client) => {
      if (!(await lockRoom(client, roomId))) return undefined;
      const removed = await client.query<MemberRow>(
        'DELETE FROM members WHERE room_id = $1 AND session_id = $2 RETURNING *',
        [roomId, sessionId],
      );
      if (!removed.rows[0]) return undefined;
      const count = await client.query<{ count: string }>(
        'SELECT COUNT(*) AS count FROM members WHERE room_id = $1',
        [roomId],
      );
      return { member: toMember(removed.rows[0]), remaining: Number(count.rows[0]!.count) };
    });
  }

  async getMember(roomId: string, sessionId: string): Promise<StoredMember | undefined> {
    const result = await this.pool.query<MemberRow>(
      'SELECT * FROM members WHERE room_id = $1 AND session_id = $2',
      [roomId, sessionId],
    );
    return result.rows[0] && toMember(result.rows[0]);
  }

  async listMembers(roomId: string): Promise<StoredMember[]> {
    const result = await this.pool.query<MemberRow>(
      'SELECT * FROM members WHERE room_id = $1 ORDER BY join_order',
      [roomId],
    );
    return result.rows.map(toMember);
  }

  async appendUserMessage(draft: UserMessageDraft): Promise<AppendOutcome> {
    return this.transaction(async (client): Promise<AppendOutcome> => {
      if (!(await lockRoom(client, draft.roomId))) return { status: 'not-member' };
      // After the lock, this statement sees every commit made before it (READ COMMITTED).
      const found = await client.query<{ nickname: string; stored: MessageRow | null }>(
        `SELECT m.nickname,
                (SELECT row_to_json(s) FROM messages s
                  WHERE s.room_id = $1 AND s.session_id = $2 AND s.client_id = $3) AS stored
           FROM members m WHERE m.room_id = $1 AND m.session_id = $2`,
        [draft.roomId, draft.sessionId, draft.clientId],
      );
      const row = found.rows[0];
      if (!row) return { status: 'not-member' };
      if (row.stored) return { status: 'stored', message: toMessage(row.stored), created: false };
      const inserted = await client.query<MessageRow>(
        `WITH next AS (
           UPDATE rooms SET last_seq = last_seq + 1 WHERE room_id = $1 RETURNING last_seq
         )
         INSERT INTO messages (room_id, seq, id, kind, author, text, created_at, session_id, client_id)
         SELECT $1, next.last_seq, $2, 'user', $3, $4, $5, $6, $7 FROM next
         RETURNING *`,
        [
          draft.roomId,
          draft.id,
          row.nickname,
          draft.text,
          draft.createdAt,
          draft.sessionId,
          draft.clientId,
        ],
      );
      return { status: 'stored', message: toMessage(inserted.rows[0]!), created: true };
    });
  }

  async appendSystemMessage(draft: SystemMessageDraft): Promise<Message | undefined> {
    return this.transaction(async (client) => {
      if (!(await lockRoom(client, draft.roomId))) return undefined;
      const inserted = await client.query<MessageRow>(
        `WITH next AS (
           UPDATE rooms SET last_seq = last_seq + 1 WHERE room_id = $1 RETURNING last_seq
         )
         INSERT INTO messages (room_id, seq, id, kind, author, text, created_at)
         SELECT $1, next.last_seq, $2, 'system', $3, $4, $5 FROM next
         RETURNING *`,
        [draft.roomId, draft.id, draft.author, draft.text, draft.createdAt],
      );
      return inserted.rows[0] && toMessage(inserted.rows[0]);
    });
  }

  async listMessages(roomId: string, page: MessagePage) {
    if (page.afterSeq !== undefined) {
      const after = await this.pool.query<MessageRow>(
        'SELECT * FROM messages WHERE room_id = $1 AND seq > $2 ORDER BY seq ASC LIMIT $3',
        [roomId, page.afterSeq, page.limit + 1],
      );
      return {
        messages: after.rows.slice(0, page.limit).map(toMessage),
        hasMore: after.rows.length > page.limit,
      };
    }
    const result = await this.pool.query<MessageRow>(
      'SELECT * FROM messages WHERE room_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3',
      [roomId, page.beforeSeq ?? Number.MAX_SAFE_INTEGER, page.limit + 1],
    );
    const hasMore = result.rows.length > page.limit;
    return { messages: result.rows.slice(0, page.limit).reverse().map(toMessage), hasMore };
  }

  async counts() {
    const result = await this.pool.query<{ rooms: string; members: string }>(
      'SELECT (SELECT COUNT(*) FROM rooms) AS rooms, (SELECT COUNT(*) FROM members) AS members',
    );
    const row = result.rows[0]!;
    return { rooms: Number(row.rooms), members: Number(row.members) };
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private async migrate(schema: string | undefined): Promise<void> {
    await this.transaction(async (client) => {
      // Several processes may start at once: one migrates, the others wait and find it done.
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
      );
      const current = await client.query<{ version: number | null }>(
        'SELECT MAX(version) AS version FROM schema_migrations',
      );
      for (const migration of pendingMigrations(
        POSTGRES_MIGRATIONS,
        current.rows[0]?.version ?? 0,
      )) {
        await client.query(migration.sql);
        await client.query(
          'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
          [migration.version, migration.name, new Date().toISOString()],
        );
      }
    });
  }
}

/** Locks a room's row for the rest of the transaction; false when the room does not exist. */
/** Whether a member other than `except` holds any key of `nickname`. */
async function holdsAnyKey(
  client: pg.PoolClient,
  nickname: Pick<MemberClaim, 'roomId' | 'nicknameKey' | 'lookKeys'>,
  except: string,
): Promise<boolean> {
  const holder = await client.query(
    'SELECT 1 FROM members WHERE room_id = $1 AND session_id <> $2 AND (nickname_key = $3 OR folded_look_key = $4 OR shown_look_key = $5)',
    holderParams(nickname, except),
  );
  return holder.rowCount !== 0;
}

async function lockRoom(client: pg.PoolClient, roomId: string): Promise<boolean> {
  const result = await client.query('SELECT 1 FROM rooms WHERE room_id = $1 FOR UPDATE', [roomId]);
  return result.rowCount === 1;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
