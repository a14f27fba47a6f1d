// Two surfaces at once: a chat answer streaming while a commit message is asked for. Both run in
// the one model process; with two context sequences llama.cpp decodes them in shared batches,
// with one the second waits in the queue. Measured: each request alone, then both, the commit
// started while the chat streams: its time to first token, each one's tokens/s, the chat's
// longest pause while the commit's prompt is evaluated, and the combined tokens/s.
import { clientTokensPerSecond, newClient, timedRequest } from './engine.mjs';
import { mixedText } from './texts.mjs';

const CHAT = { conversation: 'chat', messages: [{ role: 'user', content: 'LLM-jp について、日本語で詳しく説明してください。' }], maxTokens: 256 };
const COMMIT = {
  conversation: 'commit',
  messages: [{ role: 'user', content: `次の差分のコミットメッセージを書いてください。\n\n\`\`\`diff\n${mixedText(3000, 9).split('\n').map((line) => `+${line}`).join('\n')}\n\`\`\`` }],
  maxTokens: 128,
};

function longestPause(arrivals, from, to) {
  let longest = 0;
  for (let i = 1; i < arrivals.length; i++) {
    if (arrivals[i] < from || arrivals[i - 1] > to) continue;
    longest = Math.max(longest, arrivals[i] - arrivals[i - 1]);
  }
  return longest;
}

export async function concurrentBench(modelPath, options, { out, table, fmt }) {
  const rows = [];
  for (const sequences of [2, 1]) {
    const { client } = newClient();
    try {
      await client.load({ modelPath, gpu: options.gpu ? 'auto' : false, threads: options.threads, contextSize: 4096, sequences });
      await timedRequest(client, { messages: [{ role: 'user', content: 'warm-up' }], maxTokens: 8 });
      const chatAlone = await timedRequest(client, { ...CHAT, conversation: 'chat-alone' });
      const commitAlone = await timedRequest(client, { ...COMMIT, conversation: 'commit-alone' });
      // Both: the commit is asked for once the chat has streamed 32 tokens.
      let release;
      const chatStreaming = new Promise((resolve) => (release = resolve));
      const chatArrivals = [];
      const chatRun = timedRequest(client, CHAT, (at) => {
        chatArrivals.push(at);
        if (chatArrivals.length === 32) release();
      });
      await chatStreaming;
      const commitRun = timedRequest(client, COMMIT);
      const [chat, commit] = await Promise.all([chatRun, commitRun]);
      // The pair's throughput: every token of both, from the chat's send to the last one's end.
      const combined = ((chat.usage.generatedTokens + commit.usage.generatedTokens) * 1000) / (Math.max(chat.done.at, commit.done.at) - chat.sentAt);
      const pause = longestPause(chatArrivals, commit.sentAt, (commit.firstTextAt ?? commit.done.at) + 1);
      rows.push([
        sequences,
        fmt(clientTokensPerSecond(chatAlone)), fmt(clientTokensPerSecond(commitAlone)), fmt(commitAlone.firstTextAt - commitAlone.sentAt, 0),
        fmt((commit.firstTextAt ?? NaN) - commit.sentAt, 0), fmt(clientTokensPerSecond(chat)), fmt(clientTokensPerSecond(commit)),
        fmt(pause, 0), fmt(combined), commit.notices.includes('queued') ? 'queued' : 'ran at once',
      ]);
    } finally {
      client.dispose();
    }
  }
  table(['sequences', 'chat alone t/s', 'commit alone t/s', 'commit alone TTFT ms', 'commit TTFT while the chat streams ms', 'chat t/s (both)', 'commit t/s (both)',
    "chat's longest pause while the commit's prompt is read, ms", 'both together t/s (all tokens / wall time)', 'commit'], rows);
  out(`commit prompt: ${COMMIT.messages[0].content.length} characters; chat ${CHAT.maxTokens} tokens, commit ${COMMIT.maxTokens}; the commit starts after the chat's 32nd text event`);
  return rows;
}
