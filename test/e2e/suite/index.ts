// Entry point VS Code loads as `extensionTestsPath`: runs the *.test.js files beside it with
// mocha inside the real extension host, and leaves a machine-readable result for the driver.
import Mocha from 'mocha';
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

interface Outcome {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly error?: string;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 60_000,
    reporter: path.resolve(__dirname, '../../../../test/support/summary-reporter.js'),
    reporterOptions: { layer: 'e2e-host' },
    // E2E_GREP=… on the driver's command line runs the matching tests alone (while developing).
    ...(process.env.LLMJP_E2E_GREP ? { grep: process.env.LLMJP_E2E_GREP } : {}),
  });
  for (const file of readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  console.log(`llm-jp e2e suite: starting in the extension host (Node ${process.version}, VS Code ${vscode.version})`);
  const outcomes: Outcome[] = [];
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (test) => outcomes.push({ title: test.fullTitle(), state: 'passed' }));
    runner.on('pending', (test) => outcomes.push({ title: test.fullTitle(), state: 'pending' }));
    runner.on('fail', (test, error: Error) =>
      outcomes.push({ title: test.fullTitle(), state: 'failed', error: error.stack ?? String(error) }),
    );
  });
  const resultsFile = process.env.LLMJP_E2E_RESULTS;
  if (resultsFile) writeFileSync(resultsFile, JSON.stringify({ outcomes }, null, 2));
  if (failures > 0) throw new Error(`${failures} extension host test(s) failed.`);
}
