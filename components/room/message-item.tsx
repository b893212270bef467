import { useEffect, useMemo, useState } from 'react';
import type { PendingMessage } from '@/lib/client/chat-store';
import { mentions } from '@/lib/client/mentions';
import { excerpt } from '@/lib/chat/message-changes';
import type { Message } from '@/lib/protocol/definitions';
import { EDIT_WINDOW_MS } from '@/lib/protocol/limits';
import { useChatStore } from '../chat-provider';
import { ConfirmDialog } from './confirm-dialog';
import { useMessageActions } from './message-actions';
import { MessageEditor } from './message-editor';
import { MessageText } from './message-text';
import { MessageTime } from './message-time';
import { MessageToolbar } from './message-toolbar';
import { ReactionBar } from './reaction-bar';
import { ReplyQuote } from './reply-quote';
import { messageElementId, useJumpToMessage } from './use-jump-to-message';

interface MessageItemProps {
  message: Message;
  own: boolean;
  /** Follows a message by the same author shortly before: the name is only read out. */
  continued: boolean;
  /** The reader's nickname, to mark messages by others that @mention it. */
  reader: string;
  /** The reader keeps the room (owner or moderator), so may delete anyone's message. */
  keeper?: boolean;
  /** Hides this author's messages from the reader; absent where muting is not offered. */
  onMute?(authorKey: string): void;
}

/** One message of the log: a member's words, or a system announcement. */
export function MessageItem(props: MessageItemProps) {
  const { message, reader } = props;
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
  return <UserMessage {...props} mentioned={mentioned} />;
}

function UserMessage(props: MessageItemProps & { mentioned: boolean }) {
  const { message, own, continued, mentioned } = props;
  const jumpToMessage = useJumpToMessage();
  const deleted = message.deletedAt !== undefined;
  return (
    <li
      id={messageElementId(message.seq)}
      tabIndex={-1}
      className="message message-user"
      data-own={own || undefined}
      data-continued={(continued && !message.replyTo) || undefined}
      data-mention={mentioned || undefined}
      data-deleted={deleted || undefined}
    >
      <div className="bubble">
        {message.replyTo && (
          <ReplyQuote quote={message.replyTo} onJump={(seq) => void jumpToMessage(seq)} />
        )}
        <p className="message-meta">
          <span className="message-author">{message.author}</span>{' '}
          <MessageTime iso={message.createdAt} />
          {message.editedAt && !deleted && <EditedMark iso={message.editedAt} />}
          {mentioned && <span className="message-mention-tag">mentions you</span>}
          {own && !deleted && (
            <span className="message-sent" title="Sent">
              <span aria-hidden="true">✓</span>
              <span className="visually-hidden">Sent</span>
            </span>
          )}
        </p>
        {deleted ? (
          <p className="message-text message-deleted">
            {message.deletedBy === 'moderator'
              ? 'Message deleted by a moderator'
              : 'Message deleted'}
          </p>
        ) : (
          <MessageBody {...props} />
        )}
      </div>
    </li>
  );
}

/** "(edited)", with the edit's time on hover and to screen readers. */
function EditedMark({ iso }: { iso: string }) {
  const when = new Date(iso).toLocaleString();
  return (
    <time className="message-edited" dateTime={iso} title={`Edited ${when}`}>
      (edited)<span className="visually-hidden"> {when}</span>
    </time>
  );
}

/** A standing message's text (or its editor), reactions and actions. */
function MessageBody({ message, own, reader, keeper, onMute }: MessageItemProps) {
  const editMessage = useChatStore((state) => state.editMessage);
  const deleteMessage = useChatStore((state) => state.deleteMessage);
  const setReaction = useChatStore((state) => state.setReaction);
  const actions = useMessageActions();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState('');
  const editing = actions.editingSeq === message.seq;
  // As of when it was shown: the server refuses a late edit with a sentence anyway.
  const [shownAt] = useState(() => Date.now());
  const editable = own && shownAt - Date.parse(message.createdAt) < EDIT_WINDOW_MS;

  const react = async (emoji: string, on: boolean) => {
    const result = await setReaction(message.seq, emoji, on);
    setError(result.ok ? '' : result.error.message);
  };

  return (
    <>
      {editing ? (
        <MessageEditor
          text={message.text}
          onSave={async (text) => {
            const result = await editMessage(message.seq, text);
            if (!result.ok) return result.error.message;
            actions.edit(null);
            actions.focusComposer();
          }}
          onCancel={() => {
            actions.edit(null);
            actions.focusComposer();
          }}
        />
      ) : (
        <div className="message-text">
          <MessageText text={message.text} />
        </div>
      )}
      {message.reactions && (
        <ReactionBar reactions={message.reactions} reader={reader} onToggle={react} />
      )}
      {error && (
        <p role="alert" className="message-action-error">
          {error}
        </p>
      )}
      {!editing && (
        <MessageToolbar
          author={message.author}
          own={own}
          editable={editable}
          deletable={own || keeper === true}
          onReply={() => {
            actions.replyTo({
              seq: message.seq,
              author: message.author,
              excerpt: excerpt(message.text),
            });
            actions.focusComposer();
          }}
          onReact={(emoji) => {
            const mine = message.reactions?.find((each) => each.emoji === emoji);
            void react(emoji, !mine?.nicknames.includes(reader));
          }}
          onEdit={() => actions.edit(message.seq)}
          onDelete={() => setConfirming(true)}
          onMute={
            onMute && !own && message.authorKey ? () => onMute(message.authorKey!) : undefined
          }
        />
      )}
      {confirming && (
        <ConfirmDialog
          title="Delete this message?"
          confirmLabel="Delete"
          onConfirm={async () => {
            const result = await deleteMessage(message.seq);
            setError(result.ok ? '' : result.error.message);
          }}
          onClose={() => setConfirming(false)}
        >
          <p>
            It will be replaced by “{own ? 'message deleted' : 'message deleted by a moderator'}”
            for everyone. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </>
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
        {pending.replyTo && <ReplyQuote quote={pending.replyTo} />}
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
