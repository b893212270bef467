import { foldText, searchText } from '../chat/search-query';
import { CREATE_SCHEMA_MIGRATIONS } from './sql';
import { changes, row, rows, script, type Steps } from './sql-steps';

/**
 * Versioned schema migrations. A migration is never edited once released (databases in the
 * field have run it): add a new version instead. Each runs once, in a transaction, at start-up.
 *
 * Up to version 6 (SQLite) and 4 (PostgreSQL) the dialects had lists of their own and their
 * schemas drifted apart; version 7 brings both to one schema, and every version after it is one
 * change to both (`SchemaChange`), with text per dialect only where their types differ.
 *
 * The schema since version 7, the same in meaning in both dialects:
 * - `rooms (room_id, created_at, is_public)`; `rooms_public` indexes the public ones for the
 *   lobby. No `last_seq`: a room's next sequence number is read from its messages' primary key
 *   (`sql.ts`, `NEXT_SEQ`) by the one writer the room has at a time (SQLite's single writer,
 *   PostgreSQL's lock on the room row), so a message writes no row but its own.
 * - `members (room_id, session_id, nickname, nickname_key, joined_at, folded_look_key,
 *   shown_look_key, join_order)`, one row a nickname held, unique per room by session, case
 *   key and either look-alike key. `join_order` grows with every claim and orders the member
 *   list (`joined_at` is the time shown, which a clock may set back).
 * - `messages (room_id, seq, id, kind, author, text, created_at, session_id, client_id)`,
 *   keyed by `(room_id, seq)`; `messages_client_key` recognises a retried send. No index on
 *   `id`: nothing looks a message up by it (a random UUID the server makes), and one would make
 *   every commit write one more page, at a random place.
 * - `server_secrets (name, value)`: keys the server keeps (the session signing key).
 *
 * Version 8 adds what can happen to a message after it was sent:
 * - `messages` gains `edited_at`, `deleted_at` (its text is then empty), `reply_to_seq` (the
 *   message it answers) and `change_seq` (its latest change's number; null if never changed).
 * - `message_changes (room_id, change_seq, seq)`: the room's change log, one row per edit,
 *   deletion or reaction, numbered gap-free per room under the same lock as messages.
 *   Catching up reads it after a change number (`message:changes`).
 * - `reactions (room_id, seq, emoji, session_id, nickname, change_seq)`: one row per member
 *   and emoji on a message; the nickname is the one the member had when reacting, and
 *   `change_seq` orders them (earliest first).
 *
 * Version 9 adds who runs a room:
 * - `rooms` gains `owner_session_id` (the session that owns it: its creator, then a
 *   successor), `title`, `topic`, `locked` and `slow_mode_seconds`; a room stored before gets
 *   its earliest member as owner.
 * - `members` gains `role` ('moderator' or null; the owner is the room's) and `address_key`
 *   (a keyed hash of the address the member joined from, for bans; never the address).
 * - `messages` gains `deleted_by` ('moderator' when a keeper deleted it) and `author_key`
 *   (a keyed hash of the author's session and room: which messages are one's own, whatever
 *   the nickname; null on messages stored before).
 * - `bans (room_id, ban_id, session_id, address_key, nickname, banned_by, banned_at, until)`:
 *   one row per ban; `until` null for a permanent one.
 *
 * Version 10 adds search (lib/chat/search-query.ts):
 * - `message_search (room_id, seq, search_author, search_text)`: one row per standing user
 *   message (never a system notice or a deleted message), unique per (room, seq), holding
 *   its words as `searchText` folds them and its author as `foldText` folds it — computed in
 *   JS, so both dialects index the same words. Written with the message, in the same
 *   transaction as every edit, deletion and room deletion. SQLite adds `search_id` (its
 *   rowid, the full-text index's key) and `search_room` (generated, the room as one token);
 *   PostgreSQL adds `search_vector`.
 * - `message_search_index`, each dialect's own full-text index over `search_text`: in SQLite
 *   an FTS5 table with `message_search` as its external content, kept by triggers, with
 *   FTS5's `secure-delete` so that a deleted or edited message's old words leave the index
 *   at once; in PostgreSQL a GIN index on `search_vector`, generated as
 *   `to_tsvector('simple', search_text)`.
 * - The migration indexes the messages already stored (`backfill`). Should `searchText`
 *   ever split or fold words differently, a new version must index them again.
 * - A message now writes its index row (and in SQLite its FTS5 entries) beside its own.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** What SQL cannot compute, run after `sql` in the same transaction. */
  backfill?: () => Steps<void>;
}

/** A change to the one schema: one version and meaning, the SQL of each dialect. */
interface SchemaChange {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
  backfill?: () => Steps<void>;
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

/** Released before version 7; frozen. */
const SQLITE_RELEASED: readonly Migration[] = [
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

/** Released before version 7; frozen. */
const POSTGRES_RELEASED: readonly Migration[] = [
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

/** Version 8's tables and columns; only the integer type differs between the dialects. */
function messageChanges(integer: 'INTEGER' | 'BIGINT', withoutRowid: string): string {
  return `
    ALTER TABLE messages ADD COLUMN edited_at TEXT;
    ALTER TABLE messages ADD COLUMN deleted_at TEXT;
    ALTER TABLE messages ADD COLUMN reply_to_seq ${integer};
    ALTER TABLE messages ADD COLUMN change_seq ${integer};
    CREATE TABLE message_changes (
      room_id TEXT NOT NULL REFERENCES rooms (room_id),
      change_seq ${integer} NOT NULL,
      seq ${integer} NOT NULL,
      PRIMARY KEY (room_id, change_seq)
    )${withoutRowid};
    CREATE TABLE reactions (
      room_id TEXT NOT NULL REFERENCES rooms (room_id),
      seq ${integer} NOT NULL,
      emoji TEXT NOT NULL,
      session_id TEXT NOT NULL,
      nickname TEXT NOT NULL,
      change_seq ${integer} NOT NULL,
      PRIMARY KEY (room_id, seq, emoji, session_id)
    )${withoutRowid};
  `;
}

/** Version 9's columns and table; the types of a flag and an integer differ by dialect. */
function roomKeepers(flag: 'INTEGER' | 'BOOLEAN', off: '0' | 'false', withoutRowid: string) {
  return `
    ALTER TABLE rooms ADD COLUMN owner_session_id TEXT;
    ALTER TABLE rooms ADD COLUMN title TEXT NOT NULL DEFAULT '';
    ALTER TABLE rooms ADD COLUMN topic TEXT NOT NULL DEFAULT '';
    ALTER TABLE rooms ADD COLUMN locked ${flag} NOT NULL DEFAULT ${off};
    ALTER TABLE rooms ADD COLUMN slow_mode_seconds INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE members ADD COLUMN role TEXT;
    ALTER TABLE members ADD COLUMN address_key TEXT;
    ALTER TABLE messages ADD COLUMN deleted_by TEXT;
    ALTER TABLE messages ADD COLUMN author_key TEXT;
    UPDATE rooms SET owner_session_id = (
      SELECT m.session_id FROM members m WHERE m.room_id = rooms.room_id
      ORDER BY m.join_order LIMIT 1
    );
    CREATE TABLE bans (
      room_id TEXT NOT NULL REFERENCES rooms (room_id),
      ban_id TEXT NOT NULL,
      session_id TEXT NOT NULL,
      address_key TEXT,
      nickname TEXT NOT NULL,
      banned_by TEXT NOT NULL,
      banned_at TEXT NOT NULL,
      until TEXT,
      PRIMARY KEY (room_id, ban_id)
    )${withoutRowid};
    CREATE INDEX bans_session ON bans (room_id, session_id);
    CREATE INDEX bans_address ON bans (room_id, address_key);
  `;
}

/** Version 10's index rows; SQLite's rowid keys its full-text index. */
function messageSearch(key: string, integer: 'INTEGER' | 'BIGINT', index: string) {
  return `
    CREATE TABLE message_search (
      ${key}
      room_id TEXT NOT NULL REFERENCES rooms (room_id),
      seq ${integer} NOT NULL,
      search_author TEXT NOT NULL,
      search_text TEXT NOT NULL,
      ${index}
    );
  `;
}

/**
 * SQLite's full-text index: the words are folded already, so the tokenizer only splits them.
 * FTS5 reads the text from `message_search` (external content; no copy of its own) and
 * follows it by triggers. Its `search_room` column holds one token per room (the room ID in
 * hex), so a search intersects the room's rows inside the index instead of reading either a
 * word's rows in every room or every row of the room. A deletion hands FTS5 the old words, which its `secure-delete`
 * needs to take them out of the index at once (a contentless table only marks them deleted
 * and keeps them until segments merge).
 */
const SQLITE_SEARCH = `
  ${messageSearch(
    'search_id INTEGER PRIMARY KEY,',
    'INTEGER',
    `search_room TEXT GENERATED ALWAYS AS ('r' || lower(hex(room_id))) VIRTUAL,
      UNIQUE (room_id, seq)`,
  )}
  CREATE VIRTUAL TABLE message_search_index USING fts5 (
    search_room, search_text, content = 'message_search', content_rowid = 'search_id',
    tokenize = 'unicode61 remove_diacritics 0'
  );
  INSERT INTO message_search_index (message_search_index, rank) VALUES ('secure-delete', 1);
  CREATE TRIGGER message_search_added AFTER INSERT ON message_search BEGIN
    INSERT INTO message_search_index (rowid, search_room, search_text)
      VALUES (new.search_id, new.search_room, new.search_text);
  END;
  CREATE TRIGGER message_search_edited AFTER UPDATE OF search_text ON message_search BEGIN
    INSERT INTO message_search_index (message_search_index, rowid, search_room, search_text)
      VALUES ('delete', old.search_id, old.search_room, old.search_text);
    INSERT INTO message_search_index (rowid, search_room, search_text)
      VALUES (new.search_id, new.search_room, new.search_text);
  END;
  CREATE TRIGGER message_search_removed AFTER DELETE ON message_search BEGIN
    INSERT INTO message_search_index (message_search_index, rowid, search_room, search_text)
      VALUES ('delete', old.search_id, old.search_room, old.search_text);
  END;
`;

const POSTGRES_SEARCH = `
  ${messageSearch(
    '',
    'BIGINT',
    `search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED,
      PRIMARY KEY (room_id, seq)`,
  )}
  CREATE INDEX message_search_index ON message_search USING GIN (search_vector);
`;

/**
 * Version 11's pictures. An upload is one picture a member sent to a room, stored before the
 * message that carries it: `message_seq` is null until then, and the sweeper removes uploads
 * never sent. The bytes (picture and thumbnail) are blobs named by their SHA-256
 * (`image_key`, `thumb_key`), kept elsewhere: files under DATA_DIR with SQLite, the `blobs`
 * table with PostgreSQL. A message keeps its pictures' facts as JSON (`attachments`), so
 * reading the log joins nothing.
 */
function uploads(integer: 'INTEGER' | 'BIGINT', blobs: string): string {
  return `
    ALTER TABLE messages ADD COLUMN attachments TEXT;
    CREATE TABLE uploads (
      upload_id TEXT PRIMARY KEY,
      room_id TEXT NOT NULL REFERENCES rooms (room_id),
      session_id TEXT NOT NULL,
      created_at TEXT NOT NULL,
      type TEXT NOT NULL,
      width ${integer} NOT NULL,
      height ${integer} NOT NULL,
      thumb_width ${integer} NOT NULL,
      thumb_height ${integer} NOT NULL,
      placeholder TEXT NOT NULL,
      bytes ${integer} NOT NULL,
      image_key TEXT NOT NULL,
      thumb_key TEXT NOT NULL,
      message_seq ${integer}
    );
    CREATE INDEX uploads_message ON uploads (room_id, message_seq);
    CREATE INDEX uploads_unsent ON uploads (created_at) WHERE message_seq IS NULL;
    CREATE INDEX uploads_image_key ON uploads (image_key);
    CREATE INDEX uploads_thumb_key ON uploads (thumb_key);
    ${blobs}
  `;
}

/** PostgreSQL keeps the bytes too, so that every process serves every picture. */
const POSTGRES_BLOBS = `
  CREATE TABLE blobs (
    blob_key TEXT PRIMARY KEY,
    bytes BYTEA NOT NULL,
    stored_at TEXT NOT NULL
  );
  CREATE INDEX blobs_stored_at ON blobs (stored_at);
`;

/** How many stored messages the backfill reads and indexes at a time. */
const BACKFILL_BATCH = 1000;

/** Indexes every standing user message stored before version 10, in key order. */
function* indexStoredMessages(): Steps<void> {
  let after: [string, number] = ['', 0];
  for (;;) {
    const batch = yield* rows<{
      room_id: string;
      seq: number | string;
      author: string;
      text: string;
    }>('standingMessagesAfter', ...after, BACKFILL_BATCH);
    if (batch.length === 0) return;
    const indexed = batch.map((message) => ({
      room_id: message.room_id,
      seq: Number(message.seq),
      search_author: foldText(message.author),
      search_text: searchText(message.text),
    }));
    yield* changes('insertSearchBatch', JSON.stringify(indexed));
    const last = indexed.at(-1)!;
    after = [last.room_id, last.seq];
  }
}

const ONE_SCHEMA: readonly SchemaChange[] = [
  {
    version: 7,
    name: 'one schema for both dialects',
    // Sessions are signed tokens now; nothing reads the table. SQLite already lacks
    // rooms.last_seq and the index on messages.id (versions 4 and 5); PostgreSQL already has
    // join_order, and its rooms_public already reads `WHERE is_public`. SQLite rebuilds members
    // around join_order (its rowid, as before: the same table, the same index on the key),
    // numbered in the order it listed members until now.
    sqlite: `
      DROP TABLE sessions;
      DROP INDEX rooms_public;
      CREATE INDEX rooms_public ON rooms (room_id) WHERE is_public;
      CREATE TABLE members_v7 (
        join_order INTEGER PRIMARY KEY,
        room_id TEXT NOT NULL REFERENCES rooms (room_id),
        session_id TEXT NOT NULL,
        nickname TEXT NOT NULL,
        nickname_key TEXT NOT NULL,
        joined_at TEXT NOT NULL,
        folded_look_key TEXT,
        shown_look_key TEXT,
        UNIQUE (room_id, session_id),
        UNIQUE (room_id, nickname_key)
      );
      INSERT INTO members_v7
        SELECT ROW_NUMBER() OVER (ORDER BY joined_at, rowid), room_id, session_id, nickname,
          nickname_key, joined_at, folded_look_key, shown_look_key
        FROM members;
      DROP TABLE members;
      ALTER TABLE members_v7 RENAME TO members;
      CREATE UNIQUE INDEX members_folded_look_key ON members (room_id, folded_look_key);
      CREATE UNIQUE INDEX members_shown_look_key ON members (room_id, shown_look_key);
    `,
    postgres: `
      DROP TABLE sessions;
      ALTER TABLE rooms DROP COLUMN last_seq;
      ALTER TABLE messages DROP CONSTRAINT messages_id_key;
    `,
  },
  {
    version: 8,
    name: 'edits, deletions, replies and reactions',
    sqlite: messageChanges('INTEGER', ' WITHOUT ROWID'),
    postgres: messageChanges('BIGINT', ''),
  },
  {
    version: 9,
    name: 'owners, moderators, room settings and bans',
    sqlite: roomKeepers('INTEGER', '0', ' WITHOUT ROWID'),
    postgres: roomKeepers('BOOLEAN', 'false', ''),
  },
  {
    version: 10,
    name: 'full-text search of messages',
    sqlite: SQLITE_SEARCH,
    postgres: POSTGRES_SEARCH,
    backfill: indexStoredMessages,
  },
  {
    version: 11,
    name: 'pictures in messages',
    sqlite: uploads('INTEGER', ''),
    postgres: uploads('BIGINT', POSTGRES_BLOBS),
  },
];

const forDialect =
  (dialect: 'sqlite' | 'postgres') =>
  (change: SchemaChange): Migration => ({
    version: change.version,
    name: change.name,
    sql: change[dialect],
    ...(change.backfill && { backfill: change.backfill }),
  });

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  ...SQLITE_RELEASED,
  ...ONE_SCHEMA.map(forDialect('sqlite')),
];

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  ...POSTGRES_RELEASED,
  ...ONE_SCHEMA.map(forDialect('postgres')),
];

/** Brings the database to the latest version of `migrations`, one transaction for all. */
export function* migrate(migrations: readonly Migration[]): Steps<void> {
  yield* script(CREATE_SCHEMA_MIGRATIONS);
  const current = yield* row<{ version: number | null }>('schemaVersion');
  for (const migration of pendingMigrations(migrations, current?.version ?? 0)) {
    yield* script(migration.sql);
    if (migration.backfill) yield* migration.backfill();
    yield* changes('recordMigration', migration.version, migration.name, new Date().toISOString());
  }
}
