import type { Element, ElementContent } from 'hast';
import { memo, type ComponentProps } from 'react';
import Markdown, { type Components, type ExtraProps, type Options } from 'react-markdown';
import {
  MESSAGE_ELEMENTS,
  MESSAGE_REMARK_PLUGINS,
  rehypeTightBlocks,
} from '@/lib/client/chat-markdown';
import { hiddenTarget, safeHref } from '@/lib/client/safe-link';

const REHYPE_PLUGINS: Options['rehypePlugins'] = [rehypeTightBlocks];
/** Applied to every address in the output: whatever is not a safe link loses it. */
const urlTransform: Options['urlTransform'] = (url) => safeHref(url) ?? null;
const COMPONENTS: Components = { a: MessageLink, pre: CodeBlock };

/**
 * Message text rendered from its Markdown as React elements (never as HTML): emphasis,
 * strikethrough, code, quotes, lists, and links to http(s) and mail addresses that open in a
 * new tab. Raw HTML and everything else show as typed (see lib/client/chat-markdown.ts).
 * Memoised on the text, since the log re-renders its messages as new ones arrive.
 */
export const MessageText = memo(function MessageText({ text }: { text: string }) {
  return (
    <Markdown
      remarkPlugins={MESSAGE_REMARK_PLUGINS}
      rehypePlugins={REHYPE_PLUGINS}
      allowedElements={MESSAGE_ELEMENTS}
      unwrapDisallowed
      skipHtml
      urlTransform={urlTransform}
      components={COMPONENTS}
    >
      {text}
    </Markdown>
  );
});

/** A link that opens in a new tab and, when its text does not say where it goes, says so. */
function MessageLink({ node, href, title, children }: ComponentProps<'a'> & ExtraProps) {
  // The Markdown step already turned unsafe links into text; this only keeps it that way.
  if (href === undefined || safeHref(href) !== href) return <>{children}</>;
  const target = node && hiddenTarget(textOf(node), href);
  return (
    <a href={href} title={title} target="_blank" rel="noopener noreferrer">
      {children}
      {target !== undefined && <span className="link-target"> ({target})</span>}
    </a>
  );
}

/** A code block that can be focused, so a keyboard can scroll its long lines. */
function CodeBlock({ children }: ComponentProps<'pre'>) {
  return <pre tabIndex={0}>{children}</pre>;
}

function textOf(node: Element | ElementContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(textOf).join('');
  return '';
}
