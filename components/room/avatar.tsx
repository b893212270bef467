import type { CSSProperties } from 'react';

interface AvatarProps {
  /** Whose initial the badge shows. */
  nickname: string;
  /** What its colour comes from: the member's author key, which a rename keeps. */
  hueKey: string;
}

/** A round badge with a nickname's first letter, its colour stable for that person. */
export function Avatar({ nickname, hueKey }: AvatarProps) {
  const initial = Array.from(nickname)[0]?.toUpperCase() ?? '?';
  return (
    <span className="avatar" style={{ '--avatar-hue': hueOf(hueKey) } as CSSProperties}>
      <span aria-hidden="true">{initial}</span>
    </span>
  );
}

/** A hue from the key's characters, so that everyone sees the same colour. */
function hueOf(key: string): number {
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.codePointAt(0)!) % 360;
  return hash;
}
