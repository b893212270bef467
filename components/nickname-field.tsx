'use client';

import { useId, type Ref } from 'react';

interface NicknameFieldProps {
  ref?: Ref<HTMLInputElement>;
  value: string;
  onChange(nickname: string): void;
  /** The ID of the message that says what is wrong with the nickname, while something is. */
  errorId?: string;
}

/** The labelled nickname box of the forms that join a room (landing page and room link). */
export function NicknameField({ ref, value, onChange, errorId }: NicknameFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Nickname</label>
      <input
        ref={ref}
        id={id}
        name="nickname"
        type="text"
        autoComplete="nickname"
        autoCapitalize="words"
        spellCheck={false}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={errorId !== undefined || undefined}
        aria-describedby={errorId}
      />
    </div>
  );
}
