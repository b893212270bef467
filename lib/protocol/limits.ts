/** Limits shared by client and server; the server enforces every one of them. */

/** Longest nickname, in Unicode code points after trimming and NFC. */
export const MAX_NICKNAME_LENGTH = 32;

/** Longest message, in Unicode code points after trimming. */
export const MAX_MESSAGE_LENGTH = 4000;

/** How long after sending its author may edit a message, in milliseconds (24 hours). */
export const EDIT_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Most distinct emoji on one message; more people may give one already there. */
export const MAX_REACTIONS_PER_MESSAGE = 20;

/** Longest emoji a reaction may be, in UTF-16 code units (a family ZWJ sequence fits). */
export const MAX_EMOJI_LENGTH = 32;

/** How much of a replied-to message a quote shows, in code points. */
export const REPLY_EXCERPT_LENGTH = 100;

/** Largest page of changes `message:changes` serves. */
export const MAX_CHANGES_PAGE = 100;

/** Longest room title and topic, in code points after trimming. */
export const MAX_ROOM_TITLE_LENGTH = 64;
export const MAX_ROOM_TOPIC_LENGTH = 300;

/** Most rooms one `room:preview` asks about (a browser's list of recent rooms). */
export const MAX_PREVIEW_ROOMS = 20;

/** Longest slow mode a room may set, in seconds (an hour). */
export const MAX_SLOW_MODE_SECONDS = 3_600;

/** How many messages `room:join` returns with the acknowledgement. */
export const JOIN_HISTORY_LIMIT = 50;

/** Largest page `message:history` serves. */
export const MAX_HISTORY_PAGE = 100;

/** Default page size for `message:history` when the client sends no `limit`. */
export const DEFAULT_HISTORY_PAGE = 50;

/**
 * Upper bound on any raw string field before normalisation, in UTF-16 code units, so that
 * trimming or normalising a hostile payload never costs more than a bounded amount of work.
 */
export const MAX_RAW_STRING_LENGTH = 4 * MAX_MESSAGE_LENGTH;

/** Largest Socket.IO packet the server accepts, in bytes; a bigger one closes the socket. */
export const MAX_PACKET_BYTES = 64 * 1024;

/** Search results a page holds by default, and at most. */
export const DEFAULT_SEARCH_PAGE = 20;
export const MAX_SEARCH_PAGE = 50;

/** Most public rooms the lobby lists (the busiest first). */
export const LOBBY_ROOM_LIMIT = 100;

/** How often the lobby's statistics are sent while someone watches, in milliseconds. */
export const LOBBY_STATS_INTERVAL_MS = 5_000;

/** Longest search a member may type, in code points. */
export const MAX_SEARCH_QUERY_LENGTH = 200;

/** Most pictures one message may carry. */
export const MAX_ATTACHMENTS = 4;

/** Largest picture file an upload may send by default, in bytes (`MAX_UPLOAD_BYTES`). */
export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
