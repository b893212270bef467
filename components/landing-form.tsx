'use client';

import { useRouter } from 'next/navigation';
import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { checkNickname } from '@/lib/chat/nickname';
import { parseRoomReference, roomPath } from '@/lib/chat/room-id';
import { ErrorCode } from '@/lib/protocol/errors';
import { useChatStore } from './chat-provider';
import { NicknameField } from './nickname-field';
import { rememberNickname, useNicknameDraft } from './remembered-nickname';
import { useHydrated } from './use-hydrated';

type Intent = 'create' | 'join';
type Field = 'nickname' | 'roomId';

/** What is wrong with the last attempt, and which box it concerns (if one). */
interface Problem {
  field?: Field;
  message: string;
}

const EMPTY_ROOM_ID = 'Please enter a room ID, or paste a room link.';

/**
 * The landing page's form: a nickname plus either "Create room" or a room ID (or pasted link)
 * and "Join room". Navigates to the room once the server has let us in; on an error it keeps
 * everything typed and says what went wrong.
 */
export function LandingForm() {
  const router = useRouter();
  const createRoom = useChatStore((state) => state.createRoom);
  const joinRoom = useChatStore((state) => state.joinRoom);
  const [nickname, setNickname] = useNicknameDraft();
  const hydrated = useHydrated();
  const [roomReference, setRoomReference] = useState('');
  const [isPublic, setIsPublic] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState<Intent | null>(null);
  const nicknameRef = useRef<HTMLInputElement>(null);
  const roomIdRef = useRef<HTMLInputElement>(null);
  const ids = {
    roomId: useId(),
    roomIdHint: useId(),
    publicRoom: useId(),
    publicHint: useId(),
    alert: useId(),
  };

  function fail(next: Problem) {
    setProblem(next);
    setBusy(null);
    if (next.field === 'nickname') nicknameRef.current?.focus();
    if (next.field === 'roomId') roomIdRef.current?.focus();
  }

  async function start(intent: Intent) {
    if (busy) return;
    const checked = checkNickname(nickname);
    if (!checked.ok) return fail({ field: 'nickname', message: checked.error.message });
    let roomId: string | undefined;
    if (intent === 'join') {
      if (roomReference.trim() === '') return fail({ field: 'roomId', message: EMPTY_ROOM_ID });
      const parsed = parseRoomReference(roomReference);
      if (!parsed.ok) return fail({ field: 'roomId', message: parsed.error.message });
      roomId = parsed.value;
    }
    setProblem(null);
    setBusy(intent);
    if (roomId === undefined) {
      const created = await createRoom({ isPublic });
      if (!created.ok) return fail({ message: created.error.message });
      roomId = created.value;
    }
    const joined = await joinRoom(roomId, checked.value.display);
    if (!joined.ok)
      return fail({ field: fieldOf(joined.error.code), message: joined.error.message });
    rememberNickname(checked.value.display);
    router.push(roomPath(joined.value));
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    void start(submitter?.getAttribute('value') === 'join' ? 'join' : 'create');
  }

  // Enter in a text box would always "click" the first button (Create room); pick by context.
  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
    if (!(event.target instanceof HTMLInputElement)) return;
    event.preventDefault();
    const inRoomIdBox = event.target === roomIdRef.current;
    void start(inRoomIdBox || roomReference.trim() !== '' ? 'join' : 'create');
  }

  const describedBy = (field: Field) => (problem?.field === field ? ids.alert : undefined);

  return (
    <form
      className="card landing-form"
      onSubmit={onSubmit}
      onKeyDown={onKeyDown}
      aria-busy={busy !== null}
      noValidate
    >
      <fieldset className="form-fields" disabled={!hydrated}>
        <NicknameField
          ref={nicknameRef}
          value={nickname}
          onChange={setNickname}
          errorId={describedBy('nickname')}
        />

        <div className="field field-check">
          <input
            id={ids.publicRoom}
            name="public"
            type="checkbox"
            checked={isPublic}
            onChange={(event) => setIsPublic(event.target.checked)}
            aria-describedby={ids.publicHint}
          />
          <label htmlFor={ids.publicRoom}>Public room</label>
          <p id={ids.publicHint} className="hint">
            Listed below for anyone to join. Otherwise only people with the link can find it.
          </p>
        </div>

        <button type="submit" name="intent" value="create" className="button button-primary">
          Create room
        </button>

        <p className="divider">
          <span>or join an existing room</span>
        </p>

        <div className="field">
          <label htmlFor={ids.roomId}>Room ID</label>
          <input
            ref={roomIdRef}
            id={ids.roomId}
            name="roomId"
            type="text"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            placeholder="k3vq-8m2x-d7tp"
            value={roomReference}
            onChange={(event) => setRoomReference(event.target.value)}
            aria-invalid={problem?.field === 'roomId' || undefined}
            aria-describedby={[ids.roomIdHint, describedBy('roomId')].filter(Boolean).join(' ')}
          />
          <p id={ids.roomIdHint} className="hint">
            A room ID, or the whole link someone shared with you.
          </p>
        </div>

        <button type="submit" name="intent" value="join" className="button button-secondary">
          Join room
        </button>
      </fieldset>

      <p id={ids.alert} role="alert" className="form-alert">
        {problem?.message}
      </p>
    </form>
  );
}

/** Which box a server error is about, so that focus can go there. */
function fieldOf(code: ErrorCode): Field | undefined {
  if (code === ErrorCode.NicknameTaken) return 'nickname';
  if (code === ErrorCode.RoomNotFound) return 'roomId';
  return undefined;
}
