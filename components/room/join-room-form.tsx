'use client';

import { useId, useRef, useState, type FormEvent } from 'react';
import { checkNickname } from '@/lib/chat/nickname';
import { ErrorCode } from '@/lib/protocol/errors';
import { useChatStore } from '../chat-provider';
import { NicknameField } from '../nickname-field';
import { rememberNickname, useNicknameDraft } from '../remembered-nickname';

interface JoinRoomFormProps {
  roomId: string;
  /** A problem found before the form was shown (e.g. the server did not answer). */
  initialError?: string;
  /** Called when the server says the room does not exist (it closed meanwhile). */
  onRoomMissing(): void;
}

/** Asks a visitor of a room link for a nickname, then joins; the store then shows the room. */
export function JoinRoomForm({ roomId, initialError, onRoomMissing }: JoinRoomFormProps) {
  const joinRoom = useChatStore((state) => state.joinRoom);
  const [nickname, setNickname] = useNicknameDraft();
  const [error, setError] = useState(initialError ?? '');
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const alertId = useId();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const checked = checkNickname(nickname);
    if (!checked.ok) {
      setError(checked.error.message);
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    const joined = await joinRoom(roomId, checked.value.display);
    setBusy(false);
    if (joined.ok) {
      rememberNickname(checked.value.display);
      return;
    }
    if (joined.error.code === ErrorCode.RoomNotFound) return onRoomMissing();
    setError(joined.error.message);
    inputRef.current?.focus();
  }

  return (
    <form className="join-form" onSubmit={onSubmit} aria-busy={busy} noValidate>
      <NicknameField
        ref={inputRef}
        value={nickname}
        onChange={setNickname}
        errorId={error ? alertId : undefined}
      />
      <button type="submit" className="button button-primary">
        Join room
      </button>
      <p id={alertId} role="alert" className="form-alert">
        {error}
      </p>
    </form>
  );
}
