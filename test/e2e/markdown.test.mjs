// Property test (issue 11, hostile inputs): the panel's markdown never produces an element or
// attribute outside its allow-list, and links only to http(s). Generated markdown carries hostile
// HTML (scripts, event handlers, styles, srcset, formaction, svg and math, template, iframes,
// mutation-XSS shapes), `javascript:` / `data:` / `vbscript:` links in mixed case, entity- and
// percent-encoded, split by white space, in every markdown link form. Each text is rendered by
// the panel's own webview/markdown.ts (bundled here with esbuild, the bundler of the panel) in
// Chromium, the panel's engine; the rules checked are the ones markdown.ts exports, not a copy.
// Seeded and bounded: a few hundred texts, a few seconds.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import fc from 'fast-check';
import { chromium } from 'playwright-core';
import { repoRoot } from '../../scripts/code-server.mjs';

const SEED = 424242;
const NUM_RUNS = 300;

// ---- generated hostile markdown ----

// Every payload calls window.__ran(1): the page counts the calls, so any script of the model's that ran shows.
const URLS = [
  'https://example.com/a?b=c#d', 'http://example.com', 'HTTPS://EXAMPLE.COM', 'https://例え.jp/パス',
  'javascript:window.__ran(1)', 'JaVaScRiPt:window.__ran(1)', ' javascript:window.__ran(1)', 'java\tscript:window.__ran(1)',
  'java&#x09;script:window.__ran(1)', '&#106;avascript:window.__ran(1)', '&#x6A;&#x61;vascript:window.__ran(1)', 'javascript&colon;window.__ran(1)',
  '%6Aavascript:window.__ran(1)', 'javascript:%77indow.__ran(1)', '\u0000javascript:window.__ran(1)', '\u00a0javascript:window.__ran(1)',
  'h\u00a0ttps://example.com', 'ht\ntps://example.com', 'https\u200b://example.com',
  'data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19yYW4oMSk8L3NjcmlwdD4=', 'DATA:text/html,<script>window.__ran(1)</script>', 'data:image/svg+xml,<svg onload=window.__ran(1)>',
  'vbscript:msgbox(1)', 'VBScript:msgbox(1)', 'file:///etc/passwd', 'vscode://settings', 'command:workbench.action.terminal.new', 'mailto:a@example.com',
  'tel:123', '//evil.example', '/relative', 'relative', '#fragment', '?q', '', 'https://example.com/"onmouseover="window.__ran(1)', "https://x/'><script>window.__ran(1)</script>",
];

const HTML = [
  '<script>window.__ran(1)</script>', '<SCRIPT SRC=//evil.example/x.js></SCRIPT>', '<img src=x onerror="window.__ran(1)">', '<IMG SRC=JaVaScRiPt:window.__ran(1)>',
  '<img srcset="x 1x, javascript:window.__ran(1) 2x">', '<svg onload="window.__ran(1)"><circle r=1 /></svg>', '<svg><script>window.__ran(1)</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__ran(1)>', '<svg></p><style><a id="</style><img src=1 onerror=window.__ran(1)>">',
  '<form><button formaction="javascript:window.__ran(1)">x</button></form>', '<input autofocus onfocus="window.__ran(1)">', '<iframe srcdoc="<script>window.__ran(1)</script>"></iframe>',
  '<iframe src="javascript:window.__ran(1)"></iframe>', '<template><img src=x onerror=window.__ran(1)></template>', '<details open ontoggle="window.__ran(1)">x</details>',
  '<div style="background:url(javascript:window.__ran(1))">x</div>', '<style>@import "//evil.example/x.css";</style>', '<link rel=stylesheet href=//evil.example/x.css>',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__ran(1)">', '<base href="javascript:/">', '<object data="javascript:window.__ran(1)"></object>', '<embed src="javascript:window.__ran(1)">',
  '<a href="javascript:window.__ran(1)">x</a>', '<a href="https://example.com" onclick="window.__ran(1)" target=_blank>x</a>', '<video><source onerror="window.__ran(1)"></video>',
  '<br>', '<BR/>', '<br onmouseover="window.__ran(1)">', '<br/><img src=x onerror=window.__ran(1)>', '<!-- <img src=x onerror=window.__ran(1)> -->', '<![CDATA[<img src=x onerror=window.__ran(1)>]]>',
  '<noscript><p title="</noscript><img src=x onerror=window.__ran(1)>">', '<xmp><img src=x onerror=window.__ran(1)></xmp>', '<plaintext>', '<table><tr><td onclick=window.__ran(1)>x</td></tr></table>',
  '<p id="x" class="y" style="color:red" data-x="1" aria-label="l" title="t">p</p>', '<span class=hljs-keyword>x</span>', '<div class="table-scroll">x</div>',
  '<a href="https://example.com" download ping="https://evil.example">x</a>', '<a xlink:href="javascript:window.__ran(1)">x</a>', '<isindex action=javascript:window.__ran(1) type=image>',
  '</code></pre><img src=x onerror=window.__ran(1)>', '<h1 onclick=window.__ran(1)>h</h1>', '<ol start="1" onclick=window.__ran(1)><li>x</li></ol>',
];

const urlArb = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...URLS) }, fc.webUrl(), fc.string({ maxLength: 12 }));
const htmlArb = fc.constantFrom(...HTML);
const wordArb = fc.oneof(
  fc.constantFrom('text', '日本語の文', '😀', 'a&amp;b', '&lt;script&gt;', '&#60;img&#62;', '\\<b>', '`code`', '*em*', '**strong**', '~~del~~', '<', '>', '"', "'", '&'),
  fc.string({ unit: fc.constantFrom('<', '>', '/', '"', "'", '=', '&', '#', ';', '[', ']', '(', ')', '!', '*', '_', '`', '|', '-', ':', ' ', 'a', 'x'), maxLength: 12 }),
);

/** Inline markdown: words, links in every form, images, autolinks, raw HTML. */
const inlineArb = fc.oneof(
  { weight: 3, arbitrary: wordArb },
  { weight: 2, arbitrary: htmlArb },
  { weight: 1, arbitrary: fc.tuple(wordArb, urlArb).map(([text, url]) => `[${text}](${url})`) },
  { weight: 1, arbitrary: fc.tuple(wordArb, urlArb).map(([text, url]) => `[${text}](<${url}>)`) },
  { weight: 1, arbitrary: fc.tuple(wordArb, urlArb, wordArb).map(([text, url, title]) => `[${text}](${url} "${title}")`) },
  { weight: 1, arbitrary: fc.tuple(wordArb, urlArb).map(([alt, url]) => `![${alt}](${url})`) },
  { weight: 1, arbitrary: urlArb.map((url) => `<${url}>`) },
  { weight: 1, arbitrary: fc.constantFrom('www.example.com/x', 'https://example.com/bare', 'a@example.com', 'javascript:window.__ran(1)') },
);
const lineArb = fc.array(inlineArb, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(' '));

/** Block markdown: paragraphs, headings, lists (ordered, tasks), quotes, tables, fences with hostile languages, reference links, raw HTML blocks. */
const blockArb = fc.oneof(
  { weight: 3, arbitrary: lineArb },
  { weight: 2, arbitrary: htmlArb },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 6 }), lineArb).map(([n, line]) => `${'#'.repeat(n)} ${line}`) },
  { weight: 1, arbitrary: fc.array(lineArb, { minLength: 1, maxLength: 3 }).map((lines) => lines.map((l) => `- ${l}`).join('\n')) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(1000), fc.array(lineArb, { minLength: 1, maxLength: 3 })).map(([start, lines]) => lines.map((l, i) => `${start + i}. ${l}`).join('\n')) },
  { weight: 1, arbitrary: fc.array(fc.tuple(fc.boolean(), lineArb), { minLength: 1, maxLength: 3 }).map((items) => items.map(([done, l]) => `- [${done ? 'x' : ' '}] ${l}`).join('\n')) },
  { weight: 1, arbitrary: lineArb.map((line) => `> ${line}\n> > ${line}`) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.array(fc.constantFrom(':--', '--:', ':-:', '---'), { minLength: 1, maxLength: 3 }), lineArb)
      .map(([aligns, cell]) => `| ${aligns.map(() => cell.replace(/\|/g, '\\|')).join(' | ')} |\n| ${aligns.join(' | ')} |\n| ${aligns.map(() => 'x<br>y').join(' | ')} |`),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('ts', 'js', 'html', 'svg', 'xml', 'python', '', 'js" onload="window.__ran(1)', 'x"><img src=x onerror=window.__ran(1)>', 'language-js', 'c++'), fc.oneof(htmlArb, lineArb))
      .map(([lang, body]) => `\`\`\`${lang}\n${body}\n<script>window.__ran(1)</script>\n\`\`\``),
  },
  { weight: 1, arbitrary: fc.tuple(wordArb, urlArb).map(([text, url]) => `[${text}][ref]\n\n[ref]: ${url} "t"`) },
  { weight: 1, arbitrary: fc.constantFrom('---', '***', '    indented <img src=x onerror=window.__ran(1)>') },
);

const markdownArb = fc.array(fc.tuple(blockArb, fc.constantFrom('\n\n', '\n', ' ')), { minLength: 1, maxLength: 6 }).map((blocks) => blocks.map(([b, sep]) => b + sep).join(''));

// ---- the page ----

/** A probe page's script, bundled for the browser. */
function bundleProbe(name) {
  return esbuild.build({
    entryPoints: [path.join(repoRoot, 'test', 'e2e', name)],
    absWorkingDir: repoRoot,
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  });
}

function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-dev-shm-usage'] });
}

describe('panel markdown in Chromium, properties', function () {
  this.timeout(120_000);
  let browser;
  let page;
  const requests = [];

  before(async () => {
    const bundle = await bundleProbe('markdown-probe.mjs');
    browser = await launchChromium();
    page = await browser.newPage();
    // Nothing may leave the page: a request would be an image, a frame or a script of the model's.
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    page.on('request', (request) => requests.push(request.url()));
    // No Content-Security-Policy here, unlike the panel: a handler or script that got through would run and be counted.
    await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="answers"></div></body></html>');
    await page.evaluate(() => {
      window.__runs = 0;
      window.__ran = () => (window.__runs += 1);
    });
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
  });

  after(async () => {
    await browser?.close();
  });

  it('renders only allowed elements and attributes, links only to http(s), and nothing marked writes is lost but what the rules leave out', async () => {
    await fc.assert(
      fc.asyncProperty(markdownArb, async (markdown) => {
        const problems = await page.evaluate((text) => window.markdownProbe.check(text), markdown);
        assert.deepEqual(problems, [], JSON.stringify(markdown));
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  });

  // Found by the property above; the panel's answers before it lost both.
  it('keeps an ordered list\'s start and a table\'s alignment', async () => {
    const html = await page.evaluate(() => {
      const box = document.createElement('div');
      box.append(window.markdownProbe.render('3. three\n4. four\n\n| a | b |\n|:--|--:|\n| 1 | 2 |'));
      return box.innerHTML;
    });
    assert.match(html, /<ol start="3">/);
    assert.match(html, /<th align="left">a<\/th>/);
    assert.match(html, /<td align="right">2<\/td>/);
  });

  it('drops a link target the rule does not accept, even an empty one', async () => {
    const html = await page.evaluate(() => {
      const box = document.createElement('div');
      box.append(window.markdownProbe.render('[empty]() [nbsp](h\u00a0ttps://example.com) [ok](https://example.com)'));
      return box.innerHTML;
    });
    assert.equal(html.trim(), '<p><a>empty</a> <a>nbsp</a> <a href="https://example.com">ok</a></p>');
  });

  it('runs none of the model\'s script and loads nothing, with every rendered answer in the page', async () => {
    // Everything generated above, at once, attached to the document as the panel attaches it.
    const texts = fc.sample(markdownArb, { seed: SEED, numRuns: NUM_RUNS });
    const ran = await page.evaluate(async (all) => {
      const answers = document.getElementById('answers');
      for (const text of all) {
        const answer = document.createElement('div');
        answer.append(window.markdownProbe.render(text));
        answers.append(answer);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (const element of answers.querySelectorAll('*')) for (const type of ['click', 'mouseover', 'focus', 'toggle', 'load', 'error']) element.dispatchEvent(new window.Event(type));
      await new Promise((resolve) => setTimeout(resolve, 50));
      return window.__runs;
    }, texts);
    assert.equal(ran, 0, 'script of the model ran');
    assert.deepEqual(requests.filter((url) => !url.startsWith('data:') && url !== 'about:blank'), [], 'requests from rendered answers');
  });
});

// A long table streams in pieces (webview/markdownBlocks.ts, tableRows): the first table, then
// continuation tables of at most 200 rows in the same scroller, pinned to the first table's column
// widths (webview/splitTable.ts). It must still look, select, copy and read as one table, and its
// DOM stay inside the rules, whether streamed or drawn as a stored turn.
describe('a long table drawn in pieces, in Chromium', function () {
  this.timeout(120_000);
  let browser;
  let page;
  const header = ['#', 'モデル', '量子化', 'メモリ'];
  const rows = Array.from({ length: 700 }, (_, i) => [`${i + 1}`, `LLM-jp-4 ${['8B', '32B-A3B', '1.8B'][i % 3]}`, ['Q4_K_M', 'Q8_0', 'F16'][i % 3], `${((i * 37) % 300) / 10} GiB`]);
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const table = [line(header), '|---|---|---|---:|', ...rows.map(line)].join('\n');
  const text = `以下が結果です。\n\n${table}\n\n以上です。`;

  before(async () => {
    const bundle = await bundleProbe('split-table-probe.mjs');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 420, height: 900 } });
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    // The panel's stylesheet, with a style-src policy as strict as the panel's: widths are set through the CSSOM.
    await page.setContent(`<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-t'; script-src 'unsafe-inline'"><style nonce="t">${readFileSync(path.join(repoRoot, 'media', 'chat.css'), 'utf8')}</style></head><body><div id="answers"></div></body></html>`);
    await page.evaluate(() => (window.acquireVsCodeApi = () => ({ postMessage() {} })));
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
  });

  after(async () => {
    await browser?.close();
  });

  /** What the test reads of an answer drawn by `how` (stream or stored). */
  const draw = (how) =>
    page.evaluate(async ({ how, text }) => {
      document.getElementById('answers').replaceChildren();
      const answer = await window.splitTableProbe[how](text);
      const tables = [...answer.querySelectorAll('table')];
      const edges = (row) => [...row.cells].map((cell) => [cell.getBoundingClientRect().left, cell.getBoundingClientRect().right]);
      const selection = window.getSelection();
      const range = document.createRange();
      range.setStartBefore(tables[0]);
      range.setEndAfter(tables.at(-1));
      selection.removeAllRanges();
      selection.addRange(range);
      const selected = selection.toString();
      selection.removeAllRanges();
      return {
        html: answer.innerHTML,
        scrollers: answer.querySelectorAll('.table-scroll').length,
        sameScroller: tables.every((t) => t.parentElement === tables[0].parentElement),
        bodyRows: tables.map((t) => t.tBodies[0].rows.length),
        classes: tables.map((t) => t.className),
        headEdges: edges(tables[0].tHead.rows[0]),
        bodyEdges: tables.map((t) => edges(t.tBodies[0].rows[0])),
        lastEdges: tables.map((t) => edges(t.tBodies[0].rows[t.tBodies[0].rows.length - 1])),
        // The previous table's bottom against the next table's first row's top.
        joins: tables.slice(1).map((t, i) => t.tBodies[0].rows[0].getBoundingClientRect().top - tables[i].getBoundingClientRect().bottom),
        hiddenHeads: tables.slice(1).map((t) => t.tHead.getBoundingClientRect().height),
        selected,
        after: answer.lastElementChild.outerHTML,
        elements: [...answer.querySelectorAll('*')].map((e) => ({ tag: e.localName, attributes: [...e.attributes].map((a) => [a.name, a.value]) })),
      };
    }, { how, text });

  for (const how of ['stream', 'stored']) {
    it(`${how === 'stream' ? 'streamed' : 'stored'}: 700 rows are four tables in one scroller, aligned column for column, touching, one header to see`, async () => {
      const drawn = await draw(how);
      assert.equal(drawn.scrollers, 1);
      assert.ok(drawn.sameScroller);
      assert.deepEqual(drawn.bodyRows, [200, 200, 200, 100]);
      assert.deepEqual(drawn.classes, ['table-pinned', 'table-continuation table-pinned', 'table-continuation table-pinned', 'table-continuation table-pinned']);
      for (const edges of [...drawn.bodyEdges, ...drawn.lastEdges]) {
        edges.forEach(([left, right], i) => {
          assert.ok(Math.abs(left - drawn.headEdges[i][0]) < 0.02 && Math.abs(right - drawn.headEdges[i][1]) < 0.02, `column ${i}: ${left}-${right} against ${drawn.headEdges[i]}`);
        });
      }
      // One border line between two tables: the next starts within a pixel above the previous one's end.
      for (const join of drawn.joins) assert.ok(join <= 0 && join >= -1, `tables join at ${join} px`);
      for (const height of drawn.hiddenHeads) assert.ok(height <= 1, `a continuation's header row is ${height} px high`);
      assert.match(drawn.after, /^<p>以上です。<\/p>$/, 'the text after the table follows it');
    });
  }

  it('a selection across the pieces copies the whole table once: the header, then every row', async () => {
    const drawn = await draw('stream');
    const expected = [header, ...rows].map((cells) => cells.join('\t')).join('\n');
    assert.equal(drawn.selected.trim(), expected);
  });

  it('the streamed table is the stored one, and its DOM keeps to the rules: only widths in px added, on the tables and their header cells', async () => {
    const [streamed, stored] = [await draw('stream'), await draw('stored')];
    assert.equal(streamed.html, stored.html);
    const allowed = new Set(['p', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'div']);
    for (const { tag, attributes } of streamed.elements) {
      assert.ok(allowed.has(tag), `<${tag}>`);
      for (const [name, value] of attributes) {
        if (name === 'style') {
          assert.ok(tag === 'table' || tag === 'th', `style on <${tag}>`);
          assert.match(value, /^width: \d+(?:\.\d+)?px;$/);
        } else {
          assert.ok(name === 'class' || (name === 'align' && (tag === 'th' || tag === 'td')), `${name}=${value} on <${tag}>`);
        }
      }
    }
  });

  it('reads as tables that each have the column headers, every row once', async () => {
    await draw('stream');
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    await cdp.detach();
    const shown = nodes.filter((n) => !n.ignored);
    assert.equal(shown.filter((n) => n.role?.value === 'table').length, 4);
    assert.deepEqual(shown.filter((n) => n.role?.value === 'columnheader').map((n) => n.name?.value), [...header, ...header, ...header, ...header]);
    const cells = shown.filter((n) => n.role?.value === 'cell').map((n) => n.name?.value);
    assert.deepEqual(cells, rows.flat());
  });
});
