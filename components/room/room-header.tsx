'use client';

import { useState } from 'react';
import { may } from '@/lib/chat/moderation';
import type { RoomInfo } from '@/lib/protocol/definitions';
import { BrandMark } from '../brand-mark';
import { useChatStore } from '../chat-provider';
import { ConnectionStatus } from '../connection-status';
import { ConfirmDialog } from './confirm-dialog';
import { CopyLinkButton } from './copy-link-button';
import { NicknameChanger } from './nickname-changer';
import { NotificationsToggle } from './notifications-toggle';
import { RoomMenu } from './room-menu';
import { RoomSettingsDialog } from './room-settings-dialog';
import { useOwnRole } from './use-keepers';

/** Whether the members list is shown on a phone, and the element that holds it. */
export interface MembersDisclosure {
  open: boolean;
  listId: string;
  toggle(): void;
}

interface RoomHeaderProps {
  roomId: string;
  members: MembersDisclosure;
  /** The search panel, shown in the members list's place while open. */
  search: MembersDisclosure;
  onLeave(): void;
}

/**
 * The room's name (its title, else its ID) and member count first, then its topic and the
 * rules in force; on the right the link's state (the round-trip time in its tooltip), the
 * room link to copy, and one menu for the rest: who you are, nickname, notifications, the
 * room's settings for its keepers, and leaving (asked again).
 */
export function RoomHeader({ roomId, members, search, onLeave }: RoomHeaderProps) {
  const nickname = useChatStore((state) => state.room?.nickname ?? '');
  const latencyMs = useChatStore((state) => state.latencyMs);
  const memberCount = useChatStore((state) => state.room?.members.length ?? 0);
  const info = useChatStore((state) => state.room?.info);
  const keeper = may(useOwnRole(), 'settings');
  const [dialog, setDialog] = useState<'settings' | 'leave' | null>(null);
  const countText = `${memberCount} ${memberCount === 1 ? 'member' : 'members'}`;
  return (
    <header className="room-header">
      <div className="room-heading">
        <BrandMark />
        <div className="room-name">
          <h1>
            {info?.title ? (
              <span className="room-title">{info.title}</span>
            ) : (
              <>
                <span className="room-heading-label">Room</span>{' '}
                <span className="room-id">{roomId}</span>
              </>
            )}
          </h1>
          <p className="room-summary">
            <span className="room-member-count">{countText}</span>
            {/* Only a phone shows this: a wide screen lists the members beside the log. */}
            <button
              type="button"
              className="button button-quiet members-toggle"
              aria-expanded={members.open}
              aria-controls={members.listId}
              onClick={members.toggle}
            >
              {countText}
            </button>
            {info?.topic && <span className="room-topic">{info.topic}</span>}
          </p>
          <RoomRules info={info} />
        </div>
      </div>
      <div className="room-tools">
        <ConnectionStatus roundTripMs={latencyMs} />
        <button
          type="button"
          className="button button-quiet search-toggle"
          aria-expanded={search.open}
          aria-controls={search.listId}
          onClick={search.toggle}
        >
          <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
            <circle cx="8.5" cy="8.5" r="5" fill="none" stroke="currentColor" strokeWidth="1.8" />
            <path d="M12.5 12.5 17 17" stroke="currentColor" strokeWidth="1.8" />
          </svg>
          <span className="search-toggle-label">Search</span>
        </button>
        <CopyLinkButton roomId={roomId} />
        <RoomMenu>
          <p className="self">
            You are <strong>{nickname}</strong>
          </p>
          <NicknameChanger />
          <NotificationsToggle />
          {keeper && (
            <button
              type="button"
              className="button button-small button-quiet"
              aria-haspopup="dialog"
              onClick={() => setDialog('settings')}
            >
              Room settings
            </button>
          )}
          <hr className="room-actions-rule" />
          <button
            type="button"
            className="button button-small button-danger-quiet"
            aria-haspopup="dialog"
            onClick={() => setDialog('leave')}
          >
            Leave room
          </button>
        </RoomMenu>
      </div>
      {dialog === 'settings' && <RoomSettingsDialog onClose={() => setDialog(null)} />}
      {dialog === 'leave' && (
        <ConfirmDialog
          title="Leave this room?"
          confirmLabel="Leave"
          onConfirm={onLeave}
          onClose={() => setDialog(null)}
        >
          <p>
            The others will see that you left, and your nickname is free for anyone. You can come
            back through the room’s link while the room is open.
          </p>
        </ConfirmDialog>
      )}
    </header>
  );
}

/** "Locked" and "Slow mode: 30 s" while the keepers have set them. */
function RoomRules({ info }: { info: RoomInfo | undefined }) {
  if (!info || (!info.locked && info.slowModeSeconds === 0)) return null;
  return (
    <ul className="room-rules" aria-label="Room rules">
      {info.locked && <li>Locked</li>}
      {info.slowModeSeconds > 0 && <li>Slow mode: {slowModeText(info.slowModeSeconds)}</li>}
    </ul>
  );
}

function slowModeText(seconds: number): string {
  if (seconds % 3_600 === 0) return `${seconds / 3_600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
