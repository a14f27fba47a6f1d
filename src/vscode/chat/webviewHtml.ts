import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { PANEL_BODY_HTML } from '../../core/panelBody';

/** Folders the panel may load from; nothing else in the extension or workspace is reachable. */
export function panelResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/**
 * The panel's HTML: a strict Content-Security-Policy with a per-load nonce, so the only script
 * that runs is our bundled one (no inline script, no eval), and styles come from our media.
 * The web components (@vscode-elements/elements, built on Lit) style their shadow roots with
 * constructable stylesheets, which this policy allows without 'unsafe-inline'.
 */
export function renderPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, language: string): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'chat.css'));
  // vscode-icon finds the codicon font through a stylesheet link with exactly this id.
  const codicons = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'codicons', 'codicon.css'));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${language === 'ja' ? 'ja' : 'en'}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${codicons}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${style}">
</head>
<body>
${PANEL_BODY_HTML}
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
