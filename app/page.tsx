import { ConnectionStatus } from '@/components/connection-status';

export default function HomePage() {
  return (
    <main className="landing">
      <header className="landing-header">
        <h1>livechat</h1>
        <ConnectionStatus />
      </header>
      <p>Pick a nickname, create a room, and share its link.</p>
    </main>
  );
}
