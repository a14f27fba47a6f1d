// Model output is untrusted: markdown is parsed, then sanitized before it reaches the DOM.
// No model-provided HTML runs: raw HTML in the markdown is shown as text, and the sanitizer
// still removes scripts, event handlers, styles, forms, frames and images from what marked
// writes; links keep only http(s) targets, which open through the extension.
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

const PURIFY_CONFIG = {
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'frame', 'object', 'embed', 'img', 'svg', 'math', 'video', 'audio', 'source', 'link', 'meta', 'base'],
  FORBID_ATTR: ['style', 'class', 'id', 'target', 'srcset'],
  ALLOWED_URI_REGEXP: /^(?:https?:)/i,
  RETURN_DOM_FRAGMENT: true as const,
};

/** Sanitized DOM for `markdown`, with code blocks highlighted. */
export function renderMarkdown(markdown: string): DocumentFragment {
  const fragment = DOMPurify.sanitize(marked.parse(markdown) as string, PURIFY_CONFIG);
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
