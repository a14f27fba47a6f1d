// A request to a server is cut to the server's context before it is sent, as the local engine
// cuts its prompt: oldest turns first, then the largest attachment, never the latest question.
import * as assert from 'node:assert/strict';
import type { GenerateRequest } from '../../src/core/generation/types';
import { fitRemoteRequest } from '../../src/core/remote/fitRequest';

const turn = (i: number) => [
  { role: 'user' as const, content: `質問 ${i}: ${'この関数の動きを説明してください。'.repeat(20)}` },
  { role: 'assistant' as const, content: `回答 ${i}: ${'引数を検証してから計算します。'.repeat(20)}` },
];

describe('fitting a server request to its context', () => {
  it('leaves a request that fits as it is', () => {
    const request: GenerateRequest = { messages: [{ role: 'user', content: 'こんにちは' }], maxTokens: 256 };
    const fitted = fitRemoteRequest(request, 4096);
    assert.ok(fitted.ok);
    assert.equal(fitted.request, request);
    assert.equal(fitted.notice, undefined);
  });

  it('drops the oldest turns first and says how many, keeping the system message and the latest question', () => {
    const messages = [{ role: 'system' as const, content: 'Be brief.' }, ...Array.from({ length: 10 }, (_, i) => turn(i)).flat(), { role: 'user' as const, content: '最後の質問です。' }];
    const fitted = fitRemoteRequest({ messages, maxTokens: 512 }, 2048);
    assert.ok(fitted.ok);
    const kept = fitted.request.messages;
    assert.equal(kept[0].content, 'Be brief.');
    assert.equal(kept.at(-1)?.content, '最後の質問です。');
    assert.ok(kept.length < messages.length && kept.length > 2, `${kept.length} of ${messages.length} kept`);
    assert.equal(kept[1].role, 'user', 'a whole turn goes, never half of one');
    assert.match(fitted.notice?.message.en ?? '', new RegExp(`the ${messages.length - kept.length} oldest messages were left out`));
    assert.match(fitted.notice?.message.ja ?? '', /古いメッセージ/);
  });

  it('shortens the largest attachment, and refuses a question that cannot fit at all', () => {
    const fitted = fitRemoteRequest({ messages: [{ role: 'user', content: '説明して' }], context: [{ label: 'big.ts', text: 'const x = 1;\n'.repeat(5000) }], maxTokens: 512 }, 2048);
    assert.ok(fitted.ok);
    assert.ok((fitted.request.context?.[0].text.length ?? 0) < 5000 * 13);
    assert.match(fitted.notice?.message.en ?? '', /Shortened: big\.ts/);
    assert.equal(fitRemoteRequest({ messages: [{ role: 'user', content: '長い'.repeat(5000) }], maxTokens: 512 }, 2048).ok, false);
  });
});
