'use client';

import { useEffect, useRef, useState } from 'react';
import { visibleText } from '@/lib/client/chat-markdown';
import { mentions } from '@/lib/client/mentions';
import { countUnread, titleWithUnread } from '@/lib/client/unread';
import type { Message } from '@/lib/protocol/definitions';
import { useChatStore } from '../chat-provider';
import { useHydrated } from '../use-hydrated';
import { readStoredValue, useStoredValue, writeStoredValue } from '../use-stored-value';

const NOTIFY_KEY = 'livechat:notify-mentions';
const NO_MESSAGES: Message[] = [];

/** While the tab is hidden, the title counts the messages others wrote since: "(3) Room …". */
export function useUnreadTitle(roomId: string): void {
  const messages = useChatStore((state) => state.room?.messages ?? NO_MESSAGES);
  const nickname = useChatStore((state) => state.room?.nickname ?? '');
  const roomTitle = useChatStore((state) => state.room?.info.title ?? '');
  const [hiddenSinceSeq, setHiddenSinceSeq] = useState<number | null>(null);
  const lastSeq = useRef(0);
  useEffect(() => {
    lastSeq.current = messages.at(-1)?.seq ?? 0;
  }, [messages]);

  useEffect(() => {
    const onVisibility = () =>
      setHiddenSinceSeq(document.visibilityState === 'hidden' ? lastSeq.current : null);
    onVisibility();
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, []);

  useEffect(() => {
    // The page's metadata names the room by its ID; its keepers may have given it a title.
    const title = `${roomTitle || `Room ${roomId}`} · livechat`;
    const unread = hiddenSinceSeq === null ? 0 : countUnread(messages, hiddenSinceSeq, nickname);
    document.title = titleWithUnread(title, unread);
  }, [roomId, roomTitle, messages, nickname, hiddenSinceSeq]);
}

/** Whether the reader asked for notifications of mentions (and the browser allows them). */
export function useMentionNotificationsSetting() {
  const hydrated = useHydrated();
  const supported = hydrated && 'Notification' in window;
  // The stored choice is null until hydrated, so `window` is only read in the browser.
  const enabled = useStoredValue(NOTIFY_KEY) === 'on' && notificationsAllowed();
  // Set once asking was refused, so the reader is told why nothing changed.
  const [denied, setDenied] = useState(false);

  async function toggle() {
    if (!supported) return;
    if (enabled) return writeSetting(false);
    const permission = await Notification.requestPermission();
    setDenied(permission === 'denied');
    writeSetting(permission === 'granted');
  }

  return { supported, enabled, denied, toggle };
}

/**
 * Shows a browser notification for each new message that @mentions us while the tab is hidden,
 * only once the reader has opted in. History loaded on joining never notifies.
 */
export function useMentionNotifications(): void {
  const messages = useChatStore((state) => state.room?.messages ?? NO_MESSAGES);
  const nickname = useChatStore((state) => state.room?.nickname ?? '');
  const notifiedThrough = useRef<number | null>(null);

  useEffect(() => {
    const lastSeq = messages.at(-1)?.seq ?? 0;
    const since = notifiedThrough.current;
    notifiedThrough.current = Math.max(since ?? 0, lastSeq);
    if (since === null || document.visibilityState !== 'hidden') return;
    if (!notificationsOn()) return;
    // The log is ordered: only its end can be new.
    let first = messages.length;
    while (first > 0 && messages[first - 1]!.seq > since) first--;
    for (const message of messages.slice(first)) {
      if (message.kind !== 'user' || message.author === nickname) continue;
      if (!mentions(message.text, nickname)) continue;
      const body = visibleText(message.text);
      new Notification(`${message.author} mentioned you`, { body, tag: message.id });
    }
  }, [messages, nickname]);
}

function notificationsOn(): boolean {
  return notificationsAllowed() && readStoredValue(NOTIFY_KEY) === 'on';
}

function notificationsAllowed(): boolean {
  return 'Notification' in window && Notification.permission === 'granted';
}

function writeSetting(on: boolean): void {
  // Without storage there is nowhere to keep the choice: notifications stay off.
  writeStoredValue(NOTIFY_KEY, on ? 'on' : 'off');
}
