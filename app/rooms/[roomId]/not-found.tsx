import Link from 'next/link';
import { EntryShell } from '@/components/room/entry-shell';

/** A room link whose ID cannot be a room ID at all (a typo, or a truncated link). */
export default function NotARoom() {
  return (
    <EntryShell>
      <h1>That is not a room link</h1>
      <p>Room IDs look like k3vq-8m2x-d7tp. Check the link you were sent, or start a new room.</p>
      <Link href="/" className="button button-primary">
        Go to the start page
      </Link>
    </EntryShell>
  );
}
