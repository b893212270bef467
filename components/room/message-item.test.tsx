import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Message } from '@/lib/protocol/definitions';
import { MessageItem, PendingMessageItem } from './message-item';

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

function renderFor(reader: string, text: string): string {
  return renderToStaticMarkup(
    <MessageItem message={message(text)} own={false} continued={false} reader={reader} />,
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
});
