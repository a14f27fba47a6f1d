// Chat panel render benchmark (issues 6 and 7): streams a 10,000-token answer into the real panel
// (dist/webview.js, media/chat.css, the panel's body markup) in Chromium and reports render
// throughput and frame times. Target: >= 2,000 tokens/s with no frame over 50 ms. It prints;
// it never fails on a time (exit 1 only when the harness itself breaks).
//
//   node bench/panel-render.mjs [--reps N] [--profile | --no-profile] [--compare OTHER/webview.js]
//
//   --profile     always add the CPU profile and the Chromium timeline of three cases (by default
//                 only when a target is missed); --no-profile never
//   --compare F   runs every case with dist/webview.js (A) and with the bundle F (B), alternating,
//                 and prints B against A: to measure a change to the panel before adopting it
//
// Needs `npx tsc -p .` (for out/src/core/panelBody.js) and `node scripts/build.mjs` first.
// `npm run bench -- --only panel` runs the same from bench/run.mjs.
//
// Cases, each in a fresh page (420 x 900 px, VS Code's dark colours), one after the other per
// repeat; the streamed ones start a second after the panel loaded, the long chat right away:
//   flood 10k      500 reasoning + 10,000 answer tokens posted as fast as the page takes them
//   paced 100/s    100 reasoning + 500 answer tokens at 100 tokens/s (a fast local model)
//   tail 100/s     the 10k turn up to its last 500 tokens unmeasured, those at 100 tokens/s
//   long chat      restore 200 questions and answers, then a 2,000-token answer as fast as
//                  possible, then a 300-token answer at 100 tokens/s
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { compareTimelines, whereTimeGoes } from './panel-render/analysis.mjs';
import { fmt, median, minMedMax, table } from './panel-render/format.mjs';
import { TARGET, frameStats, longFrameBreakdown } from './panel-render/frames.mjs';
import { VIEWPORT, loafSupported, openPanel, rest, restore, startTurn, stream, withCpu } from './panel-render/panel.mjs';
import { startPanelServer } from './panel-render/page.mjs';
import { scenarios } from './panel-render/scenarios.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';
// As test/e2e/workbench.mjs launches it, so frame times compare with what the e2e tests see.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** One repeat of every case, each in a fresh page. */
async function repeatOnce(browser, server, s) {
  const result = {};
  const errors = [];
  const inPage = async (fn, options) => {
    const panel = await openPanel(browser, server, options);
    try {
      return await fn(panel.page);
    } finally {
      errors.push(...panel.errors);
      await panel.close();
    }
  };
  result.flood = await inPage((page) => withCpu(page, () => stream(page, s.flood)), { settled: true });
  result.pacedShort = await inPage((page) => withCpu(page, () => stream(page, s.pacedShort)), { settled: true });
  result.tail = await inPage(async (page) => {
    await startTurn(page, s.tail);
    return withCpu(page, () => stream(page, rest(s.tail)));
  }, { settled: true });
  await inPage(async (page) => {
    result.restore = await withCpu(page, () => restore(page, s.restore));
    result.chatNext = await withCpu(page, () => stream(page, s.chatNext));
    result.chatPaced = await withCpu(page, () => stream(page, s.chatPaced));
  });
  return { result, errors };
}

const CASES = [
  { key: 'flood', label: 'flood 10k (max rate)', throughput: true },
  { key: 'pacedShort', label: 'paced 100 tok/s, 600 tokens' },
  { key: 'tail', label: 'tail of the 10k answer, 100 tok/s' },
  { key: 'restore', label: 'long chat: restore 200 Q&A', restore: true },
  { key: 'chatNext', label: 'long chat: +2k answer (max rate)', throughput: true },
  { key: 'chatPaced', label: 'long chat: +300 tokens, 100 tok/s' },
];

function report(out, reps, s) {
  const rows = CASES.map(({ key, label, throughput, restore: isRestore }) => {
    const runs = reps.map((r) => r.result[key]);
    const stats = runs.map(frameStats);
    const tokens = runs[0].tokens;
    const tps = runs.map((run, i) => (run.tokens * 1000) / stats[i].ms);
    const longest = stats.map((x) => x.longestMs);
    const frameOk = median(longest) <= TARGET.frameMs;
    const tpsOk = !throughput || median(tps) >= TARGET.tokensPerSecond;
    const cpuMs = median(runs.map((run) => run.cpu?.threadMs ?? NaN));
    const cpu = !Number.isFinite(cpuMs) ? '-' : isRestore ? fmt(cpuMs) : throughput ? `${fmt(cpuMs)} = ${fmt((tokens * 1000) / cpuMs)} tok/CPU-s` : `${fmt(cpuMs)} = ${fmt(cpuMs / tokens, 2)} per token`;
    return [
      label,
      isRestore ? `${s.chat.length} entries` : fmt(tokens),
      isRestore ? `${minMedMax(stats.map((x) => x.ms))} ms` : throughput ? minMedMax(tps) : `(${fmt(median(tps))})`,
      minMedMax(longest),
      fmt(median(stats.map((x) => x.p95Ms)), 1),
      fmt(median(stats.map((x) => x.over50))),
      `${fmt(median(stats.map((x) => x.loafCount)))} / ${fmt(median(stats.map((x) => x.loafLongestMs)))}`,
      fmt(median(stats.map((x) => x.elements))),
      cpu,
      isRestore ? (frameOk ? 'frames pass' : 'frames BELOW') : `${throughput ? (tpsOk ? 'tok/s pass' : 'tok/s BELOW') + ', ' : ''}${frameOk ? 'frames pass' : 'frames BELOW'}`,
    ];
  });
  table(
    out,
    ['case', 'tokens', 'tok/s min / med / max', 'longest frame ms min / med / max', 'p95 frame ms', 'frames > 50 ms', 'LoAF n / longest ms', 'DOM elements', 'main-thread CPU ms (median)', `>= ${fmt(TARGET.tokensPerSecond)} tok/s, frame <= ${TARGET.frameMs} ms`],
    rows,
  );
}

function checkRendering(out, reps, s) {
  const flood = reps.map((r) => r.result.flood.dom);
  const pre = [...new Set(flood.map((d) => d.pre))].join(', ');
  const tables = [...new Set(flood.map((d) => d.tables))].join(', ');
  const ok = flood.every((d) => d.pre === s.long.codeBlocks && d.tables === s.long.tables);
  out(`flood 10k rendering check: ${pre} <pre> (answer has ${s.long.codeBlocks} fences), ${tables} <table> (answer has ${s.long.tables}): ${ok ? 'ok' : 'MISMATCH'}`);
}

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const floodRate = (result) => (result.flood.tokens * 1000) / frameStats(result.flood).ms;

function printRuns(out, title, results, s) {
  out();
  if (title) out(title);
  report(out, results, s);
  checkRendering(out, results, s);
}

function printLongFrames(out, result) {
  out();
  out('long animation frames (> 50 ms) of the last repeat, by their own timestamps:');
  table(out, ['case', 'long frames', 'in all ms', 'scripts ms', 'of which forced style+layout ms', 'style+layout+paint after rAF ms', 'worst frame: scripts + rendering ms', 'biggest script entries (invoker → function: ms)'],
    CASES.map(({ key, label }) => {
      const b = longFrameBreakdown(result[key]);
      return [label, b.frames, fmt(b.totalMs), fmt(b.scriptsMs), fmt(b.forcedLayoutMs), fmt(b.renderingMs), fmt(b.worstWorkMs), b.topScripts.map(([k, ms]) => `${k}: ${fmt(ms)}`).join('; ') || '-'];
    }));
}

/** B against A per case: medians of the longest frame and of tok/s, and how often B's run was better. */
function printComparison(out, a, b, nameB) {
  out();
  out(`${nameB} against dist/webview.js, paired by repeat:`);
  table(out, ['case', 'longest frame ms A → B (median)', 'B better in', 'tok/s A → B (median)', 'frames > 50 ms A → B (median)'],
    CASES.map(({ key, label, throughput }) => {
      const fa = a.map((r) => frameStats(r.result[key]));
      const fb = b.map((r) => frameStats(r.result[key]));
      const tps = (runs, stats) => runs.map((r, i) => (r.result[key].tokens * 1000) / stats[i].ms);
      const better = fa.filter((x, i) => fb[i].longestMs < x.longestMs).length;
      return [
        label,
        `${fmt(median(fa.map((x) => x.longestMs)))} → ${fmt(median(fb.map((x) => x.longestMs)))}`,
        `${better} of ${fa.length}`,
        throughput ? `${fmt(median(tps(a, fa)))} → ${fmt(median(tps(b, fb)))}` : '-',
        `${fmt(median(fa.map((x) => x.over50)))} → ${fmt(median(fb.map((x) => x.over50)))}`,
      ];
    }));
}

/**
 * Runs the benchmark; `out` prints a line. `compare`: another build of the panel's bundle, run
 * alternately with dist/webview.js in every repeat (A, then B), to measure a change.
 * Returns the raw results, or undefined when skipped.
 */
export async function measurePanelRender({ reps = 3, profile = 'auto', compare, out = console.log } = {}) {
  const bundle = path.join(repoRoot, 'dist', 'webview.js');
  for (const [file, hint] of [[bundle, 'node scripts/build.mjs'], [compare, 'the --compare bundle'], [CHROMIUM, 'Chromium']]) {
    if (file !== undefined && !existsSync(file)) {
      out(`skipped: ${file} is missing (${hint})`);
      return undefined;
    }
  }
  const { chromium } = await import('playwright-core');
  const server = await startPanelServer();
  const serverB = compare ? await startPanelServer({ webview: compare }) : undefined;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const s = scenarios();
    out(`Chromium ${browser.version()} headless, viewport ${VIEWPORT.width}x${VIEWPORT.height}; panel body from ${server.body.source}; ` +
      `${server.resources.fromTemplate ? 'links and scripts from renderPanelHtml' : 'default links and scripts'}`);
    out(`10k answer: ${fmt(s.long.answer.length)} answer + ${fmt(s.long.reasoning.length)} reasoning tokens, ${fmt(s.long.answerText.length)} characters, ` +
      `${s.long.codeBlocks} code blocks (ts, python), ${s.long.tables} tables; long chat: ${s.chat.length} entries, ${fmt(JSON.stringify(s.chat).length)} bytes`);
    const probe = await openPanel(browser, server);
    const loaf = await loafSupported(probe.page);
    out(`after init: ${probe.dom.elements} elements (${probe.dom.shadowRoots} shadow roots); long-animation-frame entries ${loaf ? 'supported' : 'NOT supported (rAF gaps only)'}`);
    await probe.close();

    out(`load average before: ${loadAverage()} (${os.availableParallelism()} CPUs; other jobs on this machine stretch frames)`);
    const results = [];
    const resultsB = [];
    const errors = new Set();
    for (let rep = 0; rep < reps; rep++) {
      for (const [target, list, name] of [[server, results, 'A'], ...(serverB ? [[serverB, resultsB, 'B']] : [])]) {
        const started = performance.now();
        const { result, errors: found } = await repeatOnce(browser, target, s);
        list.push({ result });
        for (const e of found) errors.add(e);
        out(`repeat ${rep + 1}/${reps}${serverB ? ` ${name}` : ''} (${fmt((performance.now() - started) / 1000, 1)} s): flood 10k ${fmt(floodRate(result))} tok/s, ` +
          `longest frame ${fmt(frameStats(result.flood).longestMs)} ms; tail longest frame ${fmt(frameStats(result.tail).longestMs)} ms; restore ${fmt(frameStats(result.restore).ms)} ms`);
      }
    }
    out(`load average after: ${loadAverage()}`);
    printRuns(out, serverB ? 'A: dist/webview.js' : '', results, s);
    if (serverB) {
      printRuns(out, `B: ${compare}`, resultsB, s);
      printComparison(out, results, resultsB, 'B');
    }
    out();
    out('tok/s: tokens from the first delta posted to the frame after turnEnded that shows the answer\'s last sentence (in brackets for paced cases: the pace). ' +
      'Frames: gaps between requestAnimationFrame callbacks (median over repeats of each run\'s longest and p95); LoAF: PerformanceObserver long-animation-frame entries (> 50 ms). ' +
      'CPU: the page\'s main-thread CPU time over the run (CDP ThreadTime), which other jobs on the machine barely change; tok/CPU-s is the rate one free core would give.');
    printLongFrames(out, results.at(-1).result);
    if (server.missing.length > 0) out(`requests the server could not answer: ${[...new Set(server.missing)].join(', ')}`);
    if (errors.size > 0) out(`page errors: ${[...errors].slice(0, 5).join(' | ')}`);

    const worstFrame = Math.max(...CASES.map(({ key }) => median(results.map((r) => frameStats(r.result[key]).longestMs))));
    const missed = median(results.map((r) => floodRate(r.result))) < TARGET.tokensPerSecond || worstFrame > TARGET.frameMs;
    if (serverB) await compareTimelines(out, browser, [server, serverB], s, Math.min(reps, 3));
    const profiles = profile === true || (profile === 'auto' && missed && !compare)
      ? await whereTimeGoes(out, browser, server, s, missed ? 'a target was missed' : '--profile')
      : {};
    const file = path.join(repoRoot, 'bench', '.cache', 'panel-render.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), chromium: browser.version(), compare, results, resultsB, profiles }, null, 1));
    out(`raw results: ${path.relative(repoRoot, file)}`);
    return { results, resultsB, profiles };
  } finally {
    await browser.close();
    await server.close();
    await serverB?.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      reps: { type: 'string' },
      profile: { type: 'boolean' },
      'no-profile': { type: 'boolean' },
      compare: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(0, 21).join('\n'));
    process.exit(0);
  }
  const profile = values.profile ? true : values['no-profile'] ? false : 'auto';
  try {
    await measurePanelRender({ reps: Math.max(1, Number(values.reps ?? 3)), profile, compare: values.compare && path.resolve(values.compare) });
  } catch (error) {
    console.error(`panel render benchmark broke: ${error?.stack ?? error}`);
    process.exitCode = 1;
  }
}
