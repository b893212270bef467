'use client';

import { BrandMark } from '../brand-mark';
import { useChatStore } from '../chat-provider';
import { ConnectionStatus } from '../connection-status';
import { CopyLinkButton } from './copy-link-button';
import { NicknameChanger } from './nickname-changer';

interface RoomHeaderProps {
  roomId: string;
  onLeave(): void;
}

/** The room's name and link, the link's state, who you are, and the way out. */
export function RoomHeader({ roomId, onLeave }: RoomHeaderProps) {
  const nickname = useChatStore((state) => state.room?.nickname ?? '');
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
        <p className="self">
          You are <strong>{nickname}</strong>
        </p>
        <NicknameChanger />
        <button type="button" className="button button-danger" onClick={onLeave}>
          Leave room
        </button>
      </div>
    </header>
  );
}
