'use client';

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Ban, RoomInfo } from '@/lib/protocol/definitions';
import { checkRoomTitle, checkRoomTopic } from '@/lib/chat/moderation';
import { useChatStore } from '../chat-provider';

/** The slow-mode choices offered, in seconds (0: off); the server takes any up to an hour. */
const SLOW_MODES: [number, string][] = [
  [0, 'Off'],
  [5, '5 seconds'],
  [10, '10 seconds'],
  [30, '30 seconds'],
  [60, '1 minute'],
  [300, '5 minutes'],
  [900, '15 minutes'],
  [3_600, '1 hour'],
];

/**
 * The room's settings for its keepers (owner and moderators): title, topic, lock and slow
 * mode, saved together; and the bans in force, each of which can be lifted. A modal dialog.
 */
export function RoomSettingsDialog({ onClose }: { onClose(): void }) {
  const info = useChatStore((state) => state.room?.info);
  const updateRoom = useChatStore((state) => state.updateRoom);
  const ref = useRef<HTMLDialogElement>(null);
  const ids = { title: useId(), topic: useId(), locked: useId(), slow: useId(), error: useId() };
  const headingId = useId();
  const [draft, setDraft] = useState<RoomInfo>(
    () => info ?? { title: '', topic: '', locked: false, slowModeSeconds: 0 },
  );
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const title = checkRoomTitle(draft.title);
    const topic = checkRoomTopic(draft.topic);
    const refused = [title, topic].find((checked) => !checked.ok);
    if (refused && !refused.ok) return setError(refused.error.message);
    setBusy(true);
    const result = await updateRoom(draft);
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    ref.current?.close();
  }

  const slowModes = SLOW_MODES.some(([seconds]) => seconds === draft.slowModeSeconds)
    ? SLOW_MODES
    : [...SLOW_MODES, [draft.slowModeSeconds, `${draft.slowModeSeconds} seconds`] as const];

  return (
    <dialog
      ref={ref}
      className="dialog room-settings"
      aria-labelledby={headingId}
      onClose={onClose}
    >
      <h2 id={headingId} className="dialog-title">
        Room settings
      </h2>
      <form className="room-settings-form" onSubmit={save} aria-busy={busy} noValidate>
        <div className="field">
          <label htmlFor={ids.title}>Title</label>
          <input
            id={ids.title}
            type="text"
            value={draft.title}
            placeholder="Called by its ID when empty"
            aria-describedby={error ? ids.error : undefined}
            onChange={(event) => setDraft({ ...draft, title: event.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.topic}>Topic</label>
          <input
            id={ids.topic}
            type="text"
            value={draft.topic}
            onChange={(event) => setDraft({ ...draft, topic: event.target.value })}
          />
        </div>
        <div className="field field-check">
          <input
            id={ids.locked}
            type="checkbox"
            checked={draft.locked}
            onChange={(event) => setDraft({ ...draft, locked: event.target.checked })}
          />
          <label htmlFor={ids.locked}>Locked: nobody new can join</label>
        </div>
        <div className="field">
          <label htmlFor={ids.slow}>Slow mode: one message per person every</label>
          <select
            id={ids.slow}
            value={draft.slowModeSeconds}
            onChange={(event) =>
              setDraft({ ...draft, slowModeSeconds: Number(event.target.value) })
            }
          >
            {slowModes.map(([seconds, label]) => (
              <option key={seconds} value={seconds}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <p id={ids.error} role="alert" className="form-alert">
          {error}
        </p>
        <div className="dialog-buttons">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => ref.current?.close()}
          >
            Cancel
          </button>
          <button type="submit" className="button button-primary">
            Save
          </button>
        </div>
      </form>
      <BanList />
    </dialog>
  );
}

/** The room's bans in force, read when the settings open, each with a way to lift it. */
function BanList() {
  const listBans = useChatStore((state) => state.listBans);
  const liftBan = useChatStore((state) => state.liftBan);
  const [bans, setBans] = useState<Ban[] | null>(null);
  const [error, setError] = useState('');
  const headingId = useId();

  useEffect(() => {
    let cancelled = false;
    void listBans().then((result) => {
      if (cancelled) return;
      if (result.ok) setBans(result.value);
      else setError(result.error.message);
    });
    return () => {
      cancelled = true;
    };
  }, [listBans]);

  async function lift(ban: Ban) {
    const result = await liftBan(ban.banId);
    if (!result.ok) return setError(result.error.message);
    setError('');
    setBans((was) => was?.filter((each) => each.banId !== ban.banId) ?? null);
  }

  return (
    <section className="ban-list" aria-labelledby={headingId}>
      <h3 id={headingId}>Bans</h3>
      {bans === null ? (
        !error && <p className="hint">Reading the bans…</p>
      ) : bans.length === 0 ? (
        <p className="hint">Nobody is banned.</p>
      ) : (
        <ul aria-labelledby={headingId}>
          {bans.map((ban) => (
            <li key={ban.banId} className="ban">
              <span>
                <strong>{ban.nickname}</strong>, by {ban.bannedBy},{' '}
                {ban.until === null ? 'until lifted' : `until ${formatTime(ban.until)}`}
              </span>
              <button
                type="button"
                className="button button-small button-secondary"
                aria-label={`Lift the ban on ${ban.nickname}`}
                onClick={() => void lift(ban)}
              >
                Unban
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p role="alert" className="form-alert">
          {error}
        </p>
      )}
    </section>
  );
}

function formatTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
