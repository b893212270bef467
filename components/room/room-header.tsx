'use client';

import { BrandMark } from '../brand-mark';
import { useChatStore } from '../chat-provider';
import { ConnectionStatus } from '../connection-status';
import { CopyLinkButton } from './copy-link-button';
import { NicknameChanger } from './nickname-changer';
import { RoomMenu } from './room-menu';
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

/** The room's name and link, the link's state, who you are, and the way out. */
export function RoomHeader({ roomId, members, onLeave }: RoomHeaderProps) {
  const nickname = useChatStore((state) => state.room?.nickname ?? '');
  const latencyMs = useChatStore((state) => state.latencyMs);
  const memberCount = useChatStore((state) => state.room?.members.length ?? 0);
  const notifications = useMentionNotificationsSetting();
  return (
    <header className="room-header">
      <div className="room-heading">
        <BrandMark />
        <h1>
          <span className="room-heading-label">Room</span> <span className="room-id">{roomId}</span>
        </h1>
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
    </header>
  );
}
