'use client';

import {
  EmojiPicker,
  type EmojiPickerListCategoryHeaderProps,
  type EmojiPickerListComponents,
  type EmojiPickerListEmojiProps,
  type EmojiPickerListRowProps,
} from 'frimousse';
import { useEffect, useId, useRef, type FocusEvent } from 'react';
import { useDisclosure } from './use-disclosure';

/** Where the picker loads its Emojibase data: our own route (app/emojibase), never a CDN. */
const EMOJIBASE_URL = '/emojibase';

/** Columns of the emoji grid: eight fit a 360 px wide phone with room to spare. */
const COLUMNS = 8;

function CategoryHeader({ category, ...props }: EmojiPickerListCategoryHeaderProps) {
  return (
    <div className="emoji-picker-category" {...props}>
      {category.label}
    </div>
  );
}

// The list numbers its rows and cells from 0, where ARIA counts from 1 (axe rightly objects).
// With the rows renumbered, the list's own scrolling finds the row above the chosen one, so
// the chosen emoji scrolls itself into view as well.

function Row({ children, ...props }: EmojiPickerListRowProps) {
  return (
    <div {...props} aria-rowindex={oneBased(props['aria-rowindex'])}>
      {children}
    </div>
  );
}

function Emoji({ emoji, ...props }: EmojiPickerListEmojiProps) {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const button = ref.current;
    // Chosen with the keyboard, not under the pointer (scrolling that would chase the pointer).
    if (emoji.isActive && button && !button.matches(':hover')) {
      button.scrollIntoView({ block: 'nearest' });
    }
  }, [emoji.isActive]);
  return (
    <button
      ref={ref}
      type="button"
      className="emoji-picker-emoji"
      {...props}
      role="gridcell"
      aria-colindex={oneBased(props['aria-colindex'])}
    >
      {emoji.emoji}
    </button>
  );
}

function oneBased(index: number | undefined) {
  return index === undefined ? undefined : index + 1;
}

/** The grid's parts, made once: the list keeps them as component types across renders. */
const LIST_PARTS: Partial<EmojiPickerListComponents> = { CategoryHeader, Row, Emoji };

interface EmojiPickerButtonProps {
  /** Called with the emoji picked; the picker has closed by then. */
  onPick(emoji: string): void;
}

/**
 * The composer's "Emoji" button and the picker it opens above the message box: a search box
 * that keeps focus while the arrow keys move among the emoji, Enter or a click picks one,
 * Escape (or a tap elsewhere) closes it and gives focus back to the button.
 */
export function EmojiPickerButton({ onPick }: EmojiPickerButtonProps) {
  const { open, toggle, close, rootRef, toggleRef, onKeyDown } = useDisclosure();
  const pickerId = useId();
  const hintId = useId();
  const searchRef = useRef<HTMLInputElement>(null);

  // Opened, the search box takes focus, except on touch screens, where that would pop up the
  // on-screen keyboard over the emoji.
  useEffect(() => {
    if (open && !window.matchMedia('(pointer: coarse)').matches) searchRef.current?.focus();
  }, [open]);

  // Tabbing out of the picker closes it; a click on its own scroll area (focus to nowhere) not.
  function onBlur(event: FocusEvent<HTMLDivElement>) {
    const next = event.relatedTarget;
    if (open && next instanceof Node && !event.currentTarget.contains(next)) close();
  }

  return (
    <div ref={rootRef} className="composer-emoji" onKeyDown={onKeyDown} onBlur={onBlur}>
      <button
        ref={toggleRef}
        type="button"
        className="button button-quiet composer-emoji-toggle"
        aria-label="Emoji"
        title="Emoji"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? pickerId : undefined}
        onClick={toggle}
      >
        <span aria-hidden="true">🙂</span>
      </button>
      {open && (
        <EmojiPicker.Root
          id={pickerId}
          className="emoji-picker"
          role="dialog"
          aria-label="Emoji"
          columns={COLUMNS}
          emojibaseUrl={EMOJIBASE_URL}
          onEmojiSelect={({ emoji }) => {
            close();
            onPick(emoji);
          }}
        >
          <EmojiPicker.Search
            ref={searchRef}
            className="emoji-picker-search"
            // A text input (styled as the others) in the role a search input would have.
            type="text"
            role="searchbox"
            aria-label="Search emoji"
            aria-describedby={hintId}
            // Belongs to no form: Enter with no emoji chosen must not send the composer's
            // message (the picker takes Enter itself when one is).
            form=""
          />
          <EmojiPicker.Viewport className="emoji-picker-viewport" tabIndex={0}>
            <EmojiPicker.Loading className="emoji-picker-status">
              Loading emoji…
            </EmojiPicker.Loading>
            <EmojiPicker.Empty className="emoji-picker-status">
              {({ search }) => <>No emoji for “{search}”</>}
            </EmojiPicker.Empty>
            <EmojiPicker.List className="emoji-picker-list" components={LIST_PARTS} />
          </EmojiPicker.Viewport>
          <p id={hintId} className="emoji-picker-hint">
            Arrow keys to choose, Enter to pick
          </p>
        </EmojiPicker.Root>
      )}
    </div>
  );
}
