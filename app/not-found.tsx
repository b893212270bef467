import Link from 'next/link';
import { EntryShell } from '@/components/room/entry-shell';

export default function NotFound() {
  return (
    <EntryShell>
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <Link href="/" className="button button-primary">
        Go to the start page
      </Link>
    </EntryShell>
  );
}
