// Model output is untrusted: markdown is parsed, then sanitized before it reaches the DOM.
// No model-provided HTML runs: raw HTML in the markdown is shown as text, and the sanitizer
// keeps only an allow-list of the elements and attributes marked writes (no scripts, event
// handlers, styles, forms, frames or images); links keep only http(s) targets, which open
// through the extension.
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

for (const [name, language] of Object.entries({ bash, cpp, css, diff, go, java, javascript, json, python, rust, sql, typescript, xml, yaml })) {
  hljs.registerLanguage(name, language);
}
hljs.registerAliases(['sh', 'shell', 'zsh'], { languageName: 'bash' });
hljs.registerAliases(['ts', 'tsx'], { languageName: 'typescript' });
hljs.registerAliases(['js', 'jsx', 'mjs', 'cjs'], { languageName: 'javascript' });
hljs.registerAliases(['py'], { languageName: 'python' });
hljs.registerAliases(['html', 'svg'], { languageName: 'xml' });
hljs.registerAliases(['yml'], { languageName: 'yaml' });
hljs.registerAliases(['c', 'c++', 'h', 'hpp'], { languageName: 'cpp' });

/**
 * highlight.js compiles a language's grammar on its first use, which can take a frame or more
 * (tens of ms): compile them one per idle period after load, not in the middle of a stream.
 */
export function warmUpHighlighter(): void {
  const pending = hljs.listLanguages();
  const next = (deadline: IdleDeadline): void => {
    // A grammar can take 35 ms to compile (Java): start one only in an idle period with room for
    // it, so the compile never runs into a frame the panel has to draw.
    if (deadline.timeRemaining() < 40) {
      requestIdleCallback(next);
      return;
    }
    const language = pending.shift();
    if (language === undefined) return;
    hljs.highlight('x', { language, ignoreIllegals: true });
    requestIdleCallback(next);
  };
  requestIdleCallback(next);
}

const marked = new Marked({ gfm: true, async: false });

/**
 * What the sanitizer lets through: the elements and attributes marked writes for markdown (raw
 * HTML never gets here as HTML: see the html renderer below), less images (they would load from
 * anywhere) and task-list checkboxes. Everything else goes, with its attributes; the text inside
 * stays.
 */
const MARKDOWN_TAGS = [
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'br', 'blockquote', 'pre', 'code', 'ul', 'ol', 'li',
  'table', 'thead', 'tbody', 'tr', 'th', 'td', 'strong', 'em', 'del', 'a',
];
/** A link's target: kept only when it matches LINK_TARGET. */
const URL_ATTRIBUTES = ['href'];
/**
 * A link's `title`, an ordered list's `start`, a table cell's `align`, a fence's language (see the
 * code renderer): text, not URLs. DOMPurify tests the value of any attribute it does not know as
 * URI-safe against the URL rule, which would drop `start="3"` and `align="left"`.
 */
const TEXT_ATTRIBUTES = ['title', 'start', 'align', 'data-language'];
const MARKDOWN_ATTRIBUTES = [...URL_ATTRIBUTES, ...TEXT_ATTRIBUTES];
/** Links keep only http(s) targets, which open through the extension (it checks the scheme again). */
const LINK_TARGET = /^(?:https?:)/i;
/** What renderMarkdown adds after sanitizing: the scroller around a table and highlight.js's spans, with their classes. */
const ADDED_TAGS = ['div', 'span'];
const ADDED_ATTRIBUTES = ['class'];

/** The panel's rules for a rendered answer, in one place; the panel's property test checks the DOM against them. */
export const MARKDOWN_ALLOW_LIST = {
  /** What the sanitizer keeps of marked's HTML. */
  tags: MARKDOWN_TAGS,
  attributes: MARKDOWN_ATTRIBUTES,
  linkTarget: LINK_TARGET,
  /** What renderMarkdown adds after sanitizing. */
  addedTags: ADDED_TAGS,
  addedAttributes: ADDED_ATTRIBUTES,
  /** What marked writes that the sanitizer drops on purpose: images and task-list checkboxes. */
  leftOutTags: ['img', 'input'],
} as const;

const PURIFY_CONFIG = {
  ALLOWED_TAGS: MARKDOWN_TAGS,
  ALLOWED_ATTR: MARKDOWN_ATTRIBUTES,
  ADD_URI_SAFE_ATTR: TEXT_ATTRIBUTES,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOWED_URI_REGEXP: LINK_TARGET,
  RETURN_DOM_FRAGMENT: true as const,
};

/** The HTML marked writes for `markdown`, before sanitizing. */
export function markdownHtml(markdown: string): string {
  return marked.parse(markdown) as string;
}

/** Sanitized DOM for `markdown`, with code blocks highlighted. */
export function renderMarkdown(markdown: string): DocumentFragment {
  const fragment = DOMPurify.sanitize(markdownHtml(markdown), PURIFY_CONFIG);
  // DOMPurify keeps an empty href and tests the others with white space taken out: keep only the
  // targets that LINK_TARGET itself accepts.
  for (const link of fragment.querySelectorAll('a[href]')) {
    if (!LINK_TARGET.test(link.getAttribute('href') ?? '')) link.removeAttribute('href');
  }
  for (const code of fragment.querySelectorAll('pre > code')) highlight(code as HTMLElement);
  // Wide tables scroll inside the answer instead of widening the panel.
  for (const table of fragment.querySelectorAll('table')) {
    const scroller = document.createElement('div');
    scroller.className = 'table-scroll';
    table.replaceWith(scroller);
    scroller.append(table);
  }
  return fragment;
}

/** Sanitized DOM for inline markdown (a piece of a very long line, see markdownBlocks.ts). */
export function renderInline(markdown: string): DocumentFragment {
  return DOMPurify.sanitize(marked.parseInline(markdown) as string, PURIFY_CONFIG);
}

/** The language a code element was written in (`data-language`), when highlight.js knows it. */
export function codeLanguage(code: Element): string | undefined {
  const language = /^language-([\w+#.-]+)$/.exec(code.getAttribute('data-language') ?? '')?.[1];
  return language !== undefined && hljs.getLanguage(language) !== undefined ? language : undefined;
}

/** `text` highlighted as `language`, sanitized. */
export function highlightCode(text: string, language: string): DocumentFragment {
  const highlighted = hljs.highlight(text, { language, ignoreIllegals: true }).value;
  // hljs escapes the text; sanitizing again keeps the rule "nothing unsanitized reaches the DOM".
  return DOMPurify.sanitize(highlighted, { ALLOWED_TAGS: ['span'], ALLOWED_ATTR: ['class'], RETURN_DOM_FRAGMENT: true });
}

function highlight(code: HTMLElement): void {
  const language = codeLanguage(code);
  if (language === undefined) return;
  code.replaceChildren(highlightCode(code.textContent ?? '', language));
  code.classList.add('hljs');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

marked.use({
  renderer: {
    // marked writes the fence's language as a class, which the sanitizer strips: keep it as data.
    code({ text, lang }) {
      const language = (lang ?? '').trim().split(/\s+/)[0];
      const attribute = /^[\w+#.-]+$/.test(language) ? ` data-language="language-${language}"` : '';
      return `<pre><code${attribute}>${escapeHtml(text)}</code></pre>\n`;
    },
    // HTML the model writes is shown as text, never parsed: not even the sanitizer's parser sees
    // its event handlers (Chromium reports those to the console as CSP violations while parsing).
    // A line break is the one tag models use in table cells; it alone stays a tag.
    html({ text, block }) {
      if (/^<br\s*\/?>$/i.test(text.trim())) return '<br>';
      return block ? `<p>${escapeHtml(text)}</p>\n` : escapeHtml(text);
    },
  },
});
