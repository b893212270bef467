import type { ReactNode } from 'react';
import { BrandMark } from '../brand-mark';
import { ConnectionStatus } from '../connection-status';

/** The simple page around everything shown before being in a room: joining, errors. */
export function EntryShell({ children }: { children: ReactNode }) {
  return (
    <div className="entry">
      <header className="landing-header">
        <p className="brand">
          <BrandMark />
          livechat
        </p>
        <ConnectionStatus />
      </header>
      <main className="card entry-card">{children}</main>
    </div>
  );
}
