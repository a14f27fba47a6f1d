// Where the panel's time goes: Chromium's sampling CPU profiler (CDP Profiler) and its
// cumulative task, script, style and layout durations (CDP Performance.getMetrics), around one
// run. Bundled code is attributed to its source module by the `// path` comments esbuild
// writes into an unminified bundle before each module.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const METRICS = ['TaskDuration', 'ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration'];

/** Runs `run` under the profiler; returns its result, the profile's tables and the metrics. */
export async function profiled(page, run) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Performance.enable');
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
    const before = await metrics(cdp);
    await cdp.send('Profiler.start');
    const wallStarted = performance.now();
    const result = await run();
    const wallMs = performance.now() - wallStarted;
    const { profile } = await cdp.send('Profiler.stop');
    const after = await metrics(cdp);
    const durations = Object.fromEntries(METRICS.map((name) => [name, (after[name] - before[name]) * 1000]));
    return { result, wallMs, durations, ...attribute(profile) };
  } finally {
    await cdp.detach().catch(() => {});
  }
}

async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/** `[startLine, module]` pairs of an unminified esbuild bundle, by its `// path` comments. */
const bundleModules = new Map();
function modulesOf(url) {
  let pathname;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return [];
  }
  if (!bundleModules.has(pathname)) {
    const file = path.join(repoRoot, decodeURIComponent(pathname));
    const ranges = [];
    if (file.startsWith(repoRoot) && existsSync(file)) {
      readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
        const m = /^\s*\/\/ ((?:node_modules|src|webview)\/\S+)$/.exec(line);
        if (m) ranges.push([index, shortModule(m[1])]);
      });
      if (ranges.length === 0) ranges.push([0, pathname.slice(1)]);
    }
    bundleModules.set(pathname, ranges);
  }
  return bundleModules.get(pathname);
}

function shortModule(file) {
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  return pkg ? pkg[1] : file;
}

function moduleOf(callFrame) {
  if (callFrame.url === '') return callFrame.functionName.startsWith('(') ? callFrame.functionName : '(native)';
  const ranges = modulesOf(callFrame.url);
  let found = ranges.length > 0 ? undefined : new URL(callFrame.url).pathname;
  for (const [start, name] of ranges) if (start <= callFrame.lineNumber) found = name;
  return found ?? '(bundle prelude)';
}

/** Self time per module and time on the stack per function, in milliseconds. */
function attribute(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const selfByModule = new Map();
  const inclusive = new Map();
  const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);
  let sampledMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    sampledMs += ms;
    const node = nodes.get(id);
    add(selfByModule, moduleOf(node.callFrame), ms);
    const onStack = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const { callFrame } = nodes.get(at);
      if (callFrame.url === '' && callFrame.functionName.startsWith('(')) continue;
      onStack.add(`${callFrame.functionName || '(anonymous)'} [${moduleOf(callFrame)}${callFrame.url ? `:${callFrame.lineNumber + 1}` : ''}]`);
    }
    for (const key of onStack) add(inclusive, key, ms);
  });
  const sorted = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return { sampledMs, selfByModule: sorted(selfByModule), inclusive: sorted(inclusive) };
}
