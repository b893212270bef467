import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
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
import { pendingMigrations, SQLITE_MIGRATIONS } from './migrations';
import { TickBatch } from './tick-batch';
import { type CheckpointSettings, WAL_RESTART_FRAMES, WalCheckpointer } from './wal-checkpointer';
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

/** File name of the embedded database inside `DATA_DIR`. */
export const SQLITE_FILE = 'livechat.db';

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
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly appends: TickBatch<UserMessageDraft, AppendOutcome>;
  private readonly checkpointer: WalCheckpointer | undefined;

  private constructor(db: Database.Database, file: string, checkpoints: CheckpointSettings) {
    this.db = db;
    this.statements = prepareStatements(db);
    // Built once: better-sqlite3 defines several properties on every transaction function.
    const appendAll = db.transaction((drafts: UserMessageDraft[]) =>
      drafts.map((draft) => this.appendOne(draft)),
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
    // When the WAL starts over, its file is cut back to this size instead of staying as long
    // as it ever grew.
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    migrate(db);
    return new SqliteStore(db, file, checkpoints);
  }

  async serverSecret(name: string, candidate: string): Promise<string> {
    this.appends.flush();
    this.statements.insertSecret.run(name, candidate);
    return this.statements.secret.pluck().get(name) as string;
  }

  async createRoom(
    roomId: string,
    createdAt: string,
    options?: { isPublic?: boolean },
  ): Promise<boolean> {
    this.appends.flush();
    const isPublic = options?.isPublic ? 1 : 0;
    return this.statements.insertRoom.run(roomId, createdAt, isPublic).changes === 1;
  }

  async listPublicRooms(limit: number): Promise<RoomSummary[]> {
    this.appends.flush();
    return (
      this.statements.listPublicRooms.all(limit) as Array<{ room_id: string; member_count: number }>
    ).map((row) => ({ roomId: row.room_id, memberCount: row.member_count }));
  }

  async listRooms() {
    this.appends.flush();
    return (
      this.statements.listRooms.all() as Array<{ room_id: string; member_count: number }>
    ).map((row) => ({ roomId: row.room_id, memberCount: row.member_count }));
  }

  async deleteRoomIfEmpty(roomId: string): Promise<boolean> {
    this.appends.flush();
    return this.db
      .transaction(() => {
        if (!this.statements.roomExists.get(roomId)) return false;
        if (this.statements.memberCount.get(roomId) !== 0) return false;
        this.statements.deleteMessages.run(roomId);
        this.statements.deleteRoom.run(roomId);
        return true;
      })
      .immediate();
  }

  async claimMember(claim: MemberClaim): Promise<ClaimOutcome> {
    this.appends.flush();
    return this.db
      .transaction((): ClaimOutcome => {
        if (!this.statements.roomExists.get(claim.roomId)) return { status: 'no-room' };
        const existing = this.statements.member.get(claim.roomId, claim.sessionId) as
          MemberRow | undefined;
        if (existing) return { status: 'already-member', member: toMember(existing) };
        if (this.statements.nicknameHolder.get(...holderParams(claim, ''))) {
          return { status: 'nickname-taken' };
        }
        this.statements.insertMember.run(...memberValues(claim));
        return { status: 'joined', member: withoutLookKeys(claim) };
      })
      .immediate();
  }

  async renameMember(rename: MemberRename): Promise<RenameOutcome> {
    this.appends.flush();
    return this.db
      .transaction((): RenameOutcome => {
        const member = this.statements.member.get(rename.roomId, rename.sessionId) as
          MemberRow | undefined;
        if (!member) return { status: 'not-member' };
        if (this.statements.nicknameHolder.get(...holderParams(rename, rename.sessionId))) {
          return { status: 'nickname-taken' };
        }
        this.statements.renameMember.run(
          rename.nickname,
          rename.nicknameKey,
          rename.lookKeys.folded,
          rename.lookKeys.shown,
          rename.roomId,
          rename.sessionId,
        );
        return { status: 'renamed', previous: member.nickname };
      })
      .immediate();
  }

  async fillLookKeys(lookKeysOf: (nickname: string) => LookKeys): Promise<number> {
    this.appends.flush();
    return this.db
      .transaction(() => {
        const rows = this.statements.membersWithoutLookKeys.all() as MemberRow[];
        for (const row of rows) {
          const keys = lookKeysOf(row.nickname);
          const free = (column: 'folded_look_key' | 'shown_look_key', key: string) =>
            this.statements[column].get(row.room_id, row.session_id, key) ? null : key;
          this.statements.setLookKeys.run(
            free('folded_look_key', keys.folded),
            free('shown_look_key', keys.shown),
            row.room_id,
            row.session_id,
          );
        }
        return rows.length;
      })
      .immediate();
  }

  async removeMember(roomId: string, sessionId: string) {
    this.appends.flush();
    return this.db
      .transaction(() => {
        const member = this.statements.member.get(roomId, sessionId) as MemberRow | undefined;
        if (!member) return undefined;
        this.statements.deleteMember.run(roomId, sessionId);
        const remaining = this.statements.memberCount.get(roomId) as number;
        return { member: toMember(member), remaining };
      })
      .immediate();
  }

  async getMember(roomId: string, sessionId: string): Promise<StoredMember | undefined> {
    this.appends.flush();
    const row = this.statements.member.get(roomId, sessionId) as MemberRow | undefined;
    return row && toMember(row);
  }

  async listMembers(roomId: string): Promise<StoredMember[]> {
    this.appends.flush();
    return (this.statements.listMembers.all(roomId) as MemberRow[]).map(toMember);
  }

  async appendUserMessage(draft: UserMessageDraft): Promise<AppendOutcome> {
    return this.appends.add(draft);
  }

  async appendSystemMessage(draft: SystemMessageDraft): Promise<Message | undefined> {
    this.appends.flush();
    return this.db
      .transaction((): Message | undefined => {
        if (!this.statements.roomExists.get(draft.roomId)) return undefined;
        const seq = this.statements.nextSeq.get(draft.roomId) as number;
        this.statements.insertMessage.run(
          draft.roomId,
          seq,
          draft.id,
          'system',
          draft.author,
          draft.text,
          draft.createdAt,
          null,
          null,
        );
        return {
          id: draft.id,
          roomId: draft.roomId,
          seq,
          kind: 'system',
          author: draft.author,
          text: draft.text,
          createdAt: draft.createdAt,
        };
      })
      .immediate();
  }

  async listMessages(roomId: string, page: MessagePage) {
    this.appends.flush();
    if (page.afterSeq !== undefined) {
      const rows = this.statements.pageAfter.all(
        roomId,
        page.afterSeq,
        page.limit + 1,
      ) as MessageRow[];
      return {
        messages: rows.slice(0, page.limit).map(toMessage),
        hasMore: rows.length > page.limit,
      };
    }
    const beforeSeq = page.beforeSeq ?? Number.MAX_SAFE_INTEGER;
    // One extra row tells whether older messages exist.
    const rows = this.statements.pageBefore.all(roomId, beforeSeq, page.limit + 1) as MessageRow[];
    const hasMore = rows.length > page.limit;
    const messages = rows.slice(0, page.limit).reverse().map(toMessage);
    return { messages, hasMore };
  }

  async counts() {
    this.appends.flush();
    return this.statements.counts.get() as { rooms: number; members: number };
  }

  async ping(): Promise<void> {
    this.appends.flush();
    this.statements.ping.get();
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.appends.flush();
    await this.checkpointer?.close();
    if (this.db.open) this.db.close();
  }

  /** One user message, inside the batch's transaction. */
  private appendOne(draft: UserMessageDraft): AppendOutcome {
    const nickname = this.statements.memberNickname.get(draft.roomId, draft.sessionId) as
      string | undefined;
    if (nickname === undefined) return { status: 'not-member' };
    const stored = this.statements.messageByClientId.get(
      draft.roomId,
      draft.sessionId,
      draft.clientId,
    ) as MessageRow | undefined;
    if (stored) return { status: 'stored', message: toMessage(stored), created: false };
    const seq = this.statements.nextSeq.get(draft.roomId) as number;
    const message: Message = {
      id: draft.id,
      roomId: draft.roomId,
      seq,
      kind: 'user',
      author: nickname,
      text: draft.text,
      createdAt: draft.createdAt,
      clientId: draft.clientId,
    };
    this.statements.insertMessage.run(
      draft.roomId,
      seq,
      message.id,
      'user',
      nickname,
      message.text,
      message.createdAt,
      draft.sessionId,
      draft.clientId,
    );
    return { status: 'stored', message, created: true };
  }
}

function migrate(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  db.transaction(() => {
    const current =
      (db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get() as number | null) ??
      0;
    for (const migration of pendingMigrations(SQLITE_MIGRATIONS, current)) {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    }
  }).immediate();
}

function prepareStatements(db: Database.Database) {
  return {
    insertSecret: db.prepare(
      'INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
    secret: db.prepare('SELECT value FROM server_secrets WHERE name = ?'),
    insertRoom: db.prepare(
      'INSERT INTO rooms (room_id, created_at, is_public) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    listPublicRooms: db.prepare(
      'SELECT r.room_id, (SELECT COUNT(*) FROM members m WHERE m.room_id = r.room_id) AS member_count FROM rooms r WHERE r.is_public = 1 ORDER BY member_count DESC, r.room_id LIMIT ?',
    ),
    roomExists: db.prepare('SELECT 1 FROM rooms WHERE room_id = ?'),
    listRooms: db.prepare(
      'SELECT r.room_id, (SELECT COUNT(*) FROM members m WHERE m.room_id = r.room_id) AS member_count FROM rooms r',
    ),
    deleteRoom: db.prepare('DELETE FROM rooms WHERE room_id = ?'),
    deleteMessages: db.prepare('DELETE FROM messages WHERE room_id = ?'),
    memberCount: db.prepare('SELECT COUNT(*) FROM members WHERE room_id = ?').pluck(),
    member: db.prepare('SELECT * FROM members WHERE room_id = ? AND session_id = ?'),
    memberNickname: db
      .prepare('SELECT nickname FROM members WHERE room_id = ? AND session_id = ?')
      .pluck(),
    nicknameHolder: db.prepare(
      'SELECT 1 FROM members WHERE room_id = ? AND session_id <> ? AND (nickname_key = ? OR folded_look_key = ? OR shown_look_key = ?)',
    ),
    insertMember: db.prepare(
      'INSERT INTO members (room_id, session_id, nickname, nickname_key, folded_look_key, shown_look_key, joined_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    renameMember: db.prepare(
      'UPDATE members SET nickname = ?, nickname_key = ?, folded_look_key = ?, shown_look_key = ? WHERE room_id = ? AND session_id = ?',
    ),
    membersWithoutLookKeys: db.prepare(
      'SELECT * FROM members WHERE folded_look_key IS NULL OR shown_look_key IS NULL ORDER BY joined_at, rowid',
    ),
    folded_look_key: db.prepare(
      'SELECT 1 FROM members WHERE room_id = ? AND session_id <> ? AND folded_look_key = ?',
    ),
    shown_look_key: db.prepare(
      'SELECT 1 FROM members WHERE room_id = ? AND session_id <> ? AND shown_look_key = ?',
    ),
    setLookKeys: db.prepare(
      'UPDATE members SET folded_look_key = ?, shown_look_key = ? WHERE room_id = ? AND session_id = ?',
    ),
    deleteMember: db.prepare('DELETE FROM members WHERE room_id = ? AND session_id = ?'),
    listMembers: db.prepare('SELECT * FROM members WHERE room_id = ? ORDER BY joined_at, rowid'),
    // A seek to the end of the room's primary-key range; run in the writing transaction, so
    // numbers stay gap-free and strictly increasing.
    nextSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE room_id = ?').pluck(),
    messageByClientId: db.prepare(
      'SELECT * FROM messages WHERE room_id = ? AND session_id = ? AND client_id = ?',
    ),
    insertMessage: db.prepare(
      'INSERT INTO messages (room_id, seq, id, kind, author, text, created_at, session_id, client_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    counts: db.prepare(
      'SELECT (SELECT COUNT(*) FROM rooms) AS rooms, (SELECT COUNT(*) FROM members) AS members',
    ),
    ping: db.prepare('SELECT 1'),
    pageAfter: db.prepare(
      'SELECT * FROM messages WHERE room_id = ? AND seq > ? ORDER BY seq ASC LIMIT ?',
    ),
    pageBefore: db.prepare(
      'SELECT * FROM messages WHERE room_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
    ),
  };
}
