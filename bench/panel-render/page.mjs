// The chat panel outside VS Code: a local HTTP server serves a page with the panel's own body
// markup, stylesheet and bundle (dist/webview.js), plus bench/panel-render/driver.js, which
// stands in for the VS Code webview host (acquireVsCodeApi) and drives and times the panel.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const TYPES = {
  '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.html': 'text/html',
};

// A few of VS Code's "Dark Modern" colours, as the workbench sets them on the webview's <html>,
// so the panel's CSS lays out and paints as it does in the editor.
const DARK_THEME = {
  '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
  '--vscode-editor-font-size': '14px',
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-errorForeground': '#f85149',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-sideBar-background': '#181818',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-editor-foreground': '#cccccc',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-input-background': '#313131',
  '--vscode-input-foreground': '#cccccc',
  '--vscode-input-border': '#3c3c3c',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#026ec1',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-button-secondaryHoverBackground': '#3c3c3c',
  '--vscode-toolbar-hoverBackground': '#5a5d5e50',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-textCodeBlock-background': '#2b2b2b',
  '--vscode-textBlockQuote-border': '#616161',
  '--vscode-textBlockQuote-background': '#2b2b2b',
  '--vscode-badge-background': '#616161',
  '--vscode-badge-foreground': '#f8f8f8',
  '--vscode-dropdown-background': '#313131',
  '--vscode-dropdown-border': '#3c3c3c',
  '--vscode-dropdown-foreground': '#cccccc',
  '--vscode-symbolIcon-keywordForeground': '#cccccc',
  '--vscode-symbolIcon-functionForeground': '#b180d7',
  '--vscode-symbolIcon-classForeground': '#ee9d28',
  '--vscode-symbolIcon-variableForeground': '#75beff',
  '--vscode-symbolIcon-stringForeground': '#cccccc',
  '--vscode-symbolIcon-numberForeground': '#cccccc',
  '--vscode-symbolIcon-constantForeground': '#cccccc',
  '--vscode-scrollbarSlider-background': '#79797966',
};

// What VS Code's webview host adds to every webview document before the extension's own CSS.
const HOST_DEFAULT_STYLES = `
html { scrollbar-color: var(--vscode-scrollbarSlider-background) transparent; }
body {
  background-color: var(--vscode-sideBar-background);
  color: var(--vscode-foreground);
  font-family: var(--vscode-font-family);
  font-weight: var(--vscode-font-weight);
  font-size: var(--vscode-font-size);
  margin: 0;
  padding: 0 20px;
}
img, video { max-width: 100%; max-height: 100%; }
a, a code { color: var(--vscode-textLink-foreground); }
code { font-family: var(--vscode-editor-font-family); color: var(--vscode-textPreformat-foreground); }
blockquote { background: var(--vscode-textBlockQuote-background); border-color: var(--vscode-textBlockQuote-border); }
`;

/**
 * The panel's body markup. H1's `PANEL_BODY_HTML` (src/core/panelBody.ts, compiled to out/ by
 * `npx tsc -p .`) is the source of truth; before it existed the markup lived only inside
 * renderPanelHtml's template in src/vscode/chat/webviewHtml.ts, which is read as text as a fallback.
 */
export async function panelBody() {
  const compiled = path.join(repoRoot, 'out', 'src', 'core', 'panelBody.js');
  if (existsSync(compiled)) {
    const { PANEL_BODY_HTML } = await import(compiled);
    if (typeof PANEL_BODY_HTML === 'string') return { html: PANEL_BODY_HTML, source: 'out/src/core/panelBody.js (PANEL_BODY_HTML)' };
  }
  const template = readFileSync(path.join(repoRoot, 'src', 'vscode', 'chat', 'webviewHtml.ts'), 'utf8');
  const body = /<body>\n?([\s\S]*?)<script/.exec(template)?.[1];
  if (body === undefined) throw new Error('no PANEL_BODY_HTML in out/ and no <body> markup in src/vscode/chat/webviewHtml.ts');
  // Interpolations of the template (strings filled in by the extension) are left empty.
  return { html: body.replace(/\$\{[^}]*\}/g, ''), source: 'src/vscode/chat/webviewHtml.ts (template text)' };
}

/**
 * The stylesheet links and script tags of renderPanelHtml's template, in order and with their
 * attributes (vscode-icon finds the codicon font through its link's id), each
 * `${webview.asWebviewUri(joinPath(extensionUri, ...))}` replaced by the file's path here.
 */
export function panelResources() {
  const template = readFileSync(path.join(repoRoot, 'src', 'vscode', 'chat', 'webviewHtml.ts'), 'utf8');
  const files = new Map(
    [...template.matchAll(/const (\w+) = webview\.asWebviewUri\(vscode\.Uri\.joinPath\(\s*extensionUri\s*,((?:\s*'[^']+'\s*,?)+)\)\)/g)]
      .map((m) => [m[1], `/${[...m[2].matchAll(/'([^']+)'/g)].map((p) => p[1]).join('/')}`]),
  );
  const resolve = (tag) => tag.replace(/\$\{(\w+)\}/g, (whole, name) => (name === 'nonce' ? '__NONCE__' : files.get(name) ?? whole));
  const links = [...template.matchAll(/<link rel="stylesheet"[^>]*>/g)].map((m) => resolve(m[0]));
  const scripts = [...template.matchAll(/<script[^>]*><\/script>/g)].map((m) => resolve(m[0]));
  if (links.length === 0 || scripts.length === 0 || [...links, ...scripts].some((tag) => tag.includes('${'))) {
    return { links: ['<link rel="stylesheet" href="/media/chat.css">'], scripts: ['<script nonce="__NONCE__" src="/dist/webview.js"></script>'], fromTemplate: false };
  }
  return { links, scripts, fromTemplate: true };
}

function pageHtml(body, resources, nonce) {
  const csp = [
    "default-src 'none'",
    "img-src 'self' data:",
    `style-src 'self' 'nonce-${nonce}'`,
    "font-src 'self'",
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const theme = Object.entries(DARK_THEME).map(([k, v]) => `${k}: ${v};`).join(' ');
  return `<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">:root { ${theme} }${HOST_DEFAULT_STYLES}</style>
${resources.links.join('\n')}
</head>
<body class="vscode-dark" data-vscode-theme-kind="vscode-dark" data-vscode-theme-name="Dark Modern">
${body}
<script nonce="${nonce}" src="/bench/panel-render/driver.js"></script>
${resources.scripts.map((tag) => tag.replaceAll('__NONCE__', nonce)).join('\n')}
</body>
</html>`;
}

/**
 * Serves the page at `/` and files under dist/, media/, node_modules/ and the driver;
 * `webview` (a bundle built elsewhere) replaces dist/webview.js, to compare a change.
 */
export async function startPanelServer({ webview } = {}) {
  const body = await panelBody();
  const resources = panelResources();
  const missing = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/') {
      const html = pageHtml(body.html, resources, randomBytes(16).toString('base64'));
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(html);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    const relative = path.normalize(decodeURIComponent(url.pathname)).replace(/^[/\\]+/, '');
    const allowed = relative === path.join('bench', 'panel-render', 'driver.js') || /^(dist|media|node_modules)[/\\]/.test(relative);
    const replaced = webview !== undefined && relative === path.join('dist', 'webview.js');
    const file = replaced ? path.resolve(webview) : path.join(repoRoot, relative);
    if (!allowed || (!replaced && !file.startsWith(repoRoot + path.sep)) || !existsSync(file)) {
      missing.push(url.pathname);
      response.writeHead(404).end();
      return;
    }
    // As VS Code's webview service worker answers: an ETag and `no-cache`, so the browser may
    // keep what it loaded and revalidate it (no-store would make every codicon.css link inside
    // a shadow root a new download and parse, which the real panel does not pay).
    const { size, mtimeMs } = statSync(file);
    const etag = `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, { etag, 'cache-control': 'no-cache' }).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', etag, 'cache-control': 'no-cache' });
    response.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    body,
    resources,
    missing,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
