'use client';

import { useState } from 'react';
import { readStoredValue, useStoredValue, writeStoredValue } from './use-stored-value';

const STORAGE_KEY = 'livechat:nickname';

/** The last nickname this browser used, or '' (storage may be unavailable, e.g. blocked). */
export function readRememberedNickname(): string {
  return readStoredValue(STORAGE_KEY) ?? '';
}

/** Remembers the nickname for the next visit and prefills it in every open form. */
export function rememberNickname(nickname: string): void {
  // Not remembering is fine: the form simply starts empty next time.
  writeStoredValue(STORAGE_KEY, nickname);
}

/**
 * The remembered nickname, '' during server rendering and hydration so that the markup
 * matches; the browser's value follows right after.
 */
export function useRememberedNickname(): string {
  return useStoredValue(STORAGE_KEY) ?? '';
}

/** What the nickname box holds: the remembered nickname until the person types. */
export function useNicknameDraft(): [nickname: string, setNickname: (nickname: string) => void] {
  const remembered = useRememberedNickname();
  // null until the person types, so that the remembered nickname can arrive after hydration.
  const [draft, setDraft] = useState<string | null>(null);
  return [draft ?? remembered, setDraft];
}
