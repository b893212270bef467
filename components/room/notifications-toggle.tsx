'use client';

import { useId } from 'react';
import { useMentionNotificationsSetting } from './use-attention';

/**
 * "Notify me of mentions", a switch whose state is said in words as well as shown; when the
 * browser refuses notifications, a sentence says where to allow them.
 */
export function NotificationsToggle() {
  const notifications = useMentionNotificationsSetting();
  const stateId = useId();
  if (!notifications.supported) return null;
  return (
    <div className="notifications-toggle">
      <button
        type="button"
        className="button button-small button-quiet"
        aria-pressed={notifications.enabled}
        aria-describedby={stateId}
        onClick={() => void notifications.toggle()}
      >
        Notify me of mentions
      </button>
      <span id={stateId} className="notifications-state">
        {notifications.enabled ? 'On' : 'Off'}
      </span>
      {notifications.denied && (
        <p className="hint" role="alert">
          This browser blocks notifications from this site. Allow them in the site’s settings (the
          icon beside the address), then try again.
        </p>
      )}
    </div>
  );
}
