'use client';

import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import { isOwnMessage } from '@/lib/client/own-message';
import { TypingSignal } from '@/lib/client/typing-signal';
import type { Message } from '@/lib/protocol/definitions';
import { checkMessageText } from '@/lib/chat/message-text';
import { EDIT_WINDOW_MS, MAX_MESSAGE_LENGTH } from '@/lib/protocol/limits';
import { useChatStore } from '../chat-provider';
import { EmojiPickerButton } from './emoji-picker-button';
import { useMessageActions } from './message-actions';
import { ReplyQuote } from './reply-quote';

/** From this many characters on, the composer shows how many are left. */
const COUNTER_FROM = MAX_MESSAGE_LENGTH - 500;

/**
 * The message box: Enter sends, Shift+Enter starts a new line. Sending clears the box at
 * once; the message shows in the log as "Sending…" until the server confirms it. Above it,
 * the message being replied to, with a button (or Escape) to stop replying; arrow up in the
 * empty box edits one's last message. Beside the box, an emoji picker that types at the caret;
 * Send stays marked unavailable (still focusable, and saying why) while the box is blank.
 */
export function Composer() {
  const sendMessage = useChatStore((state) => state.sendMessage);
  const { replyingTo, replyTo, edit, setComposerFocus } = useMessageActions();
  const lastOwnSeq = useChatStore((state) => lastEditableSeq(state.room));
  const setTyping = useChatStore((state) => state.setTyping);
  const [typing] = useState(() => new TypingSignal({ send: (now) => void setTyping(now) }));
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const inputRef = useRef<HTMLTextAreaElement>(null);
  /** Where the caret goes once the text set by a picked emoji is in the box. */
  const caretRef = useRef<number | null>(null);
  const ids = { input: useId(), counter: useId(), alert: useId(), blank: useId() };
  const length = Array.from(text).length;
  const blank = text.trim() === '';

  // Entering a room leaves focus nowhere (the form that joined is gone): start in the box,
  // except on touch screens, where that would pop up the keyboard unasked.
  useEffect(() => {
    const focusLost = !document.activeElement || document.activeElement === document.body;
    if (focusLost && window.matchMedia('(pointer: fine)').matches) {
      inputRef.current?.focus({ preventScroll: true });
    }
  }, []);

  useEffect(() => setComposerFocus(() => inputRef.current?.focus()), [setComposerFocus]);

  // Leaving the room (or the page) while typing says so.
  useEffect(() => () => typing.stop(), [typing]);

  // A controlled textarea puts the caret at the end when its value changes; an emoji picked
  // in the middle of the text puts it back just after the emoji.
  useLayoutEffect(() => {
    const caret = caretRef.current;
    if (caret === null) return;
    caretRef.current = null;
    inputRef.current?.setSelectionRange(caret, caret);
  }, [text]);

  function insertEmoji(emoji: string) {
    const input = inputRef.current;
    const start = input?.selectionStart ?? text.length;
    const end = input?.selectionEnd ?? text.length;
    caretRef.current = start + emoji.length;
    setText(text.slice(0, start) + emoji + text.slice(end));
    if (error) setError('');
    typing.input();
    input?.focus();
  }

  function send() {
    const checked = checkMessageText(text);
    inputRef.current?.focus();
    if (!checked.ok) {
      // An empty box is not worth a message; anything else is.
      setError(text.trim() === '' ? '' : checked.error.message);
      return;
    }
    setText('');
    setError('');
    typing.stop();
    replyTo(null);
    void sendMessage(checked.value, { replyTo: replyingTo ?? undefined });
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    send();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Escape' && replyingTo) {
      event.preventDefault();
      replyTo(null);
    } else if (event.key === 'ArrowUp' && text === '' && lastOwnSeq !== undefined) {
      event.preventDefault();
      edit(lastOwnSeq);
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  return (
    <form className="composer" onSubmit={onSubmit}>
      {replyingTo && (
        <div className="reply-bar">
          <span className="reply-bar-label">Replying to</span>
          <ReplyQuote quote={replyingTo} />
          <button
            type="button"
            className="button button-small button-quiet"
            aria-label={`Stop replying to ${replyingTo.author}`}
            onClick={() => {
              replyTo(null);
              inputRef.current?.focus();
            }}
          >
            <span aria-hidden="true">✕</span>
          </button>
        </div>
      )}
      <label htmlFor={ids.input} className="visually-hidden">
        Message
      </label>
      <textarea
        ref={inputRef}
        id={ids.input}
        className="composer-input"
        rows={1}
        placeholder="Write a message…"
        enterKeyHint="send"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          if (error) setError('');
          if (event.target.value.trim() === '') typing.stop();
          else typing.input();
        }}
        onBlur={() => typing.stop()}
        onKeyDown={onKeyDown}
        aria-invalid={error !== '' || undefined}
        aria-describedby={
          [length >= COUNTER_FROM ? ids.counter : '', error ? ids.alert : '']
            .filter(Boolean)
            .join(' ') || undefined
        }
      />
      <EmojiPickerButton onPick={insertEmoji} />
      {/* aria-disabled, not disabled: the button stays focusable and its hint can be read. */}
      <button
        type="submit"
        className="button button-primary composer-send"
        aria-disabled={blank || undefined}
        aria-describedby={blank ? ids.blank : undefined}
      >
        Send
      </button>
      <span id={ids.blank} className="visually-hidden">
        Write a message first
      </span>
      <div className="composer-notes">
        {length >= COUNTER_FROM && (
          <p
            id={ids.counter}
            className="composer-counter"
            data-over={length > MAX_MESSAGE_LENGTH || undefined}
          >
            {length > MAX_MESSAGE_LENGTH
              ? `${length - MAX_MESSAGE_LENGTH} characters too many`
              : `${MAX_MESSAGE_LENGTH - length} characters left`}
          </p>
        )}
        <p id={ids.alert} role="alert" className="form-alert">
          {error}
        </p>
      </div>
    </form>
  );
}

/** The newest message of ours that may still be edited, for arrow up in an empty box. */
function lastEditableSeq(
  room: { nickname: string; authorKey: string; messages: readonly Message[] } | null,
): number | undefined {
  if (!room) return undefined;
  for (let index = room.messages.length - 1; index >= 0; index--) {
    const message = room.messages[index]!;
    if (!isOwnMessage(message, room)) continue;
    if (message.deletedAt !== undefined) continue;
    return Date.now() - Date.parse(message.createdAt) < EDIT_WINDOW_MS ? message.seq : undefined;
  }
  return undefined;
}
