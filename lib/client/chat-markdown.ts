import type { Element, ElementContent, Root as HtmlRoot } from 'hast';
import type { Definition, Link, Nodes, Paragraph, Root, Text } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified, type PluggableList } from 'unified';
import { safeHref } from './safe-link';

/**
 * The HTML elements message Markdown may become. Everything else the parser knows (headings,
 * tables, images, rules, task-list boxes, footnotes) is rewritten to text before this, and this
 * list is the second fence: an element missing from it is unwrapped to its text.
 */
export const MESSAGE_ELEMENTS = [
  'p',
  'strong',
  'em',
  'del',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
] as const;

/**
 * How message Markdown is read, for the log and for anything that looks at a message's words
 * (mentions): GFM, except that single tildes stay tildes ("~5 min"), then the chat's rules.
 */
export const MESSAGE_REMARK_PLUGINS: PluggableList = [
  [remarkGfm, { singleTilde: false }],
  remarkChatMarkdown,
];

const messageReader = unified().use(remarkParse).use(MESSAGE_REMARK_PLUGINS).freeze();

/**
 * The words of a message as its readers see them: Markdown marks gone, code and anything shown
 * as typed kept, blocks on lines of their own.
 *
 * @example visibleText('**@alice** look at `x`') // '@alice look at x'
 */
export function visibleText(text: string): string {
  return wordsOf(messageReader.runSync(messageReader.parse(text), text) as Root);
}

/** Nodes whose children are blocks: text put there needs a paragraph around it. */
const FLOW_PARENTS = new Set<Nodes['type']>(['root', 'blockquote', 'listItem']);
/** Elements that start a new line by themselves; a newline beside them is only source layout. */
const BLOCK_ELEMENTS = new Set(['p', 'pre', 'blockquote', 'ul', 'ol', 'li']);

interface Context {
  /** The message as typed, for showing a construct exactly as it was written. */
  source: string;
  /** Link reference definitions by their normalised label; the first one of a label wins. */
  definitions: Map<string, Definition>;
}

/**
 * A remark plugin that keeps message Markdown to what a chat shows: emphasis, strikethrough,
 * code, quotes, lists and safe links. It rewrites the rest to text before anything becomes an
 * element — raw HTML, images, tables, rules, footnotes and links to any address `safeHref`
 * refuses appear exactly as typed; headings become paragraphs of their words; a hard line
 * break becomes a newline, which `.message-text` shows like any other one.
 */
export function remarkChatMarkdown() {
  return (tree: Root, file: { value: unknown }) => {
    const context: Context = { source: String(file.value), definitions: new Map() };
    collectDefinitions(tree, context.definitions);
    rewriteChildren(tree, context);
  };
}

/**
 * A rehype plugin that drops the newlines the Markdown-to-HTML step puts between blocks. The
 * message keeps `white-space: pre-wrap` (so the newlines people type stay line breaks), under
 * which those would show as blank lines.
 */
export function rehypeTightBlocks() {
  return (tree: HtmlRoot) => tighten(tree);
}

function rewriteChildren(parent: Extract<Nodes, { children: unknown }>, context: Context): void {
  const inFlow = FLOW_PARENTS.has(parent.type);
  const children = (parent.children as Nodes[]).flatMap((child) => rewrite(child, inFlow, context));
  (parent as { children: Nodes[] }).children = children;
}

function rewrite(node: Nodes, inFlow: boolean, context: Context): Nodes[] {
  switch (node.type) {
    case 'html':
      return [inFlow ? paragraph(node.value) : text(node.value)];
    case 'image':
    case 'imageReference':
    case 'footnoteReference':
      return [text(sourceOf(node, context))];
    case 'table':
    case 'thematicBreak':
    case 'footnoteDefinition':
      return [paragraph(sourceOf(node, context))];
    case 'heading': {
      const words: Paragraph = { type: 'paragraph', children: node.children };
      rewriteChildren(words, context);
      return [words];
    }
    case 'break':
      return [text('\n')];
    case 'link': {
      const href = safeHref(node.url);
      if (href === undefined) return [text(sourceOf(node, context))];
      node.url = href;
      rewriteChildren(node, context);
      return [node];
    }
    case 'linkReference': {
      const definition = context.definitions.get(node.identifier);
      const href = definition && safeHref(definition.url);
      if (href === undefined) return [text(sourceOf(node, context))];
      const link: Link = {
        type: 'link',
        url: href,
        title: definition?.title,
        children: node.children,
      };
      rewriteChildren(link, context);
      return [link];
    }
    case 'listItem':
      if (typeof node.checked === 'boolean') {
        // A task list item keeps its box as typed, not as a form control.
        const box = text(node.checked ? '[x] ' : '[ ] ');
        const first = node.children[0];
        if (first?.type === 'paragraph') first.children.unshift(box);
        else node.children.unshift({ type: 'paragraph', children: [box] });
        node.checked = null;
      }
      rewriteChildren(node, context);
      return [node];
    default:
      if ('children' in node) rewriteChildren(node, context);
      return [node];
  }
}

function wordsOf(node: Nodes): string {
  if ('value' in node) return node.type === 'html' ? '' : node.value;
  if (!('children' in node)) return '';
  const blocks = FLOW_PARENTS.has(node.type) || node.type === 'list';
  return (node.children as Nodes[]).map(wordsOf).join(blocks ? '\n' : '');
}

function collectDefinitions(node: Nodes, definitions: Map<string, Definition>): void {
  if (node.type === 'definition') {
    if (!definitions.has(node.identifier)) definitions.set(node.identifier, node);
    return;
  }
  if ('children' in node) {
    for (const child of node.children as Nodes[]) collectDefinitions(child, definitions);
  }
}

function sourceOf(node: Nodes, context: Context): string {
  const { start, end } = node.position ?? {};
  return context.source.slice(start?.offset ?? 0, end?.offset ?? 0);
}

function text(value: string): Text {
  return { type: 'text', value };
}

function paragraph(value: string): Paragraph {
  return { type: 'paragraph', children: [text(value)] };
}

function tighten(parent: HtmlRoot | Element): void {
  parent.children = parent.children.filter(
    (child, index, siblings) =>
      !(
        child.type === 'text' &&
        child.value === '\n' &&
        (isBlock(siblings[index - 1]) || isBlock(siblings[index + 1]))
      ),
  ) as ElementContent[];
  for (const child of parent.children) if (child.type === 'element') tighten(child);
}

function isBlock(node: HtmlRoot['children'][number] | undefined): boolean {
  return node?.type === 'element' && BLOCK_ELEMENTS.has(node.tagName);
}
