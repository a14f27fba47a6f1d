// The renderer's own timeline around one run (Chromium tracing, the categories DevTools'
// Performance panel records): how much main-thread CPU style recalculation, stylesheet parsing,
// layout and paint took, which of them scripts forced, and the CPU each frame cost. CPU time
// (the events' thread durations) rather than wall time, so other jobs on a shared machine do
// not inflate the figures.

const CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink'];

/** Runs `run` while tracing `page`; returns its result and a summary of the panel's main thread. */
export async function traced(browser, page, run) {
  await browser.startTracing(page, { categories: CATEGORIES });
  let result;
  try {
    result = await run();
  } catch (error) {
    await browser.stopTracing().catch(() => {});
    throw error;
  }
  const buffer = await browser.stopTracing();
  return { result, ...summarizeTrace(JSON.parse(buffer.toString('utf8'))) };
}

const WORK = ['UpdateLayoutTree', 'ParseAuthorStyleSheet', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'ParseHTML', 'GC'];
const SCRIPT = new Set(['FunctionCall', 'EventDispatch', 'FireAnimationFrame', 'TimerFire', 'EvaluateScript', 'v8.callFunction', 'RunMicrotasks']);
const GC = new Set(['MinorGC', 'MajorGC']);
const FRAME_END = new Set(['Commit', 'Paint', 'PrePaint']);

const cpuMs = (e) => (e.tdur ?? e.dur) / 1000;

/** Totals per kind of work (CPU ms) and per-frame CPU, for the page's main thread. */
export function summarizeTrace(trace) {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const threadName = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args.name);
  // The page's main thread: the renderer main thread with the most animation-frame callbacks.
  const counts = new Map();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.name === 'FireAnimationFrame' && threadName.get(key) === 'CrRendererMain') counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const main = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const complete = events
    .filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && typeof e.dur === 'number')
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);

  const totals = Object.fromEntries([...WORK, 'scripts', 'tasks'].map((n) => [n, { ms: 0, forcedMs: 0, count: 0 }]));
  const layouts = [];
  const styles = [];
  const scriptEnds = [];
  const frames = [];
  let task;
  let frameCpu = 0;
  let frameStart;
  const closeTask = () => {
    if (!task) return;
    frameCpu += cpuMs(task);
    frameStart ??= task.ts;
    if (task.rendered) {
      frames.push({ cpuMs: frameCpu, wallMs: (task.ts + task.dur - frameStart) / 1000 });
      frameCpu = 0;
      frameStart = undefined;
    }
    task = undefined;
  };
  for (const e of complete) {
    if (e.name === 'RunTask' && (!task || e.ts >= task.ts + task.dur)) {
      closeTask();
      task = { ts: e.ts, dur: e.dur, tdur: e.tdur, rendered: false };
      totals.tasks.ms += cpuMs(e);
      totals.tasks.count++;
      continue;
    }
    if (task && FRAME_END.has(e.name) && e.ts < task.ts + task.dur) task.rendered = true;
    while (scriptEnds.length > 0 && scriptEnds.at(-1) <= e.ts) scriptEnds.pop();
    const inScript = scriptEnds.length > 0;
    if (SCRIPT.has(e.name)) {
      if (!inScript) {
        totals.scripts.ms += cpuMs(e);
        totals.scripts.count++;
      }
      scriptEnds.push(e.ts + e.dur);
      continue;
    }
    const total = totals[GC.has(e.name) ? 'GC' : e.name];
    if (!total) continue;
    total.ms += cpuMs(e);
    total.count++;
    if (inScript) total.forcedMs += cpuMs(e);
    if (e.name === 'Layout') layouts.push({ ms: cpuMs(e), total: e.args?.beginData?.totalObjects, dirty: e.args?.beginData?.dirtyObjects });
    if (e.name === 'UpdateLayoutTree') styles.push({ ms: cpuMs(e), elements: e.args?.elementCount });
  }
  closeTask();
  const worst = (list) => [...list].sort((a, b) => b.ms - a.ms).slice(0, 3);
  const frameCpus = frames.map((f) => f.cpuMs).sort((a, b) => a - b);
  return {
    totals,
    frames: {
      count: frames.length,
      longestCpuMs: frameCpus.at(-1) ?? NaN,
      p95CpuMs: frameCpus[Math.max(0, Math.ceil(frameCpus.length * 0.95) - 1)] ?? NaN,
      over50: frameCpus.filter((ms) => ms > 50).length,
    },
    worstLayouts: worst(layouts),
    worstStyles: worst(styles),
  };
}
