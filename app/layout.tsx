import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { AnnouncementBanner } from '@/components/announcement-banner';
import { ChatProvider } from '@/components/chat-provider';
import './globals.css';
import './room-keepers.css';
import './composer.css';

/** Every page response may carry a fresh session cookie, so none may be cached or shared. */
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'livechat', template: '%s · livechat' },
  description: 'Real-time chat rooms. Pick a nickname, share the link, start talking.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  colorScheme: 'light dark',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <ChatProvider>
          <AnnouncementBanner />
          {children}
        </ChatProvider>
      </body>
    </html>
  );
}
