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
}

/** Reads every stored message of each room, in seq order. */
export type StoredReader = (roomIds: string[]) => Promise<Map<string, StoredRow[]>>;

const SELECT_ROOM = 'SELECT id, seq, kind, text, client_id FROM messages WHERE room_id = ';

/** The messages in a server's embedded database under `dataDir` (read-only). */
export function sqliteMessages(dataDir: string): StoredReader {
  return async (roomIds) => {
    const db = new Database(path.join(dataDir, SQLITE_FILE), { readonly: true });
    const query = db.prepare(`${SELECT_ROOM}? ORDER BY seq`);
    const rows = new Map(roomIds.map((roomId) => [roomId, query.all(roomId) as StoredRow[]]));
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
      const result = await client.query<StoredRow & { seq: string }>(
        `${SELECT_ROOM}$1 ORDER BY seq`,
        [roomId],
      );
      rows.set(
        roomId,
        result.rows.map((row) => ({ ...row, seq: Number(row.seq) })),
      );
    }
    await client.end();
    return rows;
  };
}
