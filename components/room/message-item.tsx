import { useEffect, useMemo, useState } from 'react';
import type { PendingMessage } from '@/lib/client/chat-store';
import { mentions } from '@/lib/client/mentions';
import type { Message } from '@/lib/protocol/definitions';
import { MessageText } from './message-text';
import { MessageTime } from './message-time';

interface MessageItemProps {
  message: Message;
  own: boolean;
  /** Follows a message by the same author shortly before: the name is only read out. */
  continued: boolean;
  /** The reader's nickname, to mark messages by others that @mention it. */
  reader: string;
}

/** One message of the log: a member's words, or a system announcement. */
export function MessageItem({ message, own, continued, reader }: MessageItemProps) {
  // Once per message and nickname, not on every render of the log.
  const mentioned = useMemo(
    () => message.kind === 'user' && message.author !== reader && mentions(message.text, reader),
    [message, reader],
  );
  if (message.kind === 'system') {
    return (
      <li className="message message-system">
        <p>
          <span>{message.text}</span> <MessageTime iso={message.createdAt} />
        </p>
      </li>
    );
  }
  return (
    <li
      className="message message-user"
      data-own={own || undefined}
      data-continued={continued || undefined}
      data-mention={mentioned || undefined}
    >
      <div className="bubble">
        <p className="message-meta">
          <span className="message-author">{message.author}</span>{' '}
          <MessageTime iso={message.createdAt} />
          {mentioned && <span className="message-mention-tag">mentions you</span>}
          {own && (
            <span className="message-sent" title="Sent">
              <span aria-hidden="true">✓</span>
              <span className="visually-hidden">Sent</span>
            </span>
          )}
        </p>
        <div className="message-text">
          <MessageText text={message.text} />
        </div>
      </div>
    </li>
  );
}

interface PendingMessageItemProps {
  pending: PendingMessage;
  author: string;
  onRetry(clientId: string): void;
}

/** One of our messages the server has not confirmed yet, or refused. */
export function PendingMessageItem({ pending, author, onRetry }: PendingMessageItemProps) {
  const failed = pending.status === 'failed';
  return (
    <li className="message message-user" data-own data-status={pending.status}>
      <div className="bubble">
        <p className="message-meta">
          <span className="message-author">{author}</span> <MessageTime iso={pending.createdAt} />
        </p>
        <div className="message-text">
          <MessageText text={pending.text} />
        </div>
      </div>
      {failed ? (
        <p className="message-status" data-status="failed">
          Not sent: {pending.error}{' '}
          <button
            type="button"
            className="button button-small button-secondary"
            onClick={() => onRetry(pending.clientId)}
          >
            Retry
          </button>
        </p>
      ) : (
        <p className="message-status" data-status="sending" role="status">
          <SendingStatus retryAt={pending.retryAt} />
        </p>
      )}
    </li>
  );
}

/** "Sending…", or while the server has asked the message to wait, the seconds left. */
function SendingStatus({ retryAt }: { retryAt: number | undefined }) {
  const secondsLeft = useSecondsUntil(retryAt);
  if (secondsLeft > 0) return <>Too fast: sending again in {secondsLeft} s…</>;
  return <>Sending…</>;
}

/** Whole seconds until `time` (ms since the epoch), counting down; 0 once it has passed. */
function useSecondsUntil(time: number | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (time === undefined) return;
    const tick = setInterval(() => setNow(Date.now()), 250);
    const stop = setTimeout(() => clearInterval(tick), Math.max(0, time - Date.now()) + 250);
    return () => {
      clearInterval(tick);
      clearTimeout(stop);
    };
  }, [time]);
  return time === undefined ? 0 : Math.max(0, Math.ceil((time - now) / 1000));
}
