import type { CSSProperties } from 'react';

/** A round badge with a nickname's first letter, its colour stable for that nickname. */
export function Avatar({ nickname }: { nickname: string }) {
  const initial = Array.from(nickname)[0]?.toUpperCase() ?? '?';
  return (
    <span className="avatar" style={{ '--avatar-hue': hueOf(nickname) } as CSSProperties}>
      <span aria-hidden="true">{initial}</span>
    </span>
  );
}

/** A hue from the nickname's characters, so that everyone sees the same colour. */
function hueOf(nickname: string): number {
  let hash = 0;
  for (const char of nickname) hash = (hash * 31 + char.codePointAt(0)!) % 360;
  return hash;
}
