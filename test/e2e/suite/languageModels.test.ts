// The local model inside VS Code's own AI surfaces, in a real VS Code (code-server, which has no
// AI extension and so no Chat view): @llmjp's handler streams a Japanese answer and the file it
// read; another extension's road, vscode.lm.selectChatModels({ vendor }), finds the local model,
// streams text without the reasoning, returns a tool call as a LanguageModelToolCallPart, answers
// from the tool's result in the next request, stops the engine when cancelled, and counts tokens
// as the exact tokenizer does.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import { CPU_SETTINGS, e2eModel, resetSettings, setSettings, until, workspaceRoot } from './support';
import { ATTACHMENT_ANSWER, ATTACHMENT_WORD, GREETING_ANSWER, GREETING_REASONING, README, README_ANSWER, README_QUESTION } from '../scriptTexts';

const extensionId = 'llm-jp-vscode.llm-jp-vscode';

const READ_FILE_TOOL: vscode.LanguageModelChatTool = {
  name: 'read_file',
  description: 'Read a file of the workspace',
  inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};

/** A ChatResponseStream that keeps what the handler wrote. */
function recordingStream() {
  const said = { markdown: '', progress: [] as string[], references: [] as vscode.Uri[], buttons: [] as vscode.Command[] };
  const stream = {
    markdown(value: string | vscode.MarkdownString) {
      said.markdown += typeof value === 'string' ? value : value.value;
      return stream;
    },
    progress(value: string) {
      said.progress.push(value);
      return stream;
    },
    reference(value: vscode.Uri | vscode.Location) {
      said.references.push(value instanceof vscode.Uri ? value : value.uri);
      return stream;
    },
    button(command: vscode.Command) {
      said.buttons.push(command);
      return stream;
    },
    anchor: () => stream,
    filetree: () => stream,
    push: () => stream,
  };
  return { said, stream: stream as unknown as vscode.ChatResponseStream };
}

function chatRequest(prompt: string, command?: string): vscode.ChatRequest {
  return { prompt, command, references: [], toolReferences: [], toolInvocationToken: undefined, model: undefined } as unknown as vscode.ChatRequest;
}

async function collect(response: vscode.LanguageModelChatResponse): Promise<{ text: string; calls: vscode.LanguageModelToolCallPart[] }> {
  let text = '';
  const calls: vscode.LanguageModelToolCallPart[] = [];
  for await (const part of response.stream) {
    if (part instanceof vscode.LanguageModelTextPart) text += part.value;
    else if (part instanceof vscode.LanguageModelToolCallPart) calls.push(part);
  }
  return { text, calls };
}

describe("VS Code's own AI: @llmjp and vscode.lm", function () {
  this.timeout(180_000);
  let api: ExtensionApi;
  const config = () => vscode.workspace.getConfiguration('llmJp');

  before(async () => {
    api = await vscode.extensions.getExtension<ExtensionApi>(extensionId)!.activate();
    await setSettings({ ...CPU_SETTINGS, modelPath: e2eModel('chat') });
    await fs.writeFile(path.join(workspaceRoot(), 'README.md'), README);
  });

  after(async () => {
    await resetSettings(['modelPath', 'contextSize', 'threads', 'gpu', 'maxTokens']);
  });

  it("@llmjp's handler streams the Japanese answer, and the file it read as a reference", async () => {
    const { said, stream } = recordingStream();
    const source = new vscode.CancellationTokenSource();
    const result = await api.lm.participant(chatRequest(README_QUESTION), { history: [] } as unknown as vscode.ChatContext, stream, source.token);
    assert.equal(result && 'errorDetails' in result ? result.errorDetails : undefined, undefined);
    assert.equal(said.markdown, README_ANSWER);
    assert.deepEqual(said.references.map((u) => path.basename(u.fsPath)), ['README.md']);
    assert.ok(said.progress.some((p) => /read_file/.test(p)), `progress while the tool ran: ${JSON.stringify(said.progress)}`);
    assert.ok(!said.markdown.includes('確認します'), 'no reasoning in the answer');
  });

  it('/explain explains the editor\'s selection, and names its file', async () => {
    const file = vscode.Uri.file(path.join(workspaceRoot(), 'participant.ts'));
    await fs.writeFile(file.fsPath, `const secret = 1; // ${ATTACHMENT_WORD} \nexport {};\n`);
    const editor = await vscode.window.showTextDocument(file);
    editor.selection = new vscode.Selection(0, 0, 1, 0);
    const { said, stream } = recordingStream();
    const result = await api.lm.participant(chatRequest('', 'explain'), { history: [] } as unknown as vscode.ChatContext, stream, new vscode.CancellationTokenSource().token);
    assert.equal(result && 'errorDetails' in result ? result.errorDetails : undefined, undefined);
    assert.equal(said.markdown, ATTACHMENT_ANSWER);
    assert.deepEqual(said.references.map((u) => path.basename(u.fsPath)), ['participant.ts']);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('is found by vscode.lm.selectChatModels({ vendor }) and streams an answer without its reasoning', async () => {
    const models = await until(async () => {
      const found = await vscode.lm.selectChatModels({ vendor: api.lm.vendor });
      return found.length > 0 && found;
    }, 'the local model among the language models');
    assert.equal(models.length, 1);
    const [model] = models;
    assert.equal(model.vendor, 'llm-jp');
    assert.equal(model.family, 'llm-jp-4');
    assert.ok(model.maxInputTokens > 1000 && model.maxInputTokens <= 8192, `maxInputTokens ${model.maxInputTokens}`);
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('こんにちは')], {}, new vscode.CancellationTokenSource().token);
    const { text, calls } = await collect(response);
    assert.equal(text, GREETING_ANSWER);
    assert.ok(!text.includes(GREETING_REASONING));
    assert.deepEqual(calls, []);
  });

  it('returns a tool call as a LanguageModelToolCallPart, and answers from its result in the next request', async () => {
    const [model] = await vscode.lm.selectChatModels({ vendor: api.lm.vendor });
    const question = vscode.LanguageModelChatMessage.User(README_QUESTION);
    const first = await collect(await model.sendRequest([question], { tools: [READ_FILE_TOOL] }, new vscode.CancellationTokenSource().token));
    assert.equal(first.text, '');
    assert.equal(first.calls.length, 1);
    const [call] = first.calls;
    assert.equal(call.name, 'read_file');
    assert.deepEqual(call.input, { path: 'README.md' });
    assert.ok(call.callId !== '');
    const second = await collect(
      await model.sendRequest(
        [
          question,
          vscode.LanguageModelChatMessage.Assistant([call]),
          vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart(call.callId, [new vscode.LanguageModelTextPart(README)])]),
        ],
        { tools: [READ_FILE_TOOL] },
        new vscode.CancellationTokenSource().token,
      ),
    );
    assert.equal(second.text, README_ANSWER);
    assert.deepEqual(second.calls, []);
  });

  it('counts tokens as the exact tokenizer does', async () => {
    const expected = JSON.parse(process.env.LLMJP_E2E_TOKEN_COUNTS ?? '{}') as Record<string, number>;
    assert.ok(Object.keys(expected).length > 0, 'the driver passes the exact counts');
    const [model] = await vscode.lm.selectChatModels({ vendor: api.lm.vendor });
    for (const [text, count] of Object.entries(expected)) {
      assert.equal(await model.countTokens(text), count, text);
    }
    assert.equal(await model.countTokens(vscode.LanguageModelChatMessage.User(README_QUESTION)), expected[README_QUESTION]);
  });

  it('stops the engine when the request is cancelled mid-stream', async () => {
    await config().update('modelPath', e2eModel('tame'), vscode.ConfigurationTarget.Global);
    await config().update('maxTokens', 4000, vscode.ConfigurationTarget.Global);
    const [model] = await until(async () => {
      const found = await vscode.lm.selectChatModels({ vendor: api.lm.vendor });
      return found.length > 0 && found;
    }, 'the local model');
    const source = new vscode.CancellationTokenSource();
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('続けて書いてください')], {}, source.token);
    let pieces = 0;
    const reading = (async () => {
      try {
        for await (const part of response.stream) if (part instanceof vscode.LanguageModelTextPart) pieces++;
      } catch {
        // a cancelled stream may end with an error: what matters is that it ends
      }
    })();
    await until(() => pieces >= 3, 'the answer to start streaming', 60_000);
    await until(() => api.engine.state.kind === 'generating', 'the engine to be generating');
    source.cancel();
    await until(() => api.engine.state.kind !== 'generating', 'the engine to stop generating', 10_000);
    await reading;
    const afterStop = pieces;
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(pieces, afterStop, 'nothing streams after the cancel');
    assert.ok(pieces < 4000, `${pieces} pieces: it stopped long before its token limit`);
  });
});
