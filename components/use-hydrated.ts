'use client';

import { useSyncExternalStore } from 'react';

const subscribeToNothing = () => () => {};

/**
 * False while the page is server-rendered HTML, true once React runs it. Forms rendered on
 * the server stay disabled until then, so that an early click cannot submit them natively.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}
