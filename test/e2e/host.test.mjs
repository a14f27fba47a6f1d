// Runs test/e2e/suite inside the extension host of a real VS Code (code-server) and reports it.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../scripts/code-server.mjs';
import { COUNTED_TEXTS, e2eModels, startLlamaServer, tokenCounts } from './models.mjs';
import { openWorkbench, outputDir } from './workbench.mjs';

const verbose = process.env.E2E_VERBOSE === '1';
// Printed by test/e2e/suite/index.ts when mocha starts inside the extension host.
const SUITE_START = 'llm-jp e2e suite: starting in the extension host';

describe('extension host suite in code-server', function () {
  this.timeout(480_000);
  let llama;
  after(async () => {
    await llama?.server?.kill();
  });

  it('passes every test of test/e2e/suite inside the extension host', async () => {
    const suite = path.join(repoRoot, 'out', 'test', 'e2e', 'suite', 'index.js');
    assert.ok(existsSync(suite), `${suite} is missing: run "npm run compile" first`);
    mkdirSync(outputDir, { recursive: true });
    const resultsFile = path.join(outputDir, 'extension-host-results.json');
    rmSync(resultsFile, { force: true });

    let inSuite = false;
    llama = await startLlamaServer((line) => verbose && console.log(`      ${line}`));
    if (llama.skip) console.log(`      (the chat panel's run against llama-server is skipped: ${llama.skip})`);
    const workbench = await openWorkbench({
      extensionTestsPath: suite,
      extensionEnvironment: {
        LLMJP_E2E_RESULTS: resultsFile,
        LLMJP_E2E_MODELS: JSON.stringify(e2eModels()),
        LLMJP_E2E_TOKEN_COUNTS: JSON.stringify(await tokenCounts(e2eModels().chat, COUNTED_TEXTS)),
        ...(llama.server ? { LLMJP_E2E_SERVER: llama.server.baseUrl } : {}),
        ...(process.env.E2E_GREP ? { LLMJP_E2E_GREP: process.env.E2E_GREP } : {}),
      },
      log: (line) => {
        // The suite's own output (mocha's spec reporter in the extension host) is always shown.
        if (line.includes(SUITE_START)) inSuite = true;
        if (verbose || (inSuite && line.startsWith('[extension host'))) console.log(`      ${line}`);
      },
    });
    let exitCode;
    let timer;
    try {
      exitCode = await Promise.race([
        workbench.automation.exited,
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('the extension host did not finish in 420 s')), 420_000))),
      ]);
    } finally {
      clearTimeout(timer); // a pending timer would keep mocha alive for minutes after the suite
      await workbench.close();
    }

    assert.ok(existsSync(resultsFile), 'the extension host suite wrote no results');
    const { outcomes } = JSON.parse(readFileSync(resultsFile, 'utf8'));
    for (const outcome of outcomes) {
      console.log(`      [extension host] ${outcome.state === 'passed' ? '✔' : outcome.state === 'pending' ? '-' : '✗'} ${outcome.title}`);
      if (outcome.error) console.log(outcome.error.replace(/^/gm, '        '));
    }
    const count = (state) => outcomes.filter((o) => o.state === state).length;
    console.log(`e2e-host: ${count('passed')} passed, ${count('failed')} failed, ${count('pending')} skipped`);
    assert.equal(count('failed'), 0);
    assert.ok(count('passed') > 0, 'no extension host test ran');
    assert.equal(exitCode, 0);
  });
});
