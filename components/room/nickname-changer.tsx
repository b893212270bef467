'use client';

import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { checkNickname } from '@/lib/chat/nickname';
import { useChatStore } from '../chat-provider';

/** A "Change nickname" button that opens a small form; the room announces the new name. */
export function NicknameChanger() {
  const nickname = useChatStore((state) => state.room?.nickname ?? '');
  const changeNickname = useChatStore((state) => state.changeNickname);
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const ids = { panel: useId(), input: useId(), alert: useId() };

  useEffect(() => {
    if (open) inputRef.current?.select();
  }, [open]);

  function show() {
    setDraft(nickname);
    setError('');
    setOpen(true);
  }

  function close() {
    setOpen(false);
    toggleRef.current?.focus();
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const checked = checkNickname(draft);
    if (!checked.ok) {
      setError(checked.error.message);
      inputRef.current?.focus();
      return;
    }
    if (checked.value.display === nickname) return close();
    setBusy(true);
    const changed = await changeNickname(checked.value.display);
    setBusy(false);
    if (changed.ok) return close();
    setError(changed.error.message);
    inputRef.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  }

  return (
    <div className="nickname-changer">
      <button
        ref={toggleRef}
        type="button"
        className="button button-quiet"
        aria-expanded={open}
        aria-controls={open ? ids.panel : undefined}
        onClick={() => (open ? close() : show())}
      >
        Change nickname
      </button>
      {open && (
        <form
          id={ids.panel}
          className="popover nickname-form"
          aria-label="Change nickname"
          onSubmit={onSubmit}
          onKeyDown={onKeyDown}
          aria-busy={busy}
          noValidate
        >
          <div className="field">
            <label htmlFor={ids.input}>New nickname</label>
            <input
              ref={inputRef}
              id={ids.input}
              type="text"
              autoComplete="nickname"
              spellCheck={false}
              value={draft}
              onChange={(event) => setDraft(event.target.value)}
              aria-invalid={error !== '' || undefined}
              aria-describedby={error ? ids.alert : undefined}
            />
          </div>
          <div className="form-actions">
            <button type="submit" className="button button-primary">
              Save
            </button>
            <button type="button" className="button button-quiet" onClick={close}>
              Cancel
            </button>
          </div>
          <p id={ids.alert} role="alert" className="form-alert">
            {error}
          </p>
        </form>
      )}
    </div>
  );
}
