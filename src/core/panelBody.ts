// The chat panel's body markup, apart from the script tag. It lives in core (no vscode import)
// so the same panel can be loaded outside VS Code: the render benchmark serves it in a plain
// browser page with dist/webview.js. Every visible string is filled in by the panel from the
// localized strings of the `init` message, so the markup itself holds no text.
export const PANEL_BODY_HTML = `<div class="toolbar-frame"><header id="toolbar" class="toolbar">
<span class="picker-field model-field" hidden><span class="codicon codicon-hubot" aria-hidden="true"></span><vscode-single-select id="model-picker"></vscode-single-select></span>
<span class="picker-field" hidden><span class="codicon codicon-lightbulb" aria-hidden="true"></span><vscode-single-select id="effort-picker"></vscode-single-select></span>
<span class="picker-field" hidden><span class="codicon codicon-globe" aria-hidden="true"></span><vscode-single-select id="language-picker"></vscode-single-select></span>
<vscode-toolbar-button id="new-chat" icon="add"></vscode-toolbar-button>
</header></div>
<main id="transcript" class="transcript" aria-live="polite"></main>
<form id="composer" class="composer">
<div id="chips" class="chips" hidden></div>
<vscode-textarea id="input" rows="3" resize="vertical"></vscode-textarea>
<div class="composer-bar">
<div class="attach-actions">
<vscode-toolbar-button id="attach-selection" data-kind="selection" icon="selection"></vscode-toolbar-button>
<vscode-toolbar-button id="attach-file" data-kind="file" icon="file"></vscode-toolbar-button>
<vscode-toolbar-button id="attach-problems" data-kind="problems" icon="warning"></vscode-toolbar-button>
</div>
<vscode-button id="send" icon="send"></vscode-button>
<vscode-button id="stop" icon="debug-stop" secondary hidden></vscode-button>
</div>
</form>`;
