'use client';

import { useId } from 'react';
import { useChatStore } from '../chat-provider';
import { Avatar } from './avatar';

/** Who is in the room now, you marked as such. */
export function MemberList() {
  const members = useChatStore((state) => state.room?.members);
  const nickname = useChatStore((state) => state.room?.nickname);
  const headingId = useId();
  const count = members?.length ?? 0;

  return (
    <aside className="members" aria-labelledby={headingId}>
      <h2 id={headingId} className="members-heading">
        Members <span className="members-count">{count}</span>
      </h2>
      <ul aria-label="Members" className="member-list">
        {members?.map((member) => (
          <li key={member.nickname} className="member">
            <Avatar nickname={member.nickname} />
            <span className="member-name">{member.nickname}</span>
            {member.nickname === nickname && <span className="member-you"> (you)</span>}
          </li>
        ))}
      </ul>
    </aside>
  );
}
