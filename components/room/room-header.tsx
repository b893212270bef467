'use client';

import { useState } from 'react';
import { may } from '@/lib/chat/moderation';
import { BrandMark } from '../brand-mark';
import type { RoomInfo } from '@/lib/protocol/definitions';
import { useChatStore } from '../chat-provider';
import { ConnectionStatus } from '../connection-status';
import { CopyLinkButton } from './copy-link-button';
import { NicknameChanger } from './nickname-changer';
import { RoomMenu } from './room-menu';
import { RoomSettingsDialog } from './room-settings-dialog';
import { useOwnRole } from './use-keepers';
import { useMentionNotificationsSetting } from './use-attention';

/** Whether the members list is shown on a phone, and the element that holds it. */
export interface MembersDisclosure {
  open: boolean;
  listId: string;
  toggle(): void;
}

interface RoomHeaderProps {
  roomId: string;
  members: MembersDisclosure;
  onLeave(): void;
}

/**
 * The room's name (its title, else its ID), topic and rules in force, its link, the link's
 * state, who you are, the room's settings for its keepers, and the way out.
 */
export function RoomHeader({ roomId, members, onLeave }: RoomHeaderProps) {
  const nickname = useChatStore((state) => state.room?.nickname ?? '');
  const latencyMs = useChatStore((state) => state.latencyMs);
  const memberCount = useChatStore((state) => state.room?.members.length ?? 0);
  const info = useChatStore((state) => state.room?.info);
  const keeper = may(useOwnRole(), 'settings');
  const [settingsOpen, setSettingsOpen] = useState(false);
  const notifications = useMentionNotificationsSetting();
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
          {info?.topic && <p className="room-topic">{info.topic}</p>}
          <RoomRules info={info} />
        </div>
        <CopyLinkButton roomId={roomId} />
      </div>
      <div className="room-tools">
        <ConnectionStatus />
        <p className="latency" title="Round-trip time to the server">
          {latencyMs === null ? 'Ping …' : `Ping ${latencyMs} ms`}
        </p>
        {/* Only a phone shows this: a wide screen lists the members beside the log. */}
        <button
          type="button"
          className="button button-quiet members-toggle"
          aria-expanded={members.open}
          aria-controls={members.listId}
          onClick={members.toggle}
        >
          {memberCount} {memberCount === 1 ? 'member' : 'members'}
        </button>
        <RoomMenu>
          <p className="self">
            You are <strong>{nickname}</strong>
          </p>
          <NicknameChanger />
          {keeper && (
            <button
              type="button"
              className="button button-small button-quiet"
              aria-haspopup="dialog"
              onClick={() => setSettingsOpen(true)}
            >
              Room settings
            </button>
          )}
          {notifications.supported && (
            <button
              type="button"
              className="button button-small button-quiet"
              aria-pressed={notifications.enabled}
              onClick={() => void notifications.toggle()}
            >
              Notify me of mentions
            </button>
          )}
          <button type="button" className="button button-danger" onClick={onLeave}>
            Leave room
          </button>
        </RoomMenu>
      </div>
      {settingsOpen && <RoomSettingsDialog onClose={() => setSettingsOpen(false)} />}
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
