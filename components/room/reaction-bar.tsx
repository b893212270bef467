'use client';

import { useId } from 'react';
import type { Reaction } from '@/lib/protocol/definitions';

interface ReactionBarProps {
  reactions: readonly Reaction[];
  /** The reader's nickname: their own reactions show pressed, and a click takes them off. */
  reader: string;
  onToggle(emoji: string, on: boolean): void;
}

/** A message's reactions: each emoji with its count, and on hover or focus who gave it. */
export function ReactionBar({ reactions, reader, onToggle }: ReactionBarProps) {
  const baseId = useId();
  return (
    <ul className="reactions" aria-label="Reactions">
      {reactions.map(({ emoji, nicknames }, index) => {
        const mine = nicknames.includes(reader);
        const whoId = `${baseId}-${index}`;
        const count = nicknames.length;
        return (
          <li key={emoji} className="reaction">
            <button
              type="button"
              className="reaction-button"
              aria-pressed={mine}
              aria-label={`${emoji} ${count} ${count === 1 ? 'reaction' : 'reactions'}${mine ? ', including yours' : ''}`}
              aria-describedby={whoId}
              onClick={() => onToggle(emoji, !mine)}
            >
              <span aria-hidden="true">{emoji}</span>
              <span className="reaction-count" aria-hidden="true">
                {count}
              </span>
            </button>
            <span id={whoId} role="tooltip" className="reaction-who">
              {nicknames.join(', ')}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
