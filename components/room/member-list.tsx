'use client';

import { useId } from 'react';
import { useChatStore } from '../chat-provider';
import type { Presence } from '@/lib/protocol/definitions';
import { Avatar } from './avatar';
import { MemberMenu } from './member-menu';
import { useMuted, useOwnRole } from './use-keepers';

const ROLE_LABELS = { owner: 'owner', moderator: 'moderator' } as const;

const PRESENCE_LABELS: Record<Presence, string> = {
  active: 'active',
  idle: 'idle',
  reconnecting: 'reconnecting…',
};

interface MemberListProps {
  roomId: string;
  id: string;
  /** Shown on a phone only when open (a wide screen always shows it). */
  open: boolean;
}

/**
 * Who is in the room now, you marked as such, each with their role, how present they are, and
 * what the reader can do to them.
 */
export function MemberList({ roomId, id, open }: MemberListProps) {
  const members = useChatStore((state) => state.room?.members);
  const nickname = useChatStore((state) => state.room?.nickname ?? '');
  const role = useOwnRole();
  const { muted, setMuted } = useMuted(roomId);
  const headingId = useId();
  const count = members?.length ?? 0;

  return (
    // Focusable so that a keyboard can scroll a long list.
    <aside
      id={id}
      className="members"
      data-open={open || undefined}
      aria-labelledby={headingId}
      tabIndex={0}
    >
      <h2 id={headingId} className="members-heading">
        Members <span className="members-count">{count}</span>
      </h2>
      <ul aria-label="Members" className="member-list">
        {members?.map((member) => (
          <li key={member.authorKey} className="member" data-presence={member.presence}>
            <Avatar nickname={member.nickname} hueKey={member.authorKey} />
            <span className="member-name">{member.nickname}</span>
            {member.nickname === nickname && <span className="member-you"> (you)</span>}
            {member.role && (
              <span className="member-role" data-role={member.role}>
                {ROLE_LABELS[member.role]}
              </span>
            )}
            <span className="member-presence">
              <span className="presence-dot" aria-hidden="true" />
              <span className="member-presence-label">{PRESENCE_LABELS[member.presence]}</span>
            </span>
            <MemberMenu
              member={member}
              reader={{ role, nickname }}
              muted={muted}
              setMuted={setMuted}
            />
          </li>
        ))}
      </ul>
    </aside>
  );
}
