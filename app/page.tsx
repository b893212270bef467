import { BrandMark } from '@/components/brand-mark';
import { ConnectionStatus } from '@/components/connection-status';
import { LandingForm } from '@/components/landing-form';
import { LobbyList } from '@/components/lobby-list';
import { RecentRooms } from '@/components/recent-rooms';
import { RemovalNotice } from '@/components/removal-notice';

export default function HomePage() {
  return (
    <main className="landing">
      <header className="landing-header">
        <h1 className="brand">
          <BrandMark />
          livechat
        </h1>
        <ConnectionStatus />
      </header>
      <p className="landing-intro">Pick a nickname, create a room, and share its link.</p>
      <RemovalNotice />
      <LandingForm />
      <RecentRooms />
      <LobbyList />
    </main>
  );
}
