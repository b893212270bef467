'use client';

import { useChatStore } from './chat-provider';

/** The latest operator announcement, across the top of every page until dismissed. */
export function AnnouncementBanner() {
  const announcement = useChatStore((state) => state.announcement);
  const dismiss = useChatStore((state) => state.dismissAnnouncement);
  if (!announcement) return null;
  return (
    <div className="announcement" role="alert" aria-label="Announcement">
      <p className="announcement-text">
        <strong>Announcement: </strong>
        {announcement.text}
      </p>
      <button type="button" className="announcement-dismiss" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
