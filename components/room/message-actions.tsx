'use client';

import { createContext, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ReplyQuote } from '@/lib/protocol/definitions';

/** What the reader is doing to a message: answering it, or editing one of their own. */
interface MessageActions {
  replyingTo: ReplyQuote | null;
  replyTo(quote: ReplyQuote | null): void;
  editingSeq: number | null;
  edit(seq: number | null): void;
  /** Asks the composer to take focus back (after an edit or a reply was started or ended). */
  focusComposer(): void;
  setComposerFocus(focus: () => void): void;
}

const Context = createContext<MessageActions | null>(null);

/** Holds the room view's reply and edit state, shared by the log and the composer. */
export function MessageActionsProvider({ children }: { children: ReactNode }) {
  const [replyingTo, replyTo] = useState<ReplyQuote | null>(null);
  const [editingSeq, edit] = useState<number | null>(null);
  const composerFocusRef = useRef<() => void>(() => {});
  const value = useMemo<MessageActions>(
    () => ({
      replyingTo,
      replyTo,
      editingSeq,
      edit,
      focusComposer: () => composerFocusRef.current(),
      setComposerFocus: (focus) => {
        composerFocusRef.current = focus;
      },
    }),
    [replyingTo, editingSeq],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useMessageActions(): MessageActions {
  const actions = useContext(Context);
  if (!actions) throw new Error('useMessageActions needs a MessageActionsProvider');
  return actions;
}
