'use client';

import { useSyncExternalStore } from 'react';

const STORAGE_KEY = 'livechat:nickname';
/** Tells this tab's readers that the stored nickname changed (`storage` only fires in others). */
const CHANGE_EVENT = 'livechat:nickname-change';

/** The last nickname this browser used, or '' (storage may be unavailable, e.g. blocked). */
export function readRememberedNickname(): string {
  try {
    return window.localStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

/** Remembers the nickname for the next visit and prefills it in every open form. */
export function rememberNickname(nickname: string): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, nickname);
  } catch {
    // Not remembering is fine: the form simply starts empty next time.
  }
  window.dispatchEvent(new Event(CHANGE_EVENT));
}

function subscribe(onChange: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY || event.key === null) onChange();
  };
  window.addEventListener('storage', onStorage);
  window.addEventListener(CHANGE_EVENT, onChange);
  return () => {
    window.removeEventListener('storage', onStorage);
    window.removeEventListener(CHANGE_EVENT, onChange);
  };
}

/**
 * The remembered nickname, '' during server rendering and hydration so that the markup
 * matches; the browser's value follows right after.
 */
export function useRememberedNickname(): string {
  return useSyncExternalStore(subscribe, readRememberedNickname, () => '');
}
