import { Readable } from 'node:stream';
import type pg from 'pg';
import type { BlobStore } from './store';

/** How many keys the sweep asks about at once. */
const SWEEP_BATCH = 500;

/**
 * Blobs in PostgreSQL's `blobs` table (schema version 11), so that every server process
 * serves every picture. A row is written whole by its own statement; `stored_at` is renewed
 * when the same bytes come again, so a sweep leaves them for the upload about to name them.
 */
export class PostgresBlobStore implements BlobStore {
  constructor(private readonly pool: pg.Pool) {}

  async put(key: string, bytes: Buffer): Promise<void> {
    await this.pool.query(
      `INSERT INTO blobs (blob_key, bytes, stored_at) VALUES ($1, $2, $3)
        ON CONFLICT (blob_key) DO UPDATE SET stored_at = EXCLUDED.stored_at`,
      [key, bytes, new Date().toISOString()],
    );
  }

  async read(key: string) {
    const found = await this.pool.query<{ bytes: Buffer }>(
      'SELECT bytes FROM blobs WHERE blob_key = $1',
      [key],
    );
    const bytes = found.rows[0]?.bytes;
    return bytes && { size: bytes.length, stream: () => Readable.from([bytes]) };
  }

  async sweep(before: Date, referenced: (keys: string[]) => Promise<Set<string>>) {
    const cutoff = before.toISOString();
    let removed = 0;
    let after = '';
    for (;;) {
      const batch = await this.pool.query<{ blob_key: string }>(
        `SELECT blob_key FROM blobs WHERE stored_at < $1 AND blob_key > $2
          ORDER BY blob_key LIMIT ${SWEEP_BATCH}`,
        [cutoff, after],
      );
      const keys = batch.rows.map((each) => each.blob_key);
      if (keys.length === 0) return removed;
      const used = await referenced(keys);
      const unused = keys.filter((key) => !used.has(key));
      if (unused.length > 0) {
        const deleted = await this.pool.query(
          'DELETE FROM blobs WHERE blob_key = ANY($1) AND stored_at < $2',
          [unused, cutoff],
        );
        removed += deleted.rowCount ?? 0;
      }
      after = keys.at(-1)!;
    }
  }
}
