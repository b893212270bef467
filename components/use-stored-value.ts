'use client';

import { useCallback, useSyncExternalStore } from 'react';

/** Tells this tab's readers that a stored value changed (`storage` only fires in other tabs). */
const CHANGE_EVENT = 'livechat:stored-value-change';

/** The value this browser keeps under `key`, or null (storage may be unavailable, e.g. blocked). */
export function readStoredValue(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Keeps `value` under `key` and tells every reader in this tab. */
export function writeStoredValue(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Storage full or disabled: nothing is kept, and readers go on seeing what it holds.
  }
  window.dispatchEvent(new CustomEvent<string>(CHANGE_EVENT, { detail: key }));
}

/**
 * The value kept under `key`, following changes from this tab and others; null during server
 * rendering and hydration so that the markup matches, the browser's value right after.
 */
export function useStoredValue(key: string): string | null {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const onStorage = (event: StorageEvent) => {
        if (event.key === key || event.key === null) onChange();
      };
      const onWrite = (event: Event) => {
        if ((event as CustomEvent<string>).detail === key) onChange();
      };
      window.addEventListener('storage', onStorage);
      window.addEventListener(CHANGE_EVENT, onWrite);
      return () => {
        window.removeEventListener('storage', onStorage);
        window.removeEventListener(CHANGE_EVENT, onWrite);
      };
    },
    [key],
  );
  return useSyncExternalStore(
    subscribe,
    () => readStoredValue(key),
    () => null,
  );
}
