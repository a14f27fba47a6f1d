// The built-in renderers against the official templates rendered by Jinja, and the Jinja path
// against Python's jinja2 (the renderer the models' training data went through).

import * as assert from 'node:assert/strict';
import { renderChat, renderChatParts, detectDialect, type RenderOptions } from '../../src/core/harmony/render';
import { templateVariables } from '../../src/core/harmony/renderInputs';
import type { ChatDialect, ChatMessage } from '../../src/core/harmony/types';
import { CONVERSATIONS, INTEGER_ENUM_TOOL, OPTION_SETS, type Conversation } from '../fixtures/chat/corpus';
import { Random, randomConversation, randomTools } from '../fixtures/chat/randomChats';
import {
  pythonWithJinja,
  renderWithPython,
  sharedTemplate,
  template41,
  type PythonCase,
} from '../fixtures/chat/reference';

interface Case {
  readonly label: string;
  readonly messages: ChatMessage[];
  readonly options: RenderOptions;
}

function cases(conversations: readonly Conversation[]): Case[] {
  return conversations.flatMap((conversation) =>
    OPTION_SETS.map((set, i) => ({
      label: `${conversation.name} / options ${i}`,
      messages: conversation.messages,
      options: { ...set, tools: conversation.tools },
    })),
  );
}

const ALL = cases(CONVERSATIONS);

/** Seeded random conversations with random tool schemas. */
function randomCases(count: number): Case[] {
  const r = new Random(20260314);
  return Array.from({ length: count }, (_, i) => {
    const tools = randomTools(r);
    const set = OPTION_SETS[i % OPTION_SETS.length];
    return {
      label: `random ${i}`,
      messages: randomConversation(r, tools),
      options: { ...set, tools: r.chance(0.8) ? tools : undefined },
    };
  });
}

const RANDOM = randomCases(300);

/** An LLM-jp-3 instruct template written for these tests in the published format. */
const LLM_JP_3_TEMPLATE =
  '{{- bos_token -}}{%- for m in messages -%}' +
  "{%- if m.role == 'user' -%}{{- '\\n\\n### 指示:\\n' + m.content -}}" +
  "{%- elif m.role == 'system' -%}{{- '以下は、タスクを説明する指示です。要求を適切に満たす応答を書きなさい。' -}}" +
  "{%- elif m.role == 'assistant' -%}{{- '\\n\\n### 応答:\\n' + m.content + eos_token -}}{%- endif -%}" +
  "{%- if loop.last and add_generation_prompt -%}{{- '\\n\\n### 応答:\\n' -}}{%- endif -%}{%- endfor -%}";

function pythonCases(list: readonly Case[], dialect: ChatDialect): PythonCase[] {
  return list.map(({ messages, options }) => {
    const kwargs = templateVariables(messages, options, dialect);
    const { messages: m, tools } = kwargs;
    delete kwargs.messages;
    delete kwargs.tools;
    delete kwargs.documents;
    return { messages: m, tools, kwargs };
  });
}

function outcome(run: () => string): string {
  try {
    return run();
  } catch (err) {
    return `ERROR ${(err as Error).message}`;
  }
}

describe('renderChat against the official LLM-jp-4 templates', function () {
  const template40 = sharedTemplate('chat_template-4.0.jinja');

  it('4.0: the built-in renderer writes what the template writes, for every conversation and option set', function () {
    if (template40 === undefined) this.skip(); // ../shared/llm-jp-4 is absent: no reference template
    assert.equal(detectDialect(template40), 'llm-jp-4.0');
    for (const c of ALL) {
      const builtIn = outcome(() => renderChat(undefined, c.messages, { ...c.options, dialect: 'llm-jp-4.0' }));
      const viaJinja = outcome(() => renderChat(template40, c.messages, c.options));
      assert.equal(builtIn, viaJinja, c.label);
      assert.ok(!builtIn.startsWith('ERROR'), `${c.label}: ${builtIn}`);
    }
  });

  it('4.0: parts of both paths join to the render and keep caller text out of structure', function () {
    if (template40 === undefined) this.skip(); // ../shared/llm-jp-4 is absent: no reference template
    for (const c of ALL) {
      const text = renderChat(template40, c.messages, c.options);
      for (const template of [undefined, template40]) {
        const parts = renderChatParts(template, c.messages, { ...c.options, dialect: 'llm-jp-4.0' });
        assert.equal(parts.map((p) => p.text).join(''), text, c.label);
        assertNoInjectedTokens(parts, c);
      }
    }
  });

  it('4.1: the built-in renderer writes what the 4.1 template writes', function () {
    const template = template41();
    // The 4.1 template is read from ../shared/llm-jp-4/chat_template-4.1.jinja or $LLMJP_TEMPLATE_41.
    if (template === undefined) this.skip();
    assert.equal(detectDialect(template), 'llm-jp-4.1');
    for (const c of ALL) {
      const builtIn = outcome(() => renderChat(undefined, c.messages, { ...c.options, dialect: 'llm-jp-4.1' }));
      const viaJinja = outcome(() => renderChat(template, c.messages, c.options));
      assert.equal(builtIn, viaJinja, c.label);
      assert.ok(!builtIn.startsWith('ERROR'), `${c.label}: ${builtIn}`);
      const parts = renderChatParts(template, c.messages, c.options);
      assert.equal(parts.map((p) => p.text).join(''), viaJinja, c.label);
    }
  });

  it('4.0 and 4.1: built-in equals the template for 300 random conversations and tool schemas', function () {
    if (template40 === undefined) this.skip(); // ../shared/llm-jp-4 is absent: no reference template
    const template = template41();
    for (const [dialect, source] of [['llm-jp-4.0', template40], ['llm-jp-4.1', template]] as const) {
      if (source === undefined) continue;
      for (const c of RANDOM) {
        const builtIn = outcome(() => renderChat(undefined, c.messages, { ...c.options, dialect }));
        assert.equal(builtIn, outcome(() => renderChat(source, c.messages, c.options)), `${dialect} ${c.label}`);
        assert.ok(!builtIn.startsWith('ERROR'), `${dialect} ${c.label}: ${builtIn}`);
        const parts = renderChatParts(source, c.messages, c.options);
        assert.equal(parts.map((p) => p.text).join(''), builtIn, `${dialect} ${c.label} parts`);
      }
    }
  });

  it('4.0: an enum default that is not a string is written with String(), as @huggingface/jinja does', function () {
    if (template40 === undefined) this.skip(); // ../shared/llm-jp-4 is absent: no reference template
    const messages: ChatMessage[] = [{ role: 'user', content: 'x' }];
    const options: RenderOptions = { tools: [INTEGER_ENUM_TOOL], currentDate: '2026-01-01' };
    const builtIn = renderChat(undefined, messages, options);
    assert.ok(builtIn.includes('level?: number, // default: 2,\n'), builtIn);
    assert.equal(builtIn, renderChat(template40, messages, options));
  });

  it('uses today as the current date when none is given, on both paths', function () {
    if (template40 === undefined) this.skip(); // ../shared/llm-jp-4 is absent: no reference template
    const messages: ChatMessage[] = [{ role: 'user', content: 'x' }];
    const builtIn = renderChat(undefined, messages);
    const viaJinja = renderChat(template40, messages);
    const now = new Date();
    const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
    assert.ok(builtIn.includes(`Current date: ${today}\n`), builtIn);
    assert.equal(builtIn, viaJinja);
  });
});

describe('renderChat for LLM-jp-3 against a template in the published format', () => {
  it('writes what the template writes, with and without a generation prompt', () => {
    assert.equal(detectDialect(LLM_JP_3_TEMPLATE), 'llm-jp-3');
    for (const c of ALL) {
      const messages = c.messages.filter((m) => m.role !== 'tool' && m.content !== undefined);
      const builtIn = renderChat(undefined, messages, { ...c.options, dialect: 'llm-jp-3' });
      assert.equal(builtIn, renderChat(LLM_JP_3_TEMPLATE, messages, c.options), c.label);
      const parts = renderChatParts(LLM_JP_3_TEMPLATE, messages, c.options);
      assert.equal(parts.map((p) => p.text).join(''), builtIn, c.label);
    }
  });
});

describe('renderChat against Python jinja2 (Hugging Face transformers environment)', function () {
  const python = pythonWithJinja();

  const compare = (template: string, dialect: ChatDialect, list: readonly Case[]): void => {
    const results = renderWithPython(template, pythonCases(list, dialect), {});
    list.forEach((c, i) => {
      const result = results[i];
      assert.ok('text' in result, `${c.label}: Python failed: ${'error' in result ? result.error : ''}`);
      assert.equal(renderChat(template, c.messages, c.options), result.text, `${c.label} (Jinja path)`);
      assert.equal(renderChat(undefined, c.messages, { ...c.options, dialect }), result.text, `${c.label} (built-in)`);
    });
  };

  it('4.0 template: both paths equal Python for every conversation', function () {
    const template = sharedTemplate('chat_template-4.0.jinja');
    if (python === undefined || template === undefined) this.skip(); // needs python3-jinja2 and ../shared/llm-jp-4
    compare(template, 'llm-jp-4.0', ALL);
  });

  it('4.1 template: both paths equal Python for every conversation', function () {
    const template = template41();
    if (python === undefined || template === undefined) this.skip(); // needs python3-jinja2 and the 4.1 template
    compare(template, 'llm-jp-4.1', ALL);
  });

  it('4.0 and 4.1 templates: both paths equal Python for 300 random conversations', function () {
    const template = sharedTemplate('chat_template-4.0.jinja');
    if (python === undefined || template === undefined) this.skip(); // needs python3-jinja2 and ../shared/llm-jp-4
    compare(template, 'llm-jp-4.0', RANDOM);
    const newer = template41();
    if (newer !== undefined) compare(newer, 'llm-jp-4.1', RANDOM);
  });

  it('LLM-jp-3 format: both paths equal Python', function () {
    if (python === undefined) this.skip(); // needs python3-jinja2 (apt-get install python3-jinja2)
    const list = ALL.map((c) => ({ ...c, messages: c.messages.filter((m) => m.role !== 'tool' && m.content !== undefined) }));
    compare(LLM_JP_3_TEMPLATE, 'llm-jp-3', list);
  });

  it('Python refuses a non-string enum default in 4.0 (the one case where the paths follow JavaScript)', function () {
    const template = sharedTemplate('chat_template-4.0.jinja');
    if (python === undefined || template === undefined) this.skip(); // needs python3-jinja2 and ../shared/llm-jp-4
    const [result] = renderWithPython(
      template,
      pythonCases([{ label: 'int enum', messages: [{ role: 'user', content: 'x' }], options: { tools: [INTEGER_ENUM_TOOL] } }], 'llm-jp-4.0'),
      {},
    );
    assert.ok('error' in result && result.error.startsWith('TypeError'), JSON.stringify(result));
  });
});

/**
 * Every special token in structure parts must be one the renderer wrote: replacing the caller's
 * text with harmless letters must leave the structure's special tokens unchanged.
 */
function assertNoInjectedTokens(parts: readonly { kind: string; text: string }[], c: Case): void {
  const structure = parts.filter((p) => p.kind === 'structure').map((p) => p.text).join('');
  const count = (s: string): number => (s.match(/<\|[a-z_]+\|>/g) ?? []).length;
  const clean = (text: string): string => text.replace(/<\|[a-z_]+\|>/g, 'x');
  const scrubbed: ChatMessage[] = c.messages.map((m) => ({
    ...m,
    ...(m.content !== undefined ? { content: clean(m.content) } : {}),
    ...(m.thinking !== undefined ? { thinking: clean(m.thinking) } : {}),
  }));
  const tools = c.options.tools?.map((t) => JSON.parse(clean(JSON.stringify(t))));
  const reference = renderChatParts(undefined, scrubbed, { ...c.options, tools, dialect: 'llm-jp-4.0' });
  const referenceStructure = reference.filter((p) => p.kind === 'structure').map((p) => p.text).join('');
  assert.equal(count(structure), count(referenceStructure), `${c.label}: special tokens leaked into structure`);
}
