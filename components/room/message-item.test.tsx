import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createChatStore } from '@/lib/client/chat-store';
import type { Message } from '@/lib/protocol/definitions';
import { ChatStoreContext } from '../chat-provider';
import { MessageActionsProvider } from './message-actions';
import { MessageItem, PendingMessageItem } from './message-item';

/** A store that is never asked anything: these tests only render. */
const store = createChatStore({
  transport: {
    isConnected: () => false,
    request: () => Promise.reject(new Error('no server in this test')),
  },
});

function message(text: string): Message {
  return {
    id: 'm1',
    roomId: 'abcd-efgh-jkmn',
    seq: 1,
    kind: 'user',
    author: 'Bob',
    text,
    createdAt: new Date(Date.UTC(2025, 0, 1, 12)).toISOString(),
  };
}

function renderFor(
  reader: string,
  text: string,
  overrides: Partial<Message> = {},
  keeping: { keeper?: boolean; onMute?(authorKey: string): void } = {},
): string {
  return renderToStaticMarkup(
    <ChatStoreContext.Provider value={store}>
      <MessageActionsProvider>
        <MessageItem
          message={{ ...message(text), ...overrides }}
          own={false}
          continued={false}
          reader={reader}
          {...keeping}
        />
      </MessageActionsProvider>
    </ChatStoreContext.Provider>,
  );
}

describe('MessageItem', () => {
  it('renders its text as Markdown inside a block that can hold blocks', () => {
    const markup = renderFor('Alice', '**hi**\n\n- one\n- two');
    expect(markup).toContain(
      '<div class="message-text"><p><strong>hi</strong></p><ul><li>one</li><li>two</li></ul></div>',
    );
  });

  it.each([
    '**@alice** look',
    '_@Alice_, look',
    '> @alice what do you think?',
    '- ask @alice',
    '~~@alice~~ never mind',
  ])('flags a mention of the reader inside Markdown: %j', (text) => {
    const markup = renderFor('Alice', text);
    expect(markup).toContain('data-mention="true"');
    expect(markup).toContain('mentions you');
  });

  it('does not flag a message that mentions someone else', () => {
    expect(renderFor('Alice', '**@alicette** look')).not.toContain('data-mention');
  });
});

describe('PendingMessageItem', () => {
  it('renders the text being sent as Markdown too', () => {
    const markup = renderToStaticMarkup(
      <PendingMessageItem
        pending={{
          clientId: 'c1',
          roomId: 'abcd-efgh-jkmn',
          text: '`code` and [a link](https://example.com)',
          createdAt: new Date(Date.UTC(2025, 0, 1, 12)).toISOString(),
          status: 'sending',
        }}
        author="Alice"
        onRetry={() => {}}
      />,
    );
    expect(markup).toContain('<code>code</code>');
    expect(markup).toContain('<a href="https://example.com/"');
    expect(markup).toContain('Sending…');
  });

  it('shows a deleted message as deleted, without its text or actions', () => {
    const markup = renderFor('Alice', '', { deletedAt: '2025-01-01T12:05:00.000Z' });
    expect(markup).toContain('Message deleted');
    expect(markup).not.toContain('role="toolbar"');
  });

  it('says when the room’s keepers deleted a message', () => {
    const markup = renderFor('Alice', '', {
      deletedAt: '2025-01-01T12:05:00.000Z',
      deletedBy: 'moderator',
    });
    expect(markup).toContain('Message deleted by a moderator');
  });

  it('offers Delete on someone else’s message to the room’s keepers only', () => {
    const deleteButton = /<button[^>]*>.{0,40}Delete<\/button>/;
    expect(renderFor('Alice', 'spam')).not.toMatch(deleteButton);
    expect(renderFor('Alice', 'spam', {}, { keeper: true })).toMatch(deleteButton);
  });

  it('offers to mute the author when their key is known', () => {
    const mute = 'aria-label="Mute Bob"';
    const onMute = () => {};
    expect(renderFor('Alice', 'hi', {}, { onMute })).not.toContain(mute);
    expect(renderFor('Alice', 'hi', { authorKey: 'k-bob' }, { onMute })).toContain(mute);
  });

  it('marks an edited message, with the time of the edit', () => {
    const markup = renderFor('Alice', 'fixed', { editedAt: '2025-01-01T12:05:00.000Z' });
    expect(markup).toContain('(edited)');
    expect(markup).toContain('dateTime="2025-01-01T12:05:00.000Z"');
  });

  it('quotes the message a reply answers, or says it was deleted', () => {
    const quote = { seq: 7, author: 'Cy', excerpt: 'Friday?' };
    expect(renderFor('Alice', 'yes', { replyTo: quote })).toContain(
      'aria-label="Replying to Cy: Friday?. Show the original message"',
    );
    const gone = renderFor('Alice', 'yes', { replyTo: { ...quote, excerpt: '', deleted: true } });
    expect(gone).toContain('Replying to a deleted message');
  });

  it('shows reactions with their counts, pressed where the reader gave one', () => {
    const markup = renderFor('Alice', 'lunch', {
      reactions: [
        { emoji: '👍', nicknames: ['Bob', 'Alice'] },
        { emoji: '🍕', nicknames: ['Bob'] },
      ],
    });
    expect(markup).toContain('aria-label="👍 2 reactions, including yours"');
    expect(markup).toContain('aria-pressed="true"');
    expect(markup).toContain('aria-label="🍕 1 reaction"');
    expect(markup).toContain('>Bob, Alice<');
  });
});
