'use client';

import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { parseSearchQuery } from '@/lib/chat/search-query';
import { visibleText } from '@/lib/client/chat-markdown';
import { highlightParts, queryWords } from '@/lib/client/search-highlight';
import type { Message } from '@/lib/protocol/definitions';
import { useChatStore } from '../chat-provider';
import { MessageTime } from './message-time';
import { useJumpToMessage } from './use-jump-to-message';

/** How long typing pauses before the search goes out. */
const TYPING_PAUSE_MS = 350;

/** What the panel shows below the box. */
type Found =
  | { status: 'idle' }
  | { status: 'searching' }
  | { status: 'refused'; message: string }
  | { status: 'found'; messages: Message[]; hasMore: boolean; words: string[] };

/**
 * Searching the room: words (each also a word's start), "phrases" and from:nickname, folded
 * for case and accents as the index folds them. Results are newest first, with the words
 * marked; choosing one shows it in the log, in context, however far back it is.
 */
export function SearchPanel({ id, onClose }: { id: string; onClose(): void }) {
  const searchMessages = useChatStore((state) => state.searchMessages);
  const jumpToMessage = useJumpToMessage();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Found>({ status: 'idle' });
  const [loadingMore, setLoadingMore] = useState(false);
  const latest = useRef(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const resultsId = useId();

  useEffect(() => inputRef.current?.focus(), []);

  async function search(text: string) {
    const request = ++latest.current;
    if (text.trim() === '') return setFound({ status: 'idle' });
    const parsed = parseSearchQuery(text);
    if (!parsed.ok) return setFound({ status: 'refused', message: parsed.error.message });
    setFound({ status: 'searching' });
    const result = await searchMessages(text);
    if (request !== latest.current) return;
    setFound(
      result.ok
        ? { status: 'found', ...result.value, words: queryWords(parsed.value) }
        : { status: 'refused', message: result.error.message },
    );
  }

  // Searching as the reader pauses, not at every key.
  useEffect(() => {
    const timer = setTimeout(() => void search(query), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
    // Only the text typed starts a search.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query]);

  async function more() {
    if (found.status !== 'found') return;
    setLoadingMore(true);
    const result = await searchMessages(query, found.messages.at(-1)?.seq);
    setLoadingMore(false);
    if (!result.ok) return setFound({ status: 'refused', message: result.error.message });
    setFound({
      ...found,
      messages: [...found.messages, ...result.value.messages],
      hasMore: result.value.hasMore,
    });
  }

  function choose(seq: number) {
    // On a phone the log is behind the panel: make room for it.
    if (window.matchMedia('(max-width: 47.99rem)').matches) onClose();
    void jumpToMessage(seq);
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    onClose();
  }

  return (
    <section id={id} className="search-panel" aria-labelledby={headingId} onKeyDown={onKeyDown}>
      <div className="search-panel-head">
        <h2 id={headingId} className="members-heading">
          Search
        </h2>
        <button type="button" className="button button-small button-quiet" onClick={onClose}>
          Close
        </button>
      </div>
      <form
        role="search"
        className="search-form"
        onSubmit={(event) => {
          event.preventDefault();
          void search(query);
        }}
      >
        <label htmlFor={`${id}-input`} className="visually-hidden">
          Search messages
        </label>
        <input
          ref={inputRef}
          id={`${id}-input`}
          type="search"
          value={query}
          placeholder="Words, “a phrase”, from:name"
          aria-controls={resultsId}
          onChange={(event) => setQuery(event.target.value)}
        />
      </form>
      <p className="search-status" role="status">
        {statusText(found, query)}
      </p>
      {found.status === 'found' && found.messages.length > 0 && (
        <ol id={resultsId} className="search-results" aria-label="Search results">
          {found.messages.map((message) => (
            <li key={message.id}>
              <button type="button" className="search-result" onClick={() => choose(message.seq)}>
                <span className="search-result-meta">
                  <span className="message-author">{message.author}</span>{' '}
                  <MessageTime iso={message.createdAt} withDate />
                </span>
                <span className="search-result-text">
                  {highlightParts(visibleText(message.text), found.words).map((part, index) =>
                    part.match ? <mark key={index}>{part.text}</mark> : part.text,
                  )}
                </span>
              </button>
            </li>
          ))}
        </ol>
      )}
      {found.status === 'found' && found.hasMore && (
        <button
          type="button"
          className="button button-small button-secondary search-more"
          aria-busy={loadingMore}
          onClick={() => void more()}
        >
          {loadingMore ? 'Loading more results…' : 'More results'}
        </button>
      )}
    </section>
  );
}

function statusText(found: Found, query: string): string {
  switch (found.status) {
    case 'idle':
      return 'Find messages by their words, a phrase in quotes, or from:nickname.';
    case 'searching':
      return 'Searching…';
    case 'refused':
      return found.message;
    case 'found': {
      const count = found.messages.length;
      if (count === 0) return `No messages match “${query.trim()}”.`;
      const shown = `${count} ${count === 1 ? 'message' : 'messages'}`;
      return found.hasMore ? `${shown} so far, newest first` : `${shown}, newest first`;
    }
  }
}
