/**
 * The text of every statement the SQL stores run, written once. Placeholders are numbered
 * (`$1`, `$2`, …) as PostgreSQL takes them, each used once and in order, so SQLite gets the
 * same text with `?` in their place. Only the locks differ between the dialects.
 */

/** Each room with how many members it holds. */
const ROOMS_WITH_COUNTS =
  'SELECT r.room_id, r.title, (SELECT COUNT(*) FROM members m WHERE m.room_id = r.room_id) AS member_count FROM rooms r';

/**
 * The room's next sequence number: a seek to the end of its primary-key range. Correct only
 * where no other writer can insert into the room meanwhile (see the locks below).
 */
const NEXT_SEQ = 'SELECT COALESCE(MAX(seq), 0) + 1 AS next_seq FROM messages WHERE room_id = $1';

/** A message's columns as clients see it (`m`), with the start of the one it replies to (`r`). */
const MESSAGE_COLUMNS = `m.room_id, m.seq, m.id, m.kind, m.author, m.text, m.created_at,
    m.client_id, m.session_id, m.author_key, m.edited_at, m.deleted_at, m.deleted_by, m.reply_to_seq,
    m.change_seq, m.attachments,
    r.kind AS reply_kind, r.author AS reply_author, r.text AS reply_text,
    r.deleted_at AS reply_deleted_at`;
/** A member with its role: the room's owner, a moderator, or a member. */
const MEMBER_READ = `SELECT m.*,
    CASE WHEN r.owner_session_id = m.session_id THEN 'owner' ELSE COALESCE(m.role, 'member') END AS room_role
  FROM members m JOIN rooms r ON r.room_id = m.room_id`;

const REPLIED_TO = 'LEFT JOIN messages r ON r.room_id = m.room_id AND r.seq = m.reply_to_seq';
/** Every read of messages goes through this. */
const MESSAGE_READ = `SELECT ${MESSAGE_COLUMNS} FROM messages m ${REPLIED_TO}`;
/** A search's messages: the index rows `s` that matched, each with its message as it is now. */
const FOUND_MESSAGES = `JOIN messages m ON m.room_id = s.room_id AND m.seq = s.seq ${REPLIED_TO}`;
/**
 * The rest of a search, after the dialect's match (`$1`): the room `$2`, before seq `$3`,
 * only author `$4` unless null, then the dialect's newest-first order and at most `$5`.
 */
const SEARCH_FILTER = `AND s.room_id = $2 AND s.seq < $3
    AND s.search_author = COALESCE($4, s.search_author)`;

const SHARED = {
  insertSecret: 'INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING',
  secret: 'SELECT value FROM server_secrets WHERE name = $1',

  insertRoom:
    'INSERT INTO rooms (room_id, created_at, is_public, owner_session_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
  roomInfo:
    'SELECT title, topic, locked, slow_mode_seconds, owner_session_id FROM rooms WHERE room_id = $1',
  updateRoomInfo:
    'UPDATE rooms SET title = $1, topic = $2, locked = $3, slow_mode_seconds = $4 WHERE room_id = $5',
  setOwner: 'UPDATE rooms SET owner_session_id = $1 WHERE room_id = $2',
  roomPreview: `SELECT r.title, r.is_public, (SELECT COUNT(*) FROM members m WHERE m.room_id = r.room_id) AS member_count,
    EXISTS (SELECT 1 FROM members m WHERE m.room_id = r.room_id AND m.session_id = $1) AS is_member
    FROM rooms r WHERE r.room_id = $2`,
  listPublicRooms: `${ROOMS_WITH_COUNTS} WHERE r.is_public ORDER BY member_count DESC, r.room_id LIMIT $1`,
  listRooms: ROOMS_WITH_COUNTS,
  roomExists: 'SELECT 1 FROM rooms WHERE room_id = $1',
  deleteRoom: 'DELETE FROM rooms WHERE room_id = $1',
  deleteMessages: 'DELETE FROM messages WHERE room_id = $1',
  deleteChanges: 'DELETE FROM message_changes WHERE room_id = $1',
  deleteReactions: 'DELETE FROM reactions WHERE room_id = $1',
  deleteBans: 'DELETE FROM bans WHERE room_id = $1',
  insertBan:
    'INSERT INTO bans (room_id, ban_id, session_id, address_key, nickname, banned_by, banned_at, until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
  /** A ban in force at `$4` of the session `$2` or of its address key `$3`, the longest first. */
  activeBan: `SELECT until FROM bans
    WHERE room_id = $1 AND (session_id = $2 OR address_key = $3) AND (until IS NULL OR until > $4)
    ORDER BY until IS NULL DESC, until DESC LIMIT 1`,
  listBans:
    'SELECT * FROM bans WHERE room_id = $1 AND (until IS NULL OR until > $2) ORDER BY banned_at',
  deleteBan: 'DELETE FROM bans WHERE room_id = $1 AND ban_id = $2 RETURNING nickname',

  memberCount: 'SELECT COUNT(*) AS count FROM members WHERE room_id = $1',
  member: `${MEMBER_READ} WHERE m.room_id = $1 AND m.session_id = $2`,
  memberByKey: `${MEMBER_READ} WHERE m.room_id = $1 AND m.nickname_key = $2`,
  setRole: 'UPDATE members SET role = $1 WHERE room_id = $2 AND session_id = $3',
  nicknameHolder:
    'SELECT 1 FROM members WHERE room_id = $1 AND session_id <> $2 AND (nickname_key = $3 OR folded_look_key = $4 OR shown_look_key = $5)',
  insertMember:
    'INSERT INTO members (room_id, session_id, nickname, nickname_key, folded_look_key, shown_look_key, joined_at, address_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
  renameMember:
    'UPDATE members SET nickname = $1, nickname_key = $2, folded_look_key = $3, shown_look_key = $4 WHERE room_id = $5 AND session_id = $6',
  deleteMember: 'DELETE FROM members WHERE room_id = $1 AND session_id = $2 RETURNING *',
  listMembers: `${MEMBER_READ} WHERE m.room_id = $1 ORDER BY m.join_order`,
  membersWithoutLookKeys:
    'SELECT * FROM members WHERE folded_look_key IS NULL OR shown_look_key IS NULL ORDER BY join_order',
  foldedLookKeyHolder:
    'SELECT 1 FROM members WHERE room_id = $1 AND session_id <> $2 AND folded_look_key = $3',
  shownLookKeyHolder:
    'SELECT 1 FROM members WHERE room_id = $1 AND session_id <> $2 AND shown_look_key = $3',
  setLookKeys:
    'UPDATE members SET folded_look_key = $1, shown_look_key = $2 WHERE room_id = $3 AND session_id = $4',

  nextSeq: NEXT_SEQ,
  /**
   * Everything a user message needs, in one statement: the sender's nickname (no row: not a
   * member), the sequence number of the message already stored under its client ID (null:
   * none), the next sequence number, and in a room with slow mode (which keepers are exempt
   * from) the mode and when the sender last wrote. Parameters: room, client ID, room, session.
   */
  sender: `SELECT m.nickname, s.seq AS stored_seq, (${NEXT_SEQ}) AS next_seq,
      r.slow_mode_seconds,
      CASE WHEN r.slow_mode_seconds > 0 AND m.role IS NULL
          AND COALESCE(r.owner_session_id, '') <> m.session_id
        THEN (SELECT MAX(x.created_at) FROM messages x
          WHERE x.room_id = m.room_id AND x.session_id = m.session_id AND x.client_id IS NOT NULL)
      END AS last_sent
    FROM members m
    JOIN rooms r ON r.room_id = m.room_id
    LEFT JOIN messages s
      ON s.room_id = m.room_id AND s.session_id = m.session_id AND s.client_id = $2
    WHERE m.room_id = $3 AND m.session_id = $4`,
  messageAt: `${MESSAGE_READ} WHERE m.room_id = $1 AND m.seq = $2`,
  insertMessage:
    'INSERT INTO messages (room_id, seq, id, kind, author, text, created_at, session_id, client_id, reply_to_seq, author_key, attachments) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)',
  /** The oldest `$3` messages after seq `$2`. */
  pageAfter: `${MESSAGE_READ} WHERE m.room_id = $1 AND m.seq > $2 ORDER BY m.seq ASC LIMIT $3`,
  /** The newest `$3` messages before seq `$2`, newest first. */
  pageBefore: `${MESSAGE_READ} WHERE m.room_id = $1 AND m.seq < $2 ORDER BY m.seq DESC LIMIT $3`,

  /** The room's latest change number; 0 before its first change. */
  latestChange:
    'SELECT COALESCE(MAX(change_seq), 0) AS change_seq FROM message_changes WHERE room_id = $1',
  insertChange: 'INSERT INTO message_changes (room_id, change_seq, seq) VALUES ($1, $2, $3)',
  editMessage:
    'UPDATE messages SET text = $1, edited_at = $2, change_seq = $3 WHERE room_id = $4 AND seq = $5',
  /** The text and pictures go with the deletion: only the placeholder's facts stay. */
  deleteMessage:
    "UPDATE messages SET text = '', attachments = NULL, deleted_at = $1, deleted_by = $2, change_seq = $3 WHERE room_id = $4 AND seq = $5",
  markChanged: 'UPDATE messages SET change_seq = $1 WHERE room_id = $2 AND seq = $3',
  /** A message's reactions, earliest first. */
  reactionsOf:
    'SELECT seq, emoji, nickname, session_id FROM reactions WHERE room_id = $1 AND seq = $2 ORDER BY change_seq',
  /** The reactions on the messages from seq `$2` to `$3`, earliest first. */
  reactionsBetween:
    'SELECT seq, emoji, nickname, session_id FROM reactions WHERE room_id = $1 AND seq >= $2 AND seq <= $3 ORDER BY change_seq',
  insertReaction:
    'INSERT INTO reactions (room_id, seq, emoji, session_id, nickname, change_seq) VALUES ($1, $2, $3, $4, $5, $6)',
  deleteReaction:
    'DELETE FROM reactions WHERE room_id = $1 AND seq = $2 AND emoji = $3 AND session_id = $4',
  deleteReactionsOf: 'DELETE FROM reactions WHERE room_id = $1 AND seq = $2',
  /** Up to `$3` rows of the change log after change `$2`, each with its message as it is now. */
  changesAfter: `SELECT c.change_seq AS change_number, ${MESSAGE_COLUMNS}
    FROM message_changes c
    JOIN messages m ON m.room_id = c.room_id AND m.seq = c.seq
    ${REPLIED_TO}
    WHERE c.room_id = $1 AND c.change_seq > $2 ORDER BY c.change_seq LIMIT $3`,
  /** The reactions on the messages changed after change `$3` up to change `$4`. */
  reactionsOfChanges: `SELECT seq, emoji, nickname, session_id FROM reactions
    WHERE room_id = $1 AND seq IN (
      SELECT c.seq FROM message_changes c
      WHERE c.room_id = $2 AND c.change_seq > $3 AND c.change_seq <= $4)
    ORDER BY change_seq`,

  /**
   * A standing user message's words (`searchText`) and folded author (`foldText`), computed
   * in JS so that both dialects index the same words; kept with every change to the message.
   */
  insertSearch:
    'INSERT INTO message_search (room_id, seq, search_author, search_text) VALUES ($1, $2, $3, $4)',
  editSearch: 'UPDATE message_search SET search_text = $1 WHERE room_id = $2 AND seq = $3',
  deleteSearch: 'DELETE FROM message_search WHERE room_id = $1 AND seq = $2',
  deleteRoomSearch: 'DELETE FROM message_search WHERE room_id = $1',
  /** Up to `$3` standing user messages after (room `$1`, seq `$2`), in key order. */
  standingMessagesAfter: `SELECT room_id, seq, author, text FROM messages
    WHERE (room_id, seq) > ($1, $2) AND kind = 'user' AND deleted_at IS NULL
    ORDER BY room_id, seq LIMIT $3`,
  /** A search for an author's messages alone: room `$1`, author `$2`, before `$3`, at most `$4`. */
  searchByAuthor: `SELECT ${MESSAGE_COLUMNS} FROM message_search s ${FOUND_MESSAGES}
    WHERE s.room_id = $1 AND s.search_author = $2 AND s.seq < $3
    ORDER BY s.seq DESC LIMIT $4`,

  insertUpload: `INSERT INTO uploads (upload_id, room_id, session_id, created_at, type, width,
      height, thumb_width, thumb_height, placeholder, bytes, image_key, thumb_key)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
  /** An upload of session `$3` in room `$2` that no message carries yet. */
  unsentUpload:
    'SELECT * FROM uploads WHERE upload_id = $1 AND room_id = $2 AND session_id = $3 AND message_seq IS NULL',
  attachUpload: 'UPDATE uploads SET message_seq = $1 WHERE upload_id = $2',
  /** Upload `$2`, if session `$1` is a member of its room. */
  uploadForMember: `SELECT u.* FROM uploads u
    JOIN members m ON m.room_id = u.room_id AND m.session_id = $1
    WHERE u.upload_id = $2`,
  deleteUploadsOf: 'DELETE FROM uploads WHERE room_id = $1 AND message_seq = $2',
  deleteRoomUploads: 'DELETE FROM uploads WHERE room_id = $1',
  /** Uploads stored before `$1` that no message carries: their sender never sent them. */
  deleteUnsentUploads: 'DELETE FROM uploads WHERE message_seq IS NULL AND created_at < $1',

  counts:
    'SELECT (SELECT COUNT(*) FROM rooms) AS rooms, (SELECT COUNT(*) FROM members) AS members, (SELECT COUNT(DISTINCT session_id) FROM members) AS people',
  ping: 'SELECT 1',

  schemaVersion: 'SELECT MAX(version) AS version FROM schema_migrations',
  recordMigration: 'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
};

/** The statements of both dialects, by name. */
export type StatementName =
  | keyof typeof SHARED
  | 'lockRoom'
  | 'lockRoomWrites'
  | 'lockLookKeys'
  | 'searchMessages'
  | 'reactionsAmong'
  | 'insertSearchBatch'
  | 'referencedBlobs';

/** The index rows of a batch given as a JSON array of objects (the migration's backfill). */
const SEARCH_BATCH_COLUMNS = 'room_id, seq, search_author, search_text';

/** The migration runner's own table; created by this one statement in both dialects. */
export const CREATE_SCHEMA_MIGRATIONS =
  'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)';

/**
 * PostgreSQL: processes share the database, so a change to a room first locks the room's row
 * (sequence numbers stay gap-free, nickname claims exclusive), and processes starting together
 * fill look-alike keys in turn. `lockRoom` answers whether the room exists; `lockRoomWrites`
 * is for a change whose next statement finds the room itself (a member's message).
 */
export const POSTGRES_SQL: Readonly<Record<StatementName, string>> = checked({
  ...SHARED,
  lockRoom: `${SHARED.roomExists} FOR UPDATE`,
  lockRoomWrites: `${SHARED.roomExists} FOR UPDATE`,
  lockLookKeys: "SELECT pg_advisory_xact_lock(hashtext('livechat: member look keys'))",
  /** `$1` is a tsquery of quoted lexemes only (`tsqueryText` in search-match.ts). */
  searchMessages: `SELECT ${MESSAGE_COLUMNS} FROM message_search s ${FOUND_MESSAGES}
    WHERE s.search_vector @@ to_tsquery('simple', $1) ${SEARCH_FILTER}
    ORDER BY s.seq DESC LIMIT $5`,
  /** The reactions on the messages whose seqs `$2` lists (a JSON array), earliest first. */
  reactionsAmong: `SELECT seq, emoji, nickname, session_id FROM reactions
    WHERE room_id = $1 AND seq IN (SELECT value::bigint FROM jsonb_array_elements_text($2::jsonb))
    ORDER BY change_seq`,
  insertSearchBatch: `INSERT INTO message_search (${SEARCH_BATCH_COLUMNS})
    SELECT ${SEARCH_BATCH_COLUMNS} FROM jsonb_to_recordset($1::jsonb)
      AS batch (room_id TEXT, seq BIGINT, search_author TEXT, search_text TEXT)`,
  /** Which of the blob keys `$1` and `$2` list (the same JSON array twice) an upload uses. */
  referencedBlobs: `SELECT image_key AS blob_key FROM uploads
      WHERE image_key IN (SELECT jsonb_array_elements_text($1::jsonb))
    UNION SELECT thumb_key FROM uploads
      WHERE thumb_key IN (SELECT jsonb_array_elements_text($2::jsonb))`,
});

/**
 * SQLite: one process, and a store transaction begins IMMEDIATE, holding the only write lock
 * from its start; "locking" a room is only finding it, and the other locks are nothing.
 */
export const SQLITE_SQL: Readonly<Record<StatementName, string>> = withQuestionMarks(
  checked({
    ...SHARED,
    lockRoom: SHARED.roomExists,
    lockRoomWrites: 'SELECT $1',
    lockLookKeys: SHARED.ping,
    /**
     * `$1` is an FTS5 query of double-quoted words only, the room's among them (`ftsMatch` in
     * search-match.ts); CROSS JOIN keeps the index first, where the room is intersected.
     * Within a room, index rows are added in seq order (`search_id` only grows), so FTS5
     * walks its matches newest first by rowid and stops at the page's end instead of
     * sorting every match.
     */
    searchMessages: `SELECT ${MESSAGE_COLUMNS} FROM message_search_index
      CROSS JOIN message_search s ON s.search_id = message_search_index.rowid ${FOUND_MESSAGES}
      WHERE message_search_index MATCH $1 ${SEARCH_FILTER}
      ORDER BY message_search_index.rowid DESC LIMIT $5`,
    reactionsAmong: `SELECT seq, emoji, nickname, session_id FROM reactions
      WHERE room_id = $1 AND seq IN (SELECT value FROM json_each($2))
      ORDER BY change_seq`,
    insertSearchBatch: `INSERT INTO message_search (${SEARCH_BATCH_COLUMNS})
      SELECT value ->> 'room_id', value ->> 'seq', value ->> 'search_author', value ->> 'search_text'
      FROM json_each($1)`,
    referencedBlobs: `SELECT image_key AS blob_key FROM uploads
        WHERE image_key IN (SELECT value FROM json_each($1))
      UNION SELECT thumb_key FROM uploads WHERE thumb_key IN (SELECT value FROM json_each($2))`,
  }),
);

function withQuestionMarks<T extends Record<string, string>>(statements: T): T {
  return Object.fromEntries(
    Object.entries(statements).map(([name, text]) => [name, text.replace(/\$\d+/g, '?')]),
  ) as T;
}

/** Throws at load time if a statement's placeholders are not $1, $2, … each once, in order. */
function checked<T extends Record<string, string>>(statements: T): T {
  for (const [name, text] of Object.entries(statements)) {
    const numbers = [...text.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]));
    if (numbers.some((n, index) => n !== index + 1)) {
      throw new Error(`Statement ${name}: placeholders must be $1, $2, … each once, in order`);
    }
  }
  return statements;
}
