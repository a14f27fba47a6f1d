// `npm test`: lint, type-check and build, then the three test layers, each closing with a line
// "<layer>: N passed, N failed, N skipped", and a total line at the end.
// `node scripts/test.mjs unit|engine|e2e` runs one layer.
import { spawn } from 'node:child_process';
import { repoRoot, installCodeServer } from './code-server.mjs';

const layers = {
  unit: { files: ['out/test/unit/**/*.test.js'], timeout: 20_000 },
  // Pin llama.cpp to one thread per test process: on small CI machines more threads are far slower.
  engine: { files: ['out/test/engine/**/*.test.js'], timeout: 120_000 },
  // markdown.test.mjs needs only Chromium (no code-server): the panel's markdown property test.
  e2e: { files: ['test/e2e/markdown.test.mjs', 'test/e2e/host.test.mjs', 'test/e2e/ui.test.mjs', 'test/e2e/walkthrough.test.mjs'], timeout: 300_000, needsBuild: true },
};

const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const selected = requested.length > 0 ? requested : Object.keys(layers);
for (const name of selected) if (!layers[name]) throw new Error(`unknown test layer "${name}"; choose from ${Object.keys(layers).join(', ')}`);

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (data) => {
      output += data;
      process.stdout.write(data);
    });
    child.stderr.on('data', (data) => process.stderr.write(data));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function step(title, command, args) {
  console.log(`\n> ${title}`);
  const { code } = await run(command, args);
  if (code !== 0) {
    console.error(`${title} failed (exit ${code})`);
    process.exit(code);
  }
}

const full = requested.length === 0;
if (full) await step('lint', 'npx', ['eslint', '.']);
await step('type-check and compile tests', 'npx', ['tsc', '-p', '.']);
if (full || selected.includes('e2e')) {
  await step('type-check the panel', 'npx', ['tsc', '-p', 'webview']);
  await step('bundle', 'node', ['scripts/build.mjs']);
  installCodeServer();
}

const totals = { passed: 0, failed: 0, skipped: 0 };
let failedLayers = 0;
for (const name of selected) {
  const layer = layers[name];
  console.log(`\n> ${name} tests`);
  const { code, output } = await run(
    'npx',
    ['mocha', '--reporter', './test/support/summary-reporter.js', '--timeout', String(layer.timeout), ...layer.files],
    { MOCHA_LAYER: name },
  );
  const summary = [...output.matchAll(new RegExp(`^${name}: (\\d+) passed, (\\d+) failed, (\\d+) skipped$`, 'gm'))].at(-1);
  if (summary) {
    totals.passed += Number(summary[1]);
    totals.failed += Number(summary[2]);
    totals.skipped += Number(summary[3]);
  }
  if (code !== 0 || !summary) {
    failedLayers++;
    if (!summary) totals.failed++;
  }
}

if (selected.length > 1) console.log(`\ntotal: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedLayers > 0 ? 1 : 0);
