// Frame figures of a measured run: gaps between requestAnimationFrame callbacks and the
// long-animation-frame entries Chromium reported.
import { percentile } from './format.mjs';

/** Issue 6's target: 2,000 tokens/s with no frame over 50 ms. */
export const TARGET = { tokensPerSecond: 2000, frameMs: 50 };

/** Frame figures of one measured run, from its rAF timestamps and long-animation-frame entries. */
export function frameStats(run) {
  const times = run.frames.filter((t) => t <= run.ended + 50);
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  const loaf = run.longFrames;
  return {
    ms: run.ended - run.started,
    frames: gaps.length,
    gaps,
    longestMs: gaps.length > 0 ? Math.max(...gaps) : NaN,
    p95Ms: percentile(gaps, 95),
    over50: gaps.filter((g) => g > TARGET.frameMs).length,
    loafCount: loaf.length,
    loafLongestMs: loaf.length > 0 ? Math.max(...loaf.map((f) => f.duration)) : 0,
    loafBlockingMs: loaf.reduce((sum, f) => sum + f.blockingDuration, 0),
    elements: run.dom.elements,
    dom: run.dom,
  };
}

/**
 * Where the long animation frames of a run went, from the LoAF entries' own timestamps: scripts
 * (message handlers, rAF callbacks; Chromium lists those over 5 ms), the style and layout they
 * forced, and the frame's rendering after its rAF callbacks (style, layout, paint).
 */
export function longFrameBreakdown(run) {
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  const rendering = (f) => (f.styleAndLayoutStart > 0 ? f.startTime + f.duration - f.styleAndLayoutStart : 0);
  const frames = run.longFrames;
  const scripts = frames.flatMap((f) => f.scripts);
  const byScript = new Map();
  for (const script of scripts) {
    const key = `${script.invoker}${script.sourceFunctionName ? ` → ${script.sourceFunctionName}` : ''}`;
    byScript.set(key, (byScript.get(key) ?? 0) + script.duration);
  }
  return {
    frames: frames.length,
    totalMs: sum(frames.map((f) => f.duration)),
    scriptsMs: sum(scripts.map((s) => s.duration)),
    forcedLayoutMs: sum(scripts.map((s) => s.forcedStyleAndLayoutDuration)),
    renderingMs: sum(frames.map(rendering)),
    // Work the panel itself did in its worst frame; the rest of a long frame is waiting (tasks
    // under 5 ms, or no CPU for the renderer while other jobs run).
    worstWorkMs: Math.max(0, ...frames.map((f) => sum(f.scripts.map((x) => x.duration)) + rendering(f))),
    topScripts: [...byScript.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3),
  };
}
