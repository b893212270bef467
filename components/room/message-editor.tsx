'use client';

import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { checkMessageText } from '@/lib/chat/message-text';

interface MessageEditorProps {
  text: string;
  onSave(text: string): Promise<string | undefined>;
  onCancel(): void;
}

/**
 * A message's text in place, to edit: Enter saves, Shift+Enter starts a new line, Escape
 * cancels. A refusal (too late, say) stays on screen with the text kept.
 */
export function MessageEditor({ text, onSave, onCancel }: MessageEditorProps) {
  const [draft, setDraft] = useState(text);
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  const ids = { input: useId(), hint: useId(), alert: useId() };

  useEffect(() => {
    const input = ref.current;
    if (!input) return;
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }, []);

  async function save() {
    const checked = checkMessageText(draft);
    if (!checked.ok) return setError(checked.error.message);
    if (checked.value === text) return onCancel();
    setSaving(true);
    const refusal = await onSave(checked.value);
    setSaving(false);
    if (refusal) setError(refusal);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void save();
    }
  }

  return (
    <form
      className="message-editor"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <label htmlFor={ids.input} className="visually-hidden">
        Edit message
      </label>
      <textarea
        ref={ref}
        id={ids.input}
        className="message-editor-input"
        value={draft}
        rows={Math.min(8, draft.split('\n').length)}
        onChange={(event) => {
          setDraft(event.target.value);
          if (error) setError('');
        }}
        onKeyDown={onKeyDown}
        aria-invalid={error !== '' || undefined}
        aria-describedby={`${ids.hint} ${ids.alert}`}
      />
      <p id={ids.hint} className="message-editor-hint">
        Enter to save, Escape to cancel
      </p>
      <div className="message-editor-buttons">
        <button type="button" className="button button-small button-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-small button-primary" disabled={saving}>
          Save
        </button>
      </div>
      <p id={ids.alert} role="alert" className="form-alert">
        {error}
      </p>
    </form>
  );
}
