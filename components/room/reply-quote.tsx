'use client';

import type { ReplyQuote as Quote } from '@/lib/protocol/definitions';

/**
 * The one-line quote above a reply: who wrote the original and how it starts. As a button it
 * takes the reader to the original (loading older messages if needed).
 */
export function ReplyQuote({ quote, onJump }: { quote: Quote; onJump?(seq: number): void }) {
  const content = quote.deleted ? (
    <span className="reply-quote-text">Replying to a deleted message</span>
  ) : (
    <>
      <span className="reply-quote-author">{quote.author}</span>{' '}
      <span className="reply-quote-text">{quote.excerpt}</span>
    </>
  );
  if (!onJump || quote.deleted) return <p className="reply-quote">{content}</p>;
  return (
    <button
      type="button"
      className="reply-quote"
      aria-label={`Replying to ${quote.author}: ${quote.excerpt}. Show the original message`}
      onClick={() => onJump(quote.seq)}
    >
      <span aria-hidden="true" className="reply-quote-mark">
        ↩
      </span>{' '}
      {content}
    </button>
  );
}
