import { Fragment, useMemo } from 'react';
import { linkify } from '@/lib/client/linkify';

/** Message text as text nodes, with http(s) addresses as links that open in a new tab. */
export function MessageText({ text }: { text: string }) {
  const parts = useMemo(() => linkify(text), [text]);
  return parts.map((part, index) =>
    part.kind === 'link' ? (
      <a key={index} href={part.href} target="_blank" rel="noopener noreferrer">
        {part.text}
      </a>
    ) : (
      <Fragment key={index}>{part.text}</Fragment>
    ),
  );
}
