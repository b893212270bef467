/**
 * Versioned schema migrations, one list per SQL dialect. A migration is never edited once
 * released: add a new version instead. Each runs once, in a transaction, at start-up.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Raised when the database was migrated by a newer livechat than this one. */
export class SchemaTooNewError extends Error {
  constructor(found: number, known: number) {
    super(
      `The database schema is at version ${found}, but this version of livechat knows only up ` +
        `to version ${known}. Run a newer livechat against it, or use another database; ` +
        'nothing was changed.',
    );
    this.name = 'SchemaTooNewError';
  }
}

/** Which migrations still need to run, given the version the database is at. */
export function pendingMigrations(migrations: readonly Migration[], current: number): Migration[] {
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) throw new SchemaTooNewError(current, latest);
  return migrations.filter((migration) => migration.version > current);
}

/** Keys the server keeps (the session signing key); the same SQL in both dialects. */
const SERVER_SECRETS: Migration = {
  version: 3,
  name: 'server secrets',
  sql: 'CREATE TABLE server_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);',
};

/**
 * The look-alike keys of a nickname (lib/chat/nickname.ts), which SQL cannot compute: the
 * columns start empty and the store fills them at start-up (`Store.fillLookKeys`). Members
 * who already look alike keep their names; the later one's key stays empty.
 */
function lookKeys(version: number): Migration {
  return {
    version,
    name: 'nickname look-alike keys',
    sql: `
      ALTER TABLE members ADD COLUMN folded_look_key TEXT;
      ALTER TABLE members ADD COLUMN shown_look_key TEXT;
      CREATE UNIQUE INDEX members_folded_look_key ON members (room_id, folded_look_key);
      CREATE UNIQUE INDEX members_shown_look_key ON members (room_id, shown_look_key);
    `,
  };
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions, rooms, members, messages',
    sql: `
      CREATE TABLE sessions (
        session_id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
      );
      CREATE TABLE rooms (
        room_id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        last_seq INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE members (
        room_id TEXT NOT NULL REFERENCES rooms (room_id),
        session_id TEXT NOT NULL,
        nickname TEXT NOT NULL,
        nickname_key TEXT NOT NULL,
        joined_at TEXT NOT NULL,
        PRIMARY KEY (room_id, session_id),
        UNIQUE (room_id, nickname_key)
      );
      CREATE TABLE messages (
        room_id TEXT NOT NULL REFERENCES rooms (room_id),
        seq INTEGER NOT NULL,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('user', 'system')),
        author TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        session_id TEXT,
        client_id TEXT,
        PRIMARY KEY (room_id, seq)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX messages_client_key ON messages (room_id, session_id, client_id)
        WHERE client_id IS NOT NULL;
    `,
  },
  {
    version: 2,
    name: 'public rooms',
    sql: `
      ALTER TABLE rooms ADD COLUMN is_public INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX rooms_public ON rooms (room_id) WHERE is_public = 1;
    `,
  },
  SERVER_SECRETS,
  {
    version: 4,
    name: 'sequence numbers from the messages themselves',
    // The next seq is read from the messages' primary key, inside the writing transaction, so
    // a message no longer rewrites its room's row too: one page fewer in every commit.
    sql: 'ALTER TABLE rooms DROP COLUMN last_seq;',
  },
  {
    version: 5,
    name: 'messages without an index on their id',
    // Nothing looks a message up by its id, a random UUID the server makes; its index only
    // made every commit write one more page, at a random place. SQLite cannot drop a column's
    // UNIQUE, so the table is rebuilt (nothing references it).
    sql: `
      CREATE TABLE messages_v5 (
        room_id TEXT NOT NULL REFERENCES rooms (room_id),
        seq INTEGER NOT NULL,
        id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('user', 'system')),
        author TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        session_id TEXT,
        client_id TEXT,
        PRIMARY KEY (room_id, seq)
      ) WITHOUT ROWID;
      INSERT INTO messages_v5
        SELECT room_id, seq, id, kind, author, text, created_at, session_id, client_id
        FROM messages;
      DROP TABLE messages;
      ALTER TABLE messages_v5 RENAME TO messages;
      CREATE UNIQUE INDEX messages_client_key ON messages (room_id, session_id, client_id)
        WHERE client_id IS NOT NULL;
    `,
  },
  lookKeys(6),
];

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions, rooms, members, messages',
    sql: `
      CREATE TABLE sessions (
        session_id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
      );
      CREATE TABLE rooms (
        room_id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        last_seq BIGINT NOT NULL DEFAULT 0
      );
      CREATE TABLE members (
        room_id TEXT NOT NULL REFERENCES rooms (room_id),
        session_id TEXT NOT NULL,
        nickname TEXT NOT NULL,
        nickname_key TEXT NOT NULL,
        joined_at TEXT NOT NULL,
        join_order BIGSERIAL,
        PRIMARY KEY (room_id, session_id),
        UNIQUE (room_id, nickname_key)
      );
      CREATE TABLE messages (
        room_id TEXT NOT NULL REFERENCES rooms (room_id),
        seq BIGINT NOT NULL,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('user', 'system')),
        author TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        session_id TEXT,
        client_id TEXT,
        PRIMARY KEY (room_id, seq)
      );
      CREATE UNIQUE INDEX messages_client_key ON messages (room_id, session_id, client_id)
        WHERE client_id IS NOT NULL;
    `,
  },
  {
    version: 2,
    name: 'public rooms',
    sql: `
      ALTER TABLE rooms ADD COLUMN is_public BOOLEAN NOT NULL DEFAULT false;
      CREATE INDEX rooms_public ON rooms (room_id) WHERE is_public;
    `,
  },
  SERVER_SECRETS,
  lookKeys(4),
];
