// Runs in Chromium, bundled by markdown.test.mjs with the panel's own webview/markdown.ts: renders
// one markdown text as the panel does and lists what in the result breaks the panel's rules
// (MARKDOWN_ALLOW_LIST, as markdown.ts declares them). An empty list is a pass.
import { MARKDOWN_ALLOW_LIST, markdownHtml, renderMarkdown } from '../../webview/markdown.ts';

const XHTML = 'http://www.w3.org/1999/xhtml';
const rules = MARKDOWN_ALLOW_LIST;
const tags = new Set([...rules.tags, ...rules.addedTags]);
const attributes = new Set([...rules.attributes, ...rules.addedAttributes]);

/** Every element under `root`, the content of <template> elements included. */
function allElements(root) {
  const found = [];
  const walk = (node) => {
    for (const child of node.children ?? []) {
      found.push(child);
      walk(child);
      if (child.content instanceof window.DocumentFragment) walk(child.content);
      if (child.shadowRoot) walk(child.shadowRoot);
    }
  };
  walk(root);
  return found;
}

/** `tag` and `tag@attribute` names with their counts, for comparing what marked wrote with what is shown. */
function census(elements, keepElement, keepAttribute) {
  const counts = new Map();
  const add = (key) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const element of elements) {
    const tag = element.localName;
    if (!keepElement(tag)) continue;
    add(tag);
    for (const { name, value } of element.attributes) if (keepAttribute(name, value)) add(`${tag}@${name}`);
  }
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, n]) => `${key} x${n}`);
}

function check(markdown) {
  const problems = [];
  const fragment = renderMarkdown(markdown);
  const shown = allElements(fragment);

  // Safety: only allowed elements and attributes, in the HTML namespace; links only to http(s).
  for (const element of shown) {
    const tag = element.localName;
    if (element.namespaceURI !== XHTML) problems.push(`<${tag}> in namespace ${element.namespaceURI}`);
    if (!tags.has(tag)) problems.push(`element <${tag}>`);
    for (const { name, value } of element.attributes) {
      if (!attributes.has(name)) problems.push(`attribute ${name}=${JSON.stringify(value)} on <${tag}>`);
    }
    // The added attributes (classes) only where renderMarkdown adds them: the scroller around a
    // table, a highlighted code block and the spans in it; never on what the model wrote.
    if (rules.addedAttributes.some((name) => element.hasAttribute(name))) {
      const addedHere =
        (tag === 'div' && element.children.length === 1 && element.firstElementChild.localName === 'table') ||
        (tag === 'code' && element.parentElement?.localName === 'pre') ||
        (tag === 'span' && element.closest('pre > code') !== null);
      if (!addedHere) problems.push(`${rules.addedAttributes.join('/')} on <${tag}> that renderMarkdown did not add`);
    }
    const href = element.getAttribute('href');
    if (href !== null) {
      if (!rules.linkTarget.test(href)) problems.push(`link target ${JSON.stringify(href)} outside ${rules.linkTarget}`);
      // As the browser reads it, from a page of the webview's own scheme.
      let scheme;
      try {
        scheme = new URL(href, 'vscode-webview://panel/index.html').protocol;
      } catch {
        scheme = 'unparsable';
      }
      if (scheme !== 'http:' && scheme !== 'https:') problems.push(`link ${JSON.stringify(href)} opens as ${scheme}`);
    }
  }

  // Faithfulness: everything marked wrote is shown, but for what the rules leave out on purpose
  // (images, checkboxes, links to other schemes), so the allow-list loses no markdown.
  const written = allElements(new window.DOMParser().parseFromString(markdownHtml(markdown), 'text/html').body);
  const leftOut = new Set(rules.leftOutTags);
  // Raw HTML is shown as text: marked itself writes only elements the rules know.
  for (const element of written) {
    const tag = element.localName;
    if (!rules.tags.includes(tag) && !leftOut.has(tag)) problems.push(`marked wrote <${tag}>: raw HTML became HTML`);
  }
  const expected = census(written, (tag) => !leftOut.has(tag), (name, value) => name !== 'href' || rules.linkTarget.test(value));
  const added = new Set(rules.addedTags);
  const addedAttributes = new Set(rules.addedAttributes);
  const actual = census(shown, (tag) => !added.has(tag), (name) => !addedAttributes.has(name));
  if (JSON.stringify(expected) !== JSON.stringify(actual)) {
    problems.push(`marked wrote ${expected.join(', ') || 'nothing'} but the panel shows ${actual.join(', ') || 'nothing'}`);
  }
  return problems;
}

window.markdownProbe = { check, render: renderMarkdown };
