// Chat panel render benchmark (issues 6 and 7): streams a 10,000-token answer into the real panel
// (dist/webview.js, media/chat.css, the panel's body markup) in Chromium and reports render
// throughput and frame times. Target: >= 2,000 tokens/s with no frame over 50 ms. It prints;
// it never fails on a time (exit 1 only when the harness itself breaks).
//
//   node bench/panel-render.mjs [--reps N] [--profile | --no-profile] [--compare OTHER/webview.js]
//                               [--cases flood,pacedShort,tail,chat,table,code,line,runaway] [--cap S]
//
//   --profile     always add the CPU profile and the Chromium timeline of three cases (by default
//                 only when a target is missed); --no-profile never
//   --compare F   runs every case with dist/webview.js (A) and with the bundle F (B), alternating,
//                 and prints B against A: to measure a change to the panel before adopting it
//   --cases K,..  only these cases (chat: the three long-chat ones; runaway: table, code, line;
//                 one of those alone: tableTail, tableFlood, codeTail, ...)
//   --cap S       end a runaway case after S seconds, finished or not (default 120)
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
//   runaway blocks (issue 11, part 4) one answer that is mostly one huge block: a 2,000-row
//                  table, a 30,000-line code block, a 2 MB line with no newline; each its last
//                  300 tokens at 100 tokens/s after the rest arrived unmeasured, and whole at up to
//                  15,000 deltas/s of 8 tokens; Stop clicked every 500 ms; target: no frame over
//                  100 ms. After each, the streamed answer's DOM is compared with the same answer
//                  drawn as a stored turn (a restored chat).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { compareTimelines, whereTimeGoes } from './panel-render/analysis.mjs';
import { fmt, median, minMedMax, table } from './panel-render/format.mjs';
import { TARGET, frameStats, longFrameBreakdown } from './panel-render/frames.mjs';
import { VIEWPORT, answerDigest, loafSupported, openPanel, rest, restore, startTurn, storedDigest, stream, streamWithStops, withCpu } from './panel-render/panel.mjs';
import { startPanelServer } from './panel-render/page.mjs';
import { scenarios, unfinishedBlocks } from './panel-render/scenarios.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';
// As test/e2e/workbench.mjs launches it, so frame times compare with what the e2e tests see.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

const timeout = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} did not finish within ${fmt(ms / 1000)} s`)), ms).unref());

/** One repeat of the selected cases, each in a fresh page. */
async function repeatOnce(browser, server, s, selected) {
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
  if (selected.has('flood')) {
    result.flood = await inPage(async (page) => {
      const run = await withCpu(page, () => stream(page, s.flood));
      // Normal answers look as before: the streamed answer's DOM against the same answer stored.
      return { ...run, streamed: await answerDigest(page), stored: await storedDigest(page, { ...s.flood, answerText: s.long.answerText }) };
    }, { settled: true });
  }
  if (selected.has('pacedShort')) result.pacedShort = await inPage((page) => withCpu(page, () => stream(page, s.pacedShort)), { settled: true });
  if (selected.has('tail')) {
    result.tail = await inPage(async (page) => {
      await startTurn(page, s.tail);
      return withCpu(page, () => stream(page, rest(s.tail)));
    }, { settled: true });
  }
  if (selected.has('chat')) {
    await inPage(async (page) => {
      result.restore = await withCpu(page, () => restore(page, s.restore));
      result.chatNext = await withCpu(page, () => stream(page, s.chatNext));
      result.chatPaced = await withCpu(page, () => stream(page, s.chatPaced));
    });
  }
  for (const { key, select } of RUNAWAY_CASES) {
    if (!selected.has(select) && !selected.has(key)) continue;
    const scenario = s[key];
    result[key] = await inPage(async (page) => {
      let run;
      try {
        const posted = { ...scenario, answerText: undefined };
        const measured = async () => {
          // A tail case: the unmeasured part first, until the panel has drawn it.
          if (posted.measureFrom) await startTurn(page, posted);
          return withCpu(page, () => streamWithStops(page, posted.measureFrom ? rest(posted) : posted));
        };
        run = await Promise.race([measured(), timeout(2 * scenario.capMs + 180_000, 'the stream')]);
      } catch (error) {
        return { failed: String(error?.message ?? error) };
      }
      if (run.timedOut) return run;
      const streamed = await answerDigest(page);
      const stored = await Promise.race([storedDigest(page, scenario), timeout(120_000, 'the stored render')]).catch((error) => ({ failed: String(error?.message ?? error) }));
      return { ...run, streamed, stored };
    }, { settled: true });
  }
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

/** The runaway-block cases (issue 11, part 4): target no frame over 100 ms. */
const RUNAWAY_CASES = ['table', 'code', 'line'].flatMap((kind) => {
  const what = { table: '2,000-row table', code: '30,000-line code block', line: '2 MB line, no newline' }[kind];
  const block = (sc) => `${fmt(sc.answerText.length)} chars${kind === 'table' ? ', 2,000 rows' : kind === 'code' ? ', 30,000 lines (ts)' : ', 1 line'}`;
  return [
    { key: `${kind}Tail`, select: kind, label: `runaway ${what}: last 300 tokens, 100 tok/s`, block },
    { key: `${kind}Flood`, select: kind, label: `runaway ${what}: whole, max rate`, block },
  ];
});
const RUNAWAY_FRAME_MS = 100;

function sameDom(run) {
  if (!run?.streamed || !run?.stored) return run?.stored?.failed ? `stored render: ${run.stored.failed}` : '-';
  const a = run.streamed;
  const b = run.stored;
  return a.html === b.html && a.htmlLength === b.htmlLength ? 'same DOM' : `DIFFERENT (${fmt(a.htmlLength)} vs ${fmt(b.htmlLength)} chars of markup)`;
}

/** Answers that end inside a long table or code block: drawn whole at the end, as a stored turn draws them? */
async function checkUnfinished(out, browser, server) {
  const results = [];
  for (const scenario of unfinishedBlocks()) {
    const panel = await openPanel(browser, server, { settled: true });
    try {
      await stream(panel.page, { ...scenario, answerText: undefined });
      const run = { streamed: await answerDigest(panel.page), stored: await storedDigest(panel.page, scenario) };
      results.push(`${scenario.kind} (${fmt(scenario.answerText.length)} chars): ${sameDom(run)}`);
    } catch (error) {
      results.push(`${scenario.kind}: ${String(error?.message ?? error).split('\n')[0]}`);
    } finally {
      await panel.close();
    }
  }
  out(`answers ending inside a long block, streamed vs the same answer as a stored turn: ${results.join('; ')}`);
}

function reportRunaway(out, reps, s) {
  const keys = RUNAWAY_CASES.filter(({ key }) => reps.some((r) => r.result[key]));
  if (keys.length === 0) return;
  out();
  out(`runaway blocks (issue 11, part 4), Stop clicked every ${s.tableTail.stopEveryMs} ms while measured; target: no frame over ${RUNAWAY_FRAME_MS} ms`);
  table(out,
    ['case', 'block', 'deltas measured', 'finished', 'run ms min / med / max', 'longest frame ms min / med / max', 'p95 frame ms', `frames > ${RUNAWAY_FRAME_MS} ms`, 'LoAF n / longest ms', 'Stop click wait ms, longest (clicks)', 'main-thread CPU ms', 'DOM elements', 'rendered (streamed vs stored turn)', `frame <= ${RUNAWAY_FRAME_MS} ms`],
    keys.map(({ key, label, block }) => {
      const runs = reps.map((r) => r.result[key]);
      const failed = runs.filter((run) => run.failed);
      const ok = runs.filter((run) => !run.failed);
      if (ok.length === 0) return [label, block(s[key]), fmt(s[key].deltas.length - (s[key].measureFrom ?? 0)), failed[0].failed, '-', '-', '-', '-', '-', '-', '-', '-', '-', 'BELOW'];
      const stats = ok.map(frameStats);
      const longest = stats.map((x) => x.longestMs);
      const clicks = ok.map((run) => run.stopClicks ?? []);
      const finished = ok.filter((run) => !run.timedOut).length;
      const last = ok.at(-1);
      return [
        label, block(s[key]), fmt(s[key].deltas.length - (s[key].measureFrom ?? 0)),
        `${finished} of ${runs.length}${finished < runs.length ? ` (cut at ${fmt(s[key].capMs / 1000)} s)` : ''}`,
        minMedMax(stats.map((x) => x.ms)), minMedMax(longest), fmt(median(stats.map((x) => x.p95Ms)), 1),
        fmt(median(stats.map((x) => x.gaps.filter((g) => g > RUNAWAY_FRAME_MS).length))),
        `${fmt(median(stats.map((x) => x.loafCount)))} / ${fmt(median(stats.map((x) => x.loafLongestMs)))}`,
        `${fmt(median(clicks.map((c) => Math.max(0, ...c.map((x) => x.delayMs)))))} (${fmt(median(clicks.map((c) => c.length)))})`,
        fmt(median(ok.map((run) => run.cpu?.threadMs ?? NaN))),
        fmt(median(stats.map((x) => x.elements))),
        `${sameDom(last)}${last.streamed ? `; ${fmt(last.streamed.rows)} rows, ${fmt(last.streamed.pre)} pre, ${fmt(last.streamed.codeChars)} code chars, ${fmt(last.streamed.textLength)} text chars` : ''}`,
        finished === runs.length && median(longest) <= RUNAWAY_FRAME_MS ? 'pass' : 'BELOW',
      ];
    }));
}

function report(out, reps, s) {
  const rows = CASES.filter(({ key }) => reps.every((r) => r.result[key])).map(({ key, label, throughput, restore: isRestore }) => {
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
  if (!reps.every((r) => r.result.flood)) return;
  const flood = reps.map((r) => r.result.flood.dom);
  const pre = [...new Set(flood.map((d) => d.pre))].join(', ');
  const tables = [...new Set(flood.map((d) => d.tables))].join(', ');
  const ok = flood.every((d) => d.pre === s.long.codeBlocks && d.tables === s.long.tables);
  const digests = [...new Set(reps.map((r) => r.result.flood.streamed?.html))].join(', ');
  out(`flood 10k rendering check: ${pre} <pre> (answer has ${s.long.codeBlocks} fences), ${tables} <table> (answer has ${s.long.tables}): ${ok ? 'ok' : 'MISMATCH'}; ` +
    `streamed answer vs the same answer as a stored turn: ${reps.map((r) => sameDom(r.result.flood)).join(', ')}; streamed markup hash ${digests}`);
}

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const floodRate = (result) => (result.flood.tokens * 1000) / frameStats(result.flood).ms;

function printRuns(out, title, results, s) {
  out();
  if (title) out(title);
  report(out, results, s);
  checkRendering(out, results, s);
  reportRunaway(out, results, s);
}

function printLongFrames(out, result) {
  out();
  out('long animation frames (> 50 ms) of the last repeat, by their own timestamps:');
  table(out, ['case', 'long frames', 'in all ms', 'scripts ms', 'of which forced style+layout ms', 'style+layout+paint after rAF ms', 'worst frame: scripts + rendering ms', 'biggest script entries (invoker → function: ms)'],
    [...CASES, ...RUNAWAY_CASES].filter(({ key }) => result[key]?.longFrames).map(({ key, label }) => {
      const b = longFrameBreakdown(result[key]);
      return [label, b.frames, fmt(b.totalMs), fmt(b.scriptsMs), fmt(b.forcedLayoutMs), fmt(b.renderingMs), fmt(b.worstWorkMs), b.topScripts.map(([k, ms]) => `${k}: ${fmt(ms)}`).join('; ') || '-'];
    }));
}

/** B against A per case: medians of the longest frame and of tok/s, and how often B's run was better. */
function printComparison(out, a, b, nameB) {
  out();
  out(`${nameB} against dist/webview.js, paired by repeat:`);
  table(out, ['case', 'longest frame ms A → B (median)', 'B better in', 'tok/s A → B (median)', 'frames > 50 ms A → B (median)'],
    [...CASES, ...RUNAWAY_CASES].filter(({ key }) => [...a, ...b].every((r) => r.result[key]?.frames)).map(({ key, label, throughput }) => {
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
export async function measurePanelRender({ reps = 3, profile = 'auto', compare, cases, capSeconds, out = console.log } = {}) {
  const all = ['flood', 'pacedShort', 'tail', 'chat', 'table', 'code', 'line', ...RUNAWAY_CASES.map(({ key }) => key)];
  const selected = new Set((cases ?? all).flatMap((c) => (c === 'runaway' ? ['table', 'code', 'line'] : [c])));
  for (const c of selected) if (!all.includes(c)) throw new Error(`unknown case ${c}; choose from ${all.join(', ')}, runaway`);
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
    if (capSeconds !== undefined) for (const { key } of RUNAWAY_CASES) s[key].capMs = capSeconds * 1000;
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
        const { result, errors: found } = await repeatOnce(browser, target, s, selected);
        list.push({ result });
        for (const e of found) errors.add(e);
        const parts = [
          result.flood && `flood 10k ${fmt(floodRate(result))} tok/s, longest frame ${fmt(frameStats(result.flood).longestMs)} ms`,
          result.tail && `tail longest frame ${fmt(frameStats(result.tail).longestMs)} ms`,
          result.restore && `restore ${fmt(frameStats(result.restore).ms)} ms`,
          ...RUNAWAY_CASES.filter(({ key }) => result[key]).map(({ key, select }) => {
            const run = result[key];
            return run.failed ? `${select}: ${run.failed}` : `${select} longest frame ${fmt(frameStats(run).longestMs)} ms${run.timedOut ? ' (cut)' : ''}`;
          }),
        ].filter(Boolean);
        out(`repeat ${rep + 1}/${reps}${serverB ? ` ${name}` : ''} (${fmt((performance.now() - started) / 1000, 1)} s): ${parts.join('; ')}`);
      }
    }
    out(`load average after: ${loadAverage()}`);
    const unfinished = [];
    if (['table', 'code', 'line'].some((kind) => selected.has(kind))) {
      for (const [target, name] of [[server, 'A'], ...(serverB ? [[serverB, 'B']] : [])]) {
        await checkUnfinished((line) => unfinished.push(serverB ? `${name}: ${line}` : line), browser, target);
      }
    }
    printRuns(out, serverB ? 'A: dist/webview.js' : '', results, s);
    for (const line of unfinished) out(line);
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

    const measuredCases = CASES.filter(({ key }) => results.every((r) => r.result[key]));
    const worstFrame = Math.max(...measuredCases.map(({ key }) => median(results.map((r) => frameStats(r.result[key]).longestMs))));
    const missed = (selected.has('flood') && median(results.map((r) => floodRate(r.result))) < TARGET.tokensPerSecond) || worstFrame > TARGET.frameMs;
    // The timelines of the standard cases (not of the runaway ones, which take minutes each).
    if (serverB && measuredCases.length > 0) await compareTimelines(out, browser, [server, serverB], s, Math.min(reps, 3));
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
      cases: { type: 'string' },
      cap: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    const lines = readFileSync(new URL(import.meta.url), 'utf8').split('\n');
    console.log(lines.slice(0, lines.findIndex((line) => !line.startsWith('//'))).join('\n'));
    process.exit(0);
  }
  const profile = values.profile ? true : values['no-profile'] ? false : 'auto';
  try {
    await measurePanelRender({ reps: Math.max(1, Number(values.reps ?? 3)), profile, compare: values.compare && path.resolve(values.compare), cases: values.cases?.split(','), capSeconds: values.cap && Number(values.cap) });
  } catch (error) {
    console.error(`panel render benchmark broke: ${error?.stack ?? error}`);
    process.exitCode = 1;
  }
}
