'use client';

import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

/** The emoji the picker offers; the server takes any single emoji. */
export const QUICK_REACTIONS = [
  ['👍', 'thumbs up'],
  ['❤️', 'heart'],
  ['😂', 'laughing'],
  ['🎉', 'party'],
  ['😮', 'surprised'],
  ['😢', 'sad'],
  ['👀', 'eyes'],
  ['🙏', 'thanks'],
] as const;

interface MessageToolbarProps {
  /** Who wrote the message, for the toolbar's name ("Actions for Bob's message"). */
  author: string;
  own: boolean;
  /** Whether its text may still be edited. */
  editable: boolean;
  /** Whether the reader may delete it (their own, or anyone's for the room's keepers). */
  deletable: boolean;
  onReply(): void;
  onReact(emoji: string): void;
  onEdit(): void;
  onDelete(): void;
  /** Hides its author's messages from the reader; absent on the reader's own. */
  onMute?(): void;
}

/**
 * The actions on one message: a toolbar shown on hover and focus (and by its "…" button on
 * touch screens). One tab stop per message; the arrow keys move between the buttons, as in
 * any ARIA toolbar. React opens a picker of common emoji, reachable the same way.
 */
export function MessageToolbar(props: MessageToolbarProps) {
  const { author, own, editable, deletable, onReply, onReact, onEdit, onDelete, onMute } = props;
  const [picking, setPicking] = useState(false);
  const [open, setOpen] = useState(false);
  const pickerId = useId();
  const toolbarRef = useRef<HTMLDivElement>(null);
  const reactRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (picking) toolbarRef.current?.querySelector<HTMLButtonElement>('.reaction-pick')?.focus();
  }, [picking]);

  function closePicker() {
    setPicking(false);
    reactRef.current?.focus();
  }

  return (
    <div className="message-actions" data-open={open || picking || undefined}>
      <button
        type="button"
        className="message-actions-more"
        aria-label={`Actions for ${author}’s message`}
        aria-expanded={open}
        onClick={() => setOpen((was) => !was)}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      <div
        ref={toolbarRef}
        className="message-toolbar"
        role="toolbar"
        aria-label={`Actions for ${author}’s message`}
        onKeyDown={moveFocus}
      >
        <button
          ref={reactRef}
          type="button"
          className="toolbar-button"
          aria-expanded={picking}
          aria-controls={picking ? pickerId : undefined}
          onClick={() => setPicking((was) => !was)}
        >
          <span aria-hidden="true">☺</span> React
        </button>
        <button type="button" className="toolbar-button" tabIndex={-1} onClick={onReply}>
          <span aria-hidden="true">↩</span> Reply
        </button>
        {own && editable && (
          <button type="button" className="toolbar-button" tabIndex={-1} onClick={onEdit}>
            <span aria-hidden="true">✎</span> Edit
          </button>
        )}
        {deletable && (
          <button type="button" className="toolbar-button" tabIndex={-1} onClick={onDelete}>
            <span aria-hidden="true">🗑</span> Delete
          </button>
        )}
        {onMute && (
          <button
            type="button"
            className="toolbar-button"
            tabIndex={-1}
            aria-label={`Mute ${author}`}
            onClick={onMute}
          >
            <span aria-hidden="true">🔇</span> Mute
          </button>
        )}
        {picking && (
          <div
            id={pickerId}
            className="reaction-picker"
            role="group"
            aria-label="Pick a reaction"
            onKeyDown={(event) => {
              if (event.key !== 'Escape') return;
              event.stopPropagation();
              closePicker();
            }}
          >
            {QUICK_REACTIONS.map(([emoji, name]) => (
              <button
                key={emoji}
                type="button"
                className="reaction-pick"
                aria-label={`React with ${name}`}
                title={name}
                onClick={() => {
                  onReact(emoji);
                  closePicker();
                }}
              >
                {emoji}
              </button>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}

/** Arrow keys, Home and End move focus among a toolbar's buttons (roving tab index). */
function moveFocus(event: KeyboardEvent<HTMLDivElement>) {
  const keys: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
  if (!(event.key in keys) && event.key !== 'Home' && event.key !== 'End') return;
  const buttons = [
    ...event.currentTarget.querySelectorAll<HTMLButtonElement>(
      event.target instanceof HTMLElement && event.target.closest('.reaction-picker')
        ? '.reaction-pick'
        : ':scope > .toolbar-button',
    ),
  ];
  const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
  if (at === -1) return;
  event.preventDefault();
  const next =
    event.key === 'Home'
      ? 0
      : event.key === 'End'
        ? buttons.length - 1
        : (at + keys[event.key]! + buttons.length) % buttons.length;
  for (const [index, button] of buttons.entries()) button.tabIndex = index === next ? 0 : -1;
  buttons[next]!.focus();
}
