'use client';

/**
 * Which room this browser tab is showing, kept in sessionStorage: it survives a reload of
 * the tab but not its closing, and other tabs do not see it. A reload of a room's tab then
 * goes back in without asking, even if the server's grace period ran out meanwhile (a slow
 * phone, a laptop lid closed); a friend's link opened in a new tab still asks.
 */

const STORAGE_KEY = 'livechat:tab-room';

/** Notes that this tab shows `roomId`. */
export function markTabInRoom(roomId: string): void {
  try {
    window.sessionStorage.setItem(STORAGE_KEY, roomId);
  } catch {
    // Without storage a reload after the grace period simply asks for the nickname again.
  }
}

/** Forgets the room, if this tab still shows `roomId` (leaving, or left from another tab). */
export function clearTabRoom(roomId: string): void {
  try {
    if (window.sessionStorage.getItem(STORAGE_KEY) === roomId) {
      window.sessionStorage.removeItem(STORAGE_KEY);
    }
  } catch {
    // Nothing stored, nothing to forget.
  }
}

/** Whether this tab was showing `roomId` before it was reloaded. */
export function tabWasInRoom(roomId: string): boolean {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY) === roomId;
  } catch {
    return false;
  }
}
