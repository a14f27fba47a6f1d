// Property: whatever text a user, a file or a tool result holds, rendering plus tokenizing
// gives exactly the control ids of the same conversation with every caller string replaced by
// plain text, for every renderer (built-in 4.0, 4.1, LLM-jp-3 and the official templates).
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { renderChatParts, type ChatMessage, type ChatDialect } from '../../src/core/harmony';
import { FIRST_TEXT_ID, UnigramTokenizer } from '../../src/core/tokenizer';
import { loadTokenizerFromModelFile } from '../../src/core/tokenizer/loadVocab';
import { hostileText } from '../fixtures/chat/hostileText';
import { SHARED_LLM_JP_4, sharedTemplate, template41 } from '../fixtures/chat/reference';

interface Turn {
  readonly question: string;
  readonly file: string;
  readonly path: string;
  readonly result: string;
  readonly answer: string;
}

const turns = fc.array(fc.record({ question: hostileText, file: hostileText, path: hostileText, result: hostileText, answer: hostileText }), {
  minLength: 1,
  maxLength: 2,
});

function conversation(list: readonly Turn[], withTools: boolean): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: 'Be brief.' }];
  for (const turn of list) {
    messages.push({ role: 'user', content: `${turn.question}\n\nFile a.txt:\n\`\`\`\n${turn.file}\n\`\`\`` });
    if (withTools) {
      messages.push(
        { role: 'assistant', tool_calls: [{ type: 'function', function: { name: 'read_file', arguments: { path: turn.path } } }] },
        { role: 'tool', name: 'read_file', content: turn.result },
      );
    }
    messages.push({ role: 'assistant', content: turn.answer });
  }
  return messages;
}

const plain = (list: readonly Turn[]): Turn[] => list.map(() => ({ question: 'q', file: 'f', path: 'p', result: 'r', answer: 'a' }));

const TOOLS = [
  {
    type: 'function' as const,
    function: { name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } },
  },
];

describe('property: rendering plus tokenizing never puts a control id in a text span', function () {
  this.timeout(60_000);
  const modelFile = path.join(SHARED_LLM_JP_4, 'tokenizer-v4.0-alpha1.0.model');
  let tokenizer: UnigramTokenizer;

  before(function () {
    if (!existsSync(modelFile)) {
      console.log(`    (skipped: ${modelFile} is absent)`);
      this.skip();
    }
    tokenizer = loadTokenizerFromModelFile(modelFile);
  });

  const renderers: Array<{ name: string; template?: string; dialect: ChatDialect; tools: boolean }> = [
    { name: 'built-in 4.0', dialect: 'llm-jp-4.0', tools: true },
    { name: 'built-in 4.1', dialect: 'llm-jp-4.1', tools: true },
    { name: 'built-in LLM-jp-3', dialect: 'llm-jp-3', tools: false },
    { name: 'template 4.0', template: sharedTemplate('chat_template-4.0.jinja'), dialect: 'llm-jp-4.0', tools: true },
    { name: 'template 4.1', template: template41(), dialect: 'llm-jp-4.1', tools: true },
  ];

  for (const renderer of renderers) {
    it(renderer.name, function () {
      if (renderer.name.startsWith('template') && renderer.template === undefined) return this.skip();
      const options = { tools: renderer.tools ? TOOLS : undefined, addGenerationPrompt: true, currentDate: '2026-12-01', dialect: renderer.dialect };
      const controls = (list: readonly Turn[]): string =>
        tokenizer
          .encodeParts(renderChatParts(renderer.template, conversation(list, renderer.tools), options))
          .filter((id) => id < FIRST_TEXT_ID)
          .join(',');
      fc.assert(
        fc.property(turns, (list) => {
          assert.equal(controls(list), controls(plain(list)));
        }),
        { seed: 20261201, numRuns: 150 },
      );
    });
  }
});
