'use client';

import { useId, useState } from 'react';
import { type MemberAction, memberActions } from '@/lib/client/member-actions';
import type { BanLength, Member, RoomRole } from '@/lib/protocol/definitions';
import { useChatStore } from '../chat-provider';
import { ConfirmDialog } from './confirm-dialog';
import { useDisclosure } from './use-disclosure';

const ACTION_LABELS: Record<MemberAction, string> = {
  'make-moderator': 'Make moderator',
  'remove-moderator': 'Remove as moderator',
  remove: 'Remove from room…',
  ban: 'Ban…',
  mute: 'Mute',
  unmute: 'Unmute',
};

const BAN_LENGTHS: [BanLength, string][] = [
  ['10m', '10 minutes'],
  ['1h', '1 hour'],
  ['24h', '24 hours'],
  ['permanent', 'Until lifted'],
];

interface MemberMenuProps {
  member: Member;
  reader: { role: RoomRole; nickname: string };
  /** The author keys this browser has muted. */
  muted: ReadonlySet<string>;
  setMuted(authorKey: string, on: boolean): void;
}

/**
 * What the reader can do to one member: the keepers' actions the server would allow (appoint,
 * remove, ban, each asked again before it is done) and muting, which only this browser keeps.
 */
export function MemberMenu({ member, reader, muted, setMuted }: MemberMenuProps) {
  const setModerator = useChatStore((state) => state.setModerator);
  const removeMember = useChatStore((state) => state.removeMember);
  const { open, toggle, close, rootRef, toggleRef, onKeyDown } = useDisclosure();
  const panelId = useId();
  const [asking, setAsking] = useState<'remove' | 'ban' | null>(null);
  const [banLength, setBanLength] = useState<BanLength>('1h');
  const [error, setError] = useState('');
  const banLengthId = useId();

  const actions = memberActions({ ...reader, muted: muted.has(member.authorKey) }, member);
  if (actions.length === 0) return null;

  const report = (result: { ok: true } | { ok: false; error: { message: string } }) =>
    setError(result.ok ? '' : result.error.message);

  function choose(action: MemberAction) {
    close();
    switch (action) {
      case 'make-moderator':
      case 'remove-moderator':
        return void setModerator(member.nickname, action === 'make-moderator').then(report);
      case 'remove':
      case 'ban':
        return setAsking(action);
      case 'mute':
      case 'unmute':
        return setMuted(member.authorKey, action === 'mute');
    }
  }

  return (
    <div ref={rootRef} className="member-menu" onKeyDown={onKeyDown}>
      <button
        ref={toggleRef}
        type="button"
        className="member-menu-toggle"
        aria-label={`Options for ${member.nickname}`}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={toggle}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      <div id={panelId} className="member-menu-panel" hidden={!open}>
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            className="member-menu-item"
            data-danger={action === 'remove' || action === 'ban' || undefined}
            onClick={() => choose(action)}
          >
            {ACTION_LABELS[action]}
          </button>
        ))}
      </div>
      {error && (
        <p role="alert" className="member-menu-error">
          {error}
        </p>
      )}
      {asking === 'remove' && (
        <ConfirmDialog
          title={`Remove ${member.nickname} from the room?`}
          confirmLabel="Remove"
          onConfirm={() => void removeMember(member.nickname).then(report)}
          onClose={() => setAsking(null)}
        >
          <p>They leave at once, and everyone is told. They may join again.</p>
        </ConfirmDialog>
      )}
      {asking === 'ban' && (
        <ConfirmDialog
          title={`Ban ${member.nickname}?`}
          confirmLabel="Ban"
          onConfirm={() => void removeMember(member.nickname, banLength).then(report)}
          onClose={() => setAsking(null)}
        >
          <p>
            They leave at once and cannot join again, nor can anyone else from their network, while
            the ban lasts. Bans can be lifted in the room settings.
          </p>
          <div className="field">
            <label htmlFor={banLengthId}>For how long</label>
            <select
              id={banLengthId}
              value={banLength}
              onChange={(event) => setBanLength(event.target.value as BanLength)}
            >
              {BAN_LENGTHS.map(([length, label]) => (
                <option key={length} value={length}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        </ConfirmDialog>
      )}
    </div>
  );
}
