'use client';

import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { TypingSignal } from '@/lib/client/typing-signal';
import { checkMessageText } from '@/lib/chat/message-text';
import { MAX_MESSAGE_LENGTH } from '@/lib/protocol/limits';
import { useChatStore } from '../chat-provider';

/** From this many characters on, the composer shows how many are left. */
const COUNTER_FROM = MAX_MESSAGE_LENGTH - 500;

/**
 * The message box: Enter sends, Shift+Enter starts a new line. Sending clears the box at
 * once; the message shows in the log as "Sending…" until the server confirms it.
 */
export function Composer() {
  const sendMessage = useChatStore((state) => state.sendMessage);
  const setTyping = useChatStore((state) => state.setTyping);
  const [typing] = useState(() => new TypingSignal({ send: (now) => void setTyping(now) }));
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const ids = { input: useId(), counter: useId(), alert: useId() };
  const length = Array.from(text).length;

  // Entering a room leaves focus nowhere (the form that joined is gone): start in the box,
  // except on touch screens, where that would pop up the keyboard unasked.
  useEffect(() => {
    const focusLost = !document.activeElement || document.activeElement === document.body;
    if (focusLost && window.matchMedia('(pointer: fine)').matches) {
      inputRef.current?.focus({ preventScroll: true });
    }
  }, []);

  // Leaving the room (or the page) while typing says so.
  useEffect(() => () => typing.stop(), [typing]);

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
    void sendMessage(checked.value);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    send();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    send();
  }

  return (
    <form className="composer" onSubmit={onSubmit}>
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
      <button type="submit" className="button button-primary composer-send">
        Send
      </button>
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
