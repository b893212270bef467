import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { SearchTerm } from '../chat/search-query';
import { migrate, SQLITE_MIGRATIONS } from './migrations';
import { SQLITE_SQL, type StatementName } from './sql';
import type { Step, Steps } from './sql-steps';
import { ftsMatch } from './search-match';
import { SqlStore, storeSteps } from './sql-store';
import { FileBlobStore } from './file-blobs';
import { MemoryBlobStore } from './memory-blobs';
import type { AppendOutcome, BlobStore, UserMessageDraft } from './store';
import { TickBatch } from './tick-batch';
import { type CheckpointSettings, WAL_RESTART_FRAMES, WalCheckpointer } from './wal-checkpointer';

/** File name of the embedded database inside `DATA_DIR`. */
export const SQLITE_FILE = 'livechat.db';

/** Directory of pictures' bytes inside `DATA_DIR`. */
export const BLOBS_DIR = 'blobs';

/** SQLite's own default WAL size (in pages) at which a commit checkpoints. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

/** What a WAL file is cut back to when it starts over (the restart point, in bytes). */
const WAL_SIZE_LIMIT_BYTES = WAL_RESTART_FRAMES * 4096;

/**
 * The embedded default: SQLite in one file, WAL mode. better-sqlite3 is synchronous, so each
 * method runs as one transaction without yielding to the event loop — atomic within the
 * process, and only one process may use the file. A method's promise resolves only after
 * its transaction is on disk (in the WAL), so a crash of the process loses nothing
 * acknowledged; `synchronous=NORMAL` trades the last commits on power loss for throughput.
 *
 * User messages are group-committed: those appended during one turn of the event loop share
 * one transaction (each still gets its own sequence number and idempotency check), and every
 * other method first commits what is queued, so the store applies requests in the order they
 * were made. Checkpoints run on a worker thread, off the event loop.
 */
export class SqliteStore extends SqlStore {
  private readonly db: Database.Database;
  /** Prepared on first use (a migration creates the tables first), then reused. */
  private readonly prepared: Prepared = {};
  private readonly inTransaction: Database.Transaction<(steps: Steps<unknown>) => unknown>;
  private readonly appends: TickBatch<UserMessageDraft, AppendOutcome>;
  private readonly checkpointer: WalCheckpointer | undefined;
  /** Pictures' bytes: files beside the database (`DATA_DIR/blobs`). */
  readonly blobs: BlobStore;

  private constructor(db: Database.Database, file: string, checkpoints: CheckpointSettings) {
    super();
    this.db = db;
    this.blobs =
      file === ':memory:'
        ? new MemoryBlobStore()
        : new FileBlobStore(path.join(path.dirname(file), BLOBS_DIR));
    // Built once: better-sqlite3 defines several properties on every transaction function.
    this.inTransaction = db.transaction((steps: Steps<unknown>) =>
      run(this.db, this.prepared, steps),
    );
    const appendAll = db.transaction((drafts: UserMessageDraft[]) =>
      drafts.map((draft) => run(this.db, this.prepared, storeSteps.appendUserMessage(draft))),
    );
    this.appends = new TickBatch((drafts) => appendAll.immediate(drafts));
    if (file !== ':memory:') {
      db.pragma('wal_autocheckpoint = 0');
      this.checkpointer = new WalCheckpointer(file, {
        ...checkpoints,
        fallback: () => {
          // Without the worker the WAL would grow forever: checkpoint inline again.
          if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
        },
        pauseWrites: () => this.appends.hold(),
        resumeWrites: () => this.appends.release(),
      });
    }
  }

  /** Opens (creating if needed) the database in `dataDir`, migrating it to the latest schema. */
  static open(dataDir: string, checkpoints: CheckpointSettings = {}): SqliteStore {
    if (dataDir !== ':memory:') mkdirSync(dataDir, { recursive: true });
    const file = dataDir === ':memory:' ? ':memory:' : path.join(dataDir, SQLITE_FILE);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // A deleted message's text is overwritten in the file, not left in a free page.
    db.pragma('secure_delete = ON');
    // When the WAL starts over, its file is cut back to this size instead of staying as long
    // as it ever grew.
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    try {
      db.transaction(() => run(db, {}, migrate(SQLITE_MIGRATIONS))).immediate();
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteStore(db, file, checkpoints);
  }

  /** Group commit: the sends of one turn of the event loop share one transaction. */
  override appendUserMessage(draft: UserMessageDraft): Promise<AppendOutcome> {
    return this.appends.add(draft);
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.appends.flush();
    await this.checkpointer?.close();
    if (this.db.open) this.db.close();
  }

  protected async transaction<T>(steps: Steps<T>): Promise<T> {
    this.appends.flush();
    return this.inTransaction.immediate(steps) as T;
  }

  protected async statements<T>(steps: Steps<T>): Promise<T> {
    this.appends.flush();
    return run(this.db, this.prepared, steps);
  }

  protected matchText(roomId: string, terms: readonly SearchTerm[]): string {
    return ftsMatch(roomId, terms);
  }
}

type Prepared = Partial<Record<StatementName, Database.Statement>>;

/** Runs steps synchronously: nothing else touches the database until they are done. */
function run<T>(db: Database.Database, prepared: Prepared, steps: Steps<T>): T {
  let next = steps.next();
  while (!next.done) next = steps.next(execute(db, prepared, next.value));
  return next.value;
}

function execute(db: Database.Database, prepared: Prepared, step: Step): unknown {
  if ('script' in step) return void db.exec(step.script);
  const statement = (prepared[step.statement] ??= db.prepare(SQLITE_SQL[step.statement]));
  if (step.want === 'row') return statement.get(...step.params);
  if (step.want === 'rows') return statement.all(...step.params);
  return statement.run(...step.params).changes;
}
