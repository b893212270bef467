'use client';

import { useEffect } from 'react';
import { tabIsIdle } from '@/lib/client/idle';
import { useChatStore } from '../chat-provider';
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'focus'];

/**
 * Reports this tab as idle while it is hidden or untouched for five minutes, and as active as
 * soon as it is used again; the members list shows it to everyone in the room.
 */
export function usePresenceReporting(): void {
  const setIdle = useChatStore((state) => state.setIdle);

  useEffect(() => {
    let lastActivity = Date.now();
    const update = () => {
      const hidden = document.visibilityState === 'hidden';
      void setIdle(tabIsIdle({ hidden, lastActivityMs: lastActivity, nowMs: Date.now() }));
    };
    const onActivity = () => {
      lastActivity = Date.now();
      if (document.visibilityState === 'visible') void setIdle(false);
    };
    update();
    const timer = window.setInterval(update, 30_000);
    document.addEventListener('visibilitychange', update);
    for (const name of ACTIVITY_EVENTS)
      window.addEventListener(name, onActivity, { passive: true });
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', update);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity);
      void setIdle(false);
    };
  }, [setIdle]);
}

/** Measures the round trip to the server now and every ten seconds while connected. */
export function useLatencyProbe(): void {
  const measureLatency = useChatStore((state) => state.measureLatency);
  const connected = useChatStore((state) => state.connection === 'connected');

  useEffect(() => {
    if (!connected) return;
    void measureLatency();
    const timer = window.setInterval(() => void measureLatency(), 10_000);
    return () => window.clearInterval(timer);
  }, [connected, measureLatency]);
}
