'use client';

import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { may } from '@/lib/chat/moderation';
import { dayOf, logRows } from '@/lib/client/log-layout';
import { isMuted, logEntries } from '@/lib/client/muted';
import { isOwnMessage } from '@/lib/client/own-message';
import type { Message } from '@/lib/protocol/definitions';
import { useChatStore } from '../chat-provider';
import { MessageItem, PendingMessageItem } from './message-item';
import { useMuted, useOwnRole } from './use-keepers';
import { messageElementId } from './use-jump-to-message';
import { useUnreadMark } from './use-unread-mark';

/** Within this distance of the end, the reader counts as "at the bottom" and the log follows. */
const STICK_THRESHOLD_PX = 48;
/** Within this distance of the start, older messages are fetched. */
const LOAD_OLDER_THRESHOLD_PX = 120;
/** Messages by the same author closer together than this are shown as one group. */
const GROUP_WINDOW_MS = 5 * 60_000;
const NO_MESSAGES: Message[] = [];

/**
 * The room's messages, newest at the bottom, as a live region, headed by day and with a "new
 * messages" line where the reader left off. Follows new messages while the reader is at the
 * bottom and offers "Jump to latest" otherwise; scrolling to the top loads older pages
 * without moving what the reader is looking at.
 */
export function MessageLog({ roomId }: { roomId: string }) {
  const live = useChatStore((state) => state.room?.messages ?? NO_MESSAGES);
  // After a jump far back, a window of older history is shown instead of the live log.
  const jump = useChatStore((state) => state.room?.jump);
  const messages = jump?.messages ?? live;
  const nickname = useChatStore((state) => state.room?.nickname ?? '');
  const authorKey = useChatStore((state) => state.room?.authorKey ?? '');
  const liveHasMore = useChatStore((state) => state.room?.hasMore ?? false);
  const hasMore = jump ? jump.hasOlder : liveHasMore;
  const loadingOlder = useChatStore((state) => state.room?.loadingOlder ?? false);
  const allPending = useChatStore((state) => state.pending);
  const loadOlder = useChatStore((state) => state.loadOlder);
  const loadNewer = useChatStore((state) => state.loadNewer);
  const returnToLatest = useChatStore((state) => state.returnToLatest);
  const retryMessage = useChatStore((state) => state.retryMessage);
  const pending = useMemo(
    () => (jump ? [] : allPending.filter((item) => item.roomId === roomId)),
    [allPending, roomId, jump],
  );
  const keeper = may(useOwnRole(), 'delete-any');
  const { muted, setMuted } = useMuted(roomId);
  // Runs of muted messages the reader chose to see, by their first seq.
  const [unfolded, setUnfolded] = useState<ReadonlySet<number>>(() => new Set());
  const unreadAfterSeq = useUnreadMark(roomId, live);
  const rows = useMemo(
    () =>
      logRows(logEntries(messages, muted, unfolded), {
        now: new Date(),
        unreadAfterSeq,
        isOwn: (message) => isOwnMessage(message, { nickname, authorKey }),
      }),
    [messages, muted, unfolded, unreadAfterSeq, nickname, authorKey],
  );
  const mute = (authorKey: string) => setMuted(authorKey, true);

  const scrollerRef = useRef<HTMLDivElement>(null);
  // Mirrors of the scroll position for effects, which must not wait for a render.
  const atBottomRef = useRef(true);
  const distanceFromBottomRef = useRef(0);
  const firstSeqRef = useRef<number | undefined>(undefined);
  const pendingCountRef = useRef(0);
  const inJumpRef = useRef(false);
  const [atBottom, setAtBottom] = useState(true);
  const lastSeq = live[live.length - 1]?.seq ?? 0;
  const [seenThroughSeq, setSeenThroughSeq] = useState(lastSeq);
  const unseen = atBottom && !jump ? 0 : countNewer(live, seenThroughSeq);

  // Before paint: follow the bottom, or keep the view still when older messages were prepended.
  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    const firstSeq = messages[0]?.seq;
    const prepended =
      firstSeq !== undefined && firstSeqRef.current !== undefined && firstSeq < firstSeqRef.current;
    const sentOne = pending.length > pendingCountRef.current;
    firstSeqRef.current = firstSeq;
    pendingCountRef.current = pending.length;
    const entering = jump !== undefined && !inJumpRef.current;
    inJumpRef.current = jump !== undefined;
    const target = entering && document.getElementById(messageElementId(jump.targetSeq));
    if (target) {
      // A jump far back opens its window at the message, never at an end (which would load
      // more at once); the window does not follow its end either.
      atBottomRef.current = false;
      scroller.scrollTop = target.offsetTop - scroller.clientHeight / 2;
    } else if ((atBottomRef.current && !jump) || sentOne) {
      scroller.scrollTop = scroller.scrollHeight;
    } else if (prepended) {
      scroller.scrollTop =
        scroller.scrollHeight - scroller.clientHeight - distanceFromBottomRef.current;
    }
    distanceFromBottomRef.current =
      scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop;
  }, [messages, pending, jump]);

  // Stay at the bottom when the log itself changes size (phone keyboard, rotation, composer).
  useEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    const observer = new ResizeObserver(() => {
      if (atBottomRef.current) scroller.scrollTop = scroller.scrollHeight;
    });
    observer.observe(scroller);
    return () => observer.disconnect();
  }, []);

  // A log too short to scroll could never reach its top: fetch older pages until it can.
  useEffect(() => {
    const scroller = scrollerRef.current;
    if (scroller && hasMore && !loadingOlder && scroller.scrollHeight <= scroller.clientHeight) {
      void loadOlder();
    }
  }, [messages, hasMore, loadingOlder, loadOlder]);

  function onScroll() {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    const distance = scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop;
    const nowAtBottom = distance <= STICK_THRESHOLD_PX;
    // Whatever arrived while the reader was at the bottom has been seen.
    if (nowAtBottom || atBottomRef.current) setSeenThroughSeq(lastSeq);
    distanceFromBottomRef.current = distance;
    atBottomRef.current = nowAtBottom;
    setAtBottom(nowAtBottom);
    if (scroller.scrollTop <= LOAD_OLDER_THRESHOLD_PX && hasMore && !loadingOlder) {
      void loadOlder();
    }
    if (distance <= LOAD_OLDER_THRESHOLD_PX && jump?.hasNewer) void loadNewer();
  }

  function scrollToBottom() {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    if (jump) {
      // The live log replaces the window, and the layout effect takes it to its end.
      atBottomRef.current = true;
      returnToLatest();
      return;
    }
    const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    scroller.scrollTo({ top: scroller.scrollHeight, behavior: smooth ? 'smooth' : 'auto' });
  }

  return (
    <div className="log-frame">
      <div
        ref={scrollerRef}
        className="log"
        role="log"
        aria-label="Messages"
        // New messages are read out; an edit, a deletion or a reaction is not.
        aria-relevant="additions"
        aria-busy={loadingOlder}
        tabIndex={0}
        onScroll={onScroll}
      >
        <div className="log-start">
          {hasMore ? (
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => void loadOlder()}
            >
              {loadingOlder ? 'Loading earlier messages…' : 'Load earlier messages'}
            </button>
          ) : (
            <p>This is the beginning of the room.</p>
          )}
        </div>
        <ol className="message-list">
          {rows.map((entry) =>
            entry.kind === 'day' ? (
              <li key={`day-${entry.day}`} className="log-day">
                <h2>{entry.label}</h2>
              </li>
            ) : entry.kind === 'unread' ? (
              <li key="unread" className="log-unread">
                <p>New messages</p>
              </li>
            ) : entry.kind === 'muted' ? (
              <MutedRun
                key={`muted-${entry.firstSeq}`}
                messages={entry.messages}
                onShow={() => setUnfolded((was) => new Set(was).add(entry.firstSeq))}
                onUnmute={(key) => setMuted(key, false)}
              />
            ) : (
              <MessageItem
                key={entry.message.id}
                message={entry.message}
                own={isOwnMessage(entry.message, { nickname, authorKey })}
                continued={continuesGroup(messages[entry.index - 1], entry.message)}
                reader={nickname}
                keeper={keeper}
                onMute={isMuted(entry.message, muted) ? undefined : mute}
              />
            ),
          )}
          {pending.map((item) => (
            <PendingMessageItem
              key={`pending-${item.clientId}`}
              pending={item}
              author={nickname}
              onRetry={(clientId) => void retryMessage(clientId)}
            />
          ))}
        </ol>
        {jump?.hasNewer && (
          <div className="log-end">
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => void loadNewer()}
            >
              Load newer messages
            </button>
          </div>
        )}
      </div>
      {(!atBottom || jump) && (
        <button type="button" className="button new-messages" onClick={scrollToBottom}>
          Jump to latest{unseen > 0 && ` (${unseen} new)`}
          <span aria-hidden="true"> ↓</span>
        </button>
      )}
    </div>
  );
}

/** A run of messages from people the reader muted, folded into one line that can unfold. */
function MutedRun({
  messages,
  onShow,
  onUnmute,
}: {
  messages: Message[];
  onShow(): void;
  onUnmute(authorKey: string): void;
}) {
  const count = messages.length;
  const authors = new Set(messages.map((message) => message.authorKey!));
  const [onlyAuthor] = authors.size === 1 ? authors : [];
  return (
    <li className="message message-muted">
      <p>
        {count === 1 ? '1 message' : `${count} messages`} from{' '}
        {onlyAuthor ? 'a muted person' : 'muted people'}.{' '}
        <button type="button" className="button button-small button-quiet" onClick={onShow}>
          Show
        </button>
        {onlyAuthor && (
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={() => onUnmute(onlyAuthor)}
          >
            Unmute
          </button>
        )}
      </p>
    </li>
  );
}

/** How many messages arrived after `seq`; the log is ordered, so count from the end. */
function countNewer(messages: readonly Message[], seq: number): number {
  let count = 0;
  for (let index = messages.length - 1; index >= 0 && messages[index]!.seq > seq; index--) count++;
  return count;
}

/** Whether `message` continues a run of messages by the same author. */
function continuesGroup(previous: Message | undefined, message: Message): boolean {
  return (
    previous !== undefined &&
    previous.kind === 'user' &&
    message.kind === 'user' &&
    previous.author === message.author &&
    Date.parse(message.createdAt) - Date.parse(previous.createdAt) < GROUP_WINDOW_MS &&
    dayOf(previous.createdAt) === dayOf(message.createdAt)
  );
}
