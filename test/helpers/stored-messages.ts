import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { SQLITE_FILE } from '../../lib/store/sqlite-store';

/** A stored message, read straight from the database after a run. */
export interface StoredRow {
  id: string;
  seq: number;
  kind: string;
  text: string;
  client_id: string | null;
  edited_at: string | null;
  deleted_at: string | null;
  /** How many members gave each emoji, from the reactions table (empty: none). */
  reactions: Record<string, number>;
}

/** Reads every stored message of each room, in seq order. */
export type StoredReader = (roomIds: string[]) => Promise<Map<string, StoredRow[]>>;

const SELECT_ROOM =
  'SELECT id, seq, kind, text, client_id, edited_at, deleted_at FROM messages WHERE room_id = ';
/** Members per emoji on each message of the room at `placeholder`. */
const selectReactions = (placeholder: string) =>
  `SELECT seq, emoji, COUNT(*) AS count FROM reactions WHERE room_id = ${placeholder} GROUP BY seq, emoji`;

type MessageRow = Omit<StoredRow, 'reactions'>;
interface ReactionCount {
  seq: number | string;
  emoji: string;
  count: number | string;
}

/** The room's messages with their reaction counts put on. */
function withReactions(messages: MessageRow[], counts: ReactionCount[]): StoredRow[] {
  const bySeq = new Map<number, Record<string, number>>();
  for (const { seq, emoji, count } of counts) {
    const reactions = bySeq.get(Number(seq)) ?? {};
    reactions[emoji] = Number(count);
    bySeq.set(Number(seq), reactions);
  }
  return messages.map((row) => ({
    ...row,
    seq: Number(row.seq),
    reactions: bySeq.get(Number(row.seq)) ?? {},
  }));
}

/** The messages in a server's embedded database under `dataDir` (read-only). */
export function sqliteMessages(dataDir: string): StoredReader {
  return async (roomIds) => {
    const db = new Database(path.join(dataDir, SQLITE_FILE), { readonly: true });
    const messages = db.prepare(`${SELECT_ROOM}? ORDER BY seq`);
    const reactions = db.prepare(selectReactions('?'));
    const rows = new Map(
      roomIds.map((roomId) => [
        roomId,
        withReactions(
          messages.all(roomId) as MessageRow[],
          reactions.all(roomId) as ReactionCount[],
        ),
      ]),
    );
    db.close();
    return rows;
  };
}

/** The messages in the PostgreSQL database at `url`. */
export function postgresMessages(url: string): StoredReader {
  return async (roomIds) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const rows = new Map<string, StoredRow[]>();
    for (const roomId of roomIds) {
      const messages = await client.query<MessageRow>(`${SELECT_ROOM}$1 ORDER BY seq`, [roomId]);
      const reactions = await client.query<ReactionCount>(selectReactions('$1'), [roomId]);
      rows.set(roomId, withReactions(messages.rows, reactions.rows));
    }
    await client.end();
    return rows;
  };
}
