// Where the panel's time goes: the Chromium trace (CPU per kind of work and per frame) and the
// CPU profile (which functions), for the cases a target is missed in, or for two bundles.
import { fmt, table } from './format.mjs';
import { openPanel, restore, rest, startTurn, stream } from './panel.mjs';
import { profiled } from './profile.mjs';
import { traced } from './trace.mjs';

function printProfile(out, label, run) {
  const { wallMs, durations: d, sampledMs, selfByModule, inclusive } = run;
  out();
  out(`### CPU profile: ${label} (CDP Profiler at 1 ms, one run, ${fmt(wallMs)} ms wall with the profiler on)`);
  const other = d.TaskDuration - d.ScriptDuration - d.RecalcStyleDuration - d.LayoutDuration;
  out(`main-thread task time ${fmt(d.TaskDuration)} ms = script ${fmt(d.ScriptDuration)} + style ${fmt(d.RecalcStyleDuration)} + layout ${fmt(d.LayoutDuration)} + other (paint, HTML parsing, GC outside script) ${fmt(other)} ms`);
  out(`self time by module (of ${fmt(sampledMs)} ms sampled): ${selfByModule.slice(0, 9).map(([m, ms]) => `${m} ${fmt(ms)}`).join(', ')}`);
  out('time on the stack (inclusive), top functions:');
  table(out, ['function [module:line]', 'ms', '% of sampled'], inclusive
    .filter(([key]) => !key.includes('bench/panel-render/driver.js'))
    .slice(0, 16)
    .map(([key, ms]) => [key, fmt(ms), fmt((ms * 100) / sampledMs, 1)]));
}

/**
 * The cases as a profiler or tracer sees them: `setup` runs first, unobserved (the tail's first
 * 10,000 tokens, the long chat's restore), then `run` is observed.
 */
function observedCases(s) {
  return [
    { key: 'flood', label: 'flood 10k', settled: true, run: (page) => stream(page, s.flood) },
    { key: 'pacedShort', label: 'paced 100 tok/s, 600 tokens', settled: true, run: (page) => stream(page, s.pacedShort) },
    { key: 'tail', label: 'tail of the 10k answer, 100 tok/s', settled: true, setup: (page) => startTurn(page, s.tail), run: (page) => stream(page, rest(s.tail)) },
    { key: 'restore', label: 'long chat: restore 200 Q&A', run: (page) => restore(page, s.restore) },
    { key: 'chatPaced', label: 'long chat: +300 tokens, 100 tok/s', setup: (page) => restore(page, s.restore), run: (page) => stream(page, s.chatPaced) },
  ];
}

async function observe(browser, server, observed, how) {
  const panel = await openPanel(browser, server, { settled: observed.settled });
  try {
    await observed.setup?.(panel.page);
    return how === 'trace'
      ? await traced(browser, panel.page, () => observed.run(panel.page))
      : await profiled(panel.page, () => observed.run(panel.page));
  } finally {
    await panel.close();
  }
}

function timelineTable(out, rows) {
  const cell = (t, name) => `${fmt(t[name].ms)}${t[name].forcedMs >= 1 ? ` (${fmt(t[name].forcedMs)} forced)` : ''}`;
  table(out, ['case', 'tasks', 'scripts', 'style', 'stylesheet parsing (count)', 'layout', 'paint + pre-paint', 'GC', 'frames', 'frame CPU longest / p95 ms', 'frames over 50 ms CPU'],
    rows.map(([label, r]) => [
      label, fmt(r.totals.tasks.ms), fmt(r.totals.scripts.ms), cell(r.totals, 'UpdateLayoutTree'),
      `${fmt(r.totals.ParseAuthorStyleSheet.ms)} (${fmt(r.totals.ParseAuthorStyleSheet.count)})`, cell(r.totals, 'Layout'),
      fmt(r.totals.Paint.ms + r.totals.PrePaint.ms), fmt(r.totals.GC.ms), fmt(r.frames.count),
      `${fmt(r.frames.longestCpuMs, 1)} / ${fmt(r.frames.p95CpuMs, 1)}`, fmt(r.frames.over50),
    ]));
}

export async function whereTimeGoes(out, browser, server, s, reason) {
  out();
  out(`## where the time goes (${reason})`);
  out();
  out('main-thread CPU ms by kind of work (Chromium trace, one run per case; "forced" = done synchronously inside a script):');
  const profiles = {};
  const cases = observedCases(s);
  for (const observed of cases) profiles[observed.key] = { trace: await observe(browser, server, observed, 'trace') };
  timelineTable(out, cases.map((c) => [c.label, profiles[c.key].trace]));
  for (const observed of cases.filter((c) => ['flood', 'tail', 'restore'].includes(c.key))) {
    const { trace } = profiles[observed.key];
    out(`${observed.label}: longest layouts ${trace.worstLayouts.map((l) => `${fmt(l.ms, 1)} ms (${l.dirty ?? '?'} of ${l.total ?? '?'} objects dirty)`).join(', ') || '-'}; ` +
      `longest style recalculations ${trace.worstStyles.map((x) => `${fmt(x.ms, 1)} ms (${x.elements ?? '?'} elements)`).join(', ') || '-'}`);
  }
  for (const observed of cases.filter((c) => ['flood', 'tail', 'restore'].includes(c.key))) {
    // The profiler slows the page down; it gets its own run in a fresh page.
    profiles[observed.key].cpu = await observe(browser, server, observed, 'profile');
    printProfile(out, observed.label, profiles[observed.key].cpu);
  }
  return profiles;
}

/** The same cases traced with A and B alternately: CPU time, so noise on the machine matters little. */
export async function compareTimelines(out, browser, servers, s, reps) {
  const traces = servers.map(() => new Map());
  for (let rep = 0; rep < reps; rep++) {
    for (const observed of observedCases(s)) {
      for (const [i, server] of servers.entries()) {
        const list = traces[i].get(observed.key) ?? [];
        list.push(await observe(browser, server, observed, 'trace'));
        traces[i].set(observed.key, list);
      }
    }
  }
  // The run with the median task CPU of each case.
  const pick = (list) => [...list].sort((a, b) => a.totals.tasks.ms - b.totals.tasks.ms)[Math.floor((list.length - 1) / 2)];
  for (const [i, name] of ['A: dist/webview.js', 'B: the --compare bundle'].entries()) {
    out();
    out(`${name}, main-thread CPU ms by kind of work (Chromium trace, median of ${reps} by task CPU):`);
    timelineTable(out, observedCases(s).map((c) => [c.label, pick(traces[i].get(c.key))]));
  }
}
