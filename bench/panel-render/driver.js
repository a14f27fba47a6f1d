// Runs inside the benchmark page, before the panel's bundle: stands in for VS Code's webview host
// (acquireVsCodeApi) and drives the panel with the protocol messages the extension would send,
// recording every frame (requestAnimationFrame timestamps) and every long animation frame.
// Messages go through window.postMessage, one per delta, as VS Code delivers them to a webview.
/* global window, document, requestAnimationFrame, MessageChannel, PerformanceObserver */
(() => {
  const posted = [];
  let state;
  let acquired = false;
  let signalReady;
  const ready = new Promise((resolve) => (signalReady = resolve));

  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi can be called only once');
    acquired = true;
    return Object.freeze({
      postMessage(message) {
        posted.push(message);
        if (message && message.type === 'ready') signalReady();
      },
      getState: () => state,
      setState: (value) => (state = value),
    });
  };

  // Chromium reports each animation frame over 50 ms, with the scripts that ran in it.
  const longFrames = [];
  const loafSupported = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame');
  const seen = new Set();
  const keep = (entries) => {
    for (const entry of entries) {
      if (seen.has(entry.startTime)) continue;
      seen.add(entry.startTime);
      longFrames.push({
        startTime: entry.startTime,
        duration: entry.duration,
        blockingDuration: entry.blockingDuration,
        renderStart: entry.renderStart,
        styleAndLayoutStart: entry.styleAndLayoutStart,
        scripts: entry.scripts.map((s) => ({
          invoker: s.invoker,
          sourceFunctionName: s.sourceFunctionName,
          duration: s.duration,
          forcedStyleAndLayoutDuration: s.forcedStyleAndLayoutDuration,
        })),
      });
    }
  };
  const observer = loafSupported ? new PerformanceObserver((list) => keep(list.getEntries())) : undefined;
  observer?.observe({ type: 'long-animation-frame', buffered: true });
  // An entry reaches the timeline some frames after its frame ends (a long task's frame can
  // take over 100 ms more): a measurement waits, then takes what is pending from both places.
  async function takeLongFrames() {
    if (!observer) return;
    await sleep(300);
    keep(observer.takeRecords());
    keep(performance.getEntriesByType('long-animation-frame'));
    longFrames.sort((a, b) => a.startTime - b.startTime);
  }

  let frames;
  function tick(time) {
    if (!frames) return;
    frames.push(time);
    requestAnimationFrame(tick);
  }
  function recordFrames() {
    const wasRecording = frames !== undefined;
    frames = [];
    if (!wasRecording) requestAnimationFrame(tick);
  }
  function stopFrames() {
    const recorded = frames;
    frames = undefined;
    return recorded;
  }

  const post = (message) => window.postMessage(message, '*');
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  // A task queued behind the messages posted so far (not clamped like nested setTimeout(0)).
  const macrotask = () =>
    new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(0);
    });

  /** Resolves once `text` is in the document and the frame that shows it has been rendered. */
  async function rendered(text, timeoutMs) {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      await nextFrame();
      if (allText().includes(text)) break;
      if (performance.now() > deadline) throw new Error(`not rendered within ${timeoutMs} ms: ${text}`);
    }
    // Style, layout and paint of that frame run after its animation-frame callbacks.
    await macrotask();
    return performance.now();
  }

  function allText() {
    return document.body.textContent ?? '';
  }

  function domStats() {
    let elements = 0;
    let shadowRoots = 0;
    const visit = (root) => {
      for (const element of root.querySelectorAll('*')) {
        elements++;
        if (element.shadowRoot) {
          shadowRoots++;
          visit(element.shadowRoot);
        }
      }
    };
    visit(document);
    return {
      elements,
      shadowRoots,
      pre: document.querySelectorAll('pre').length,
      tables: document.querySelectorAll('table').length,
      textLength: allText().length,
    };
  }

  async function measured(started, ended, frameTimes) {
    await takeLongFrames();
    return {
      started,
      ended,
      frames: frameTimes.filter((t) => t >= started - 20),
      longFrames: longFrames.filter((f) => f.startTime + f.duration >= started && f.startTime <= ended),
      dom: domStats(),
    };
  }

  /**
   * One assistant turn: `deltas` ([part, text] pairs) after a user question. Deltas before
   * `measureFrom` are posted unmeasured, as fast as the page takes them; the rest are posted
   * either as fast as the page takes them (`rate` undefined: `chunk` messages per task) or
   * `rate` per second. The time ends when the turn's last text is rendered after turnEnded.
   * `phase` 'start' posts only the unmeasured part and 'rest' only the measured one, so a
   * profiler or tracer can be started between the two.
   */
  async function streamTurn({ turnId, question, deltas, measureFrom = 0, rate, chunk = 16, sentinel, timeoutMs = 300_000, phase }) {
    const delta = ([part, text]) => post({ type: 'turnDelta', turnId, part, text });
    if (phase !== 'rest') {
      post({ type: 'appendMessage', role: 'user', text: question });
      post({ type: 'turnStarted', turnId });
      for (let i = 0; i < measureFrom; i += chunk) {
        deltas.slice(i, Math.min(i + chunk, measureFrom)).forEach(delta);
        await macrotask();
      }
      if (measureFrom > 0) {
        // Let the unmeasured part settle so its last frames are not counted.
        await sleep(500);
        await nextFrame();
      }
      if (phase === 'start') return undefined;
    }
    recordFrames();
    await nextFrame();
    const started = performance.now();
    if (rate === undefined) {
      for (let i = measureFrom; i < deltas.length; i += chunk) {
        deltas.slice(i, i + chunk).forEach(delta);
        await macrotask();
      }
    } else {
      for (let i = measureFrom; i < deltas.length; ) {
        const due = measureFrom + Math.floor(((performance.now() - started) * rate) / 1000) + 1;
        while (i < Math.min(due, deltas.length)) delta(deltas[i++]);
        await sleep(Math.max(1, ((i - measureFrom) * 1000) / rate - (performance.now() - started)));
      }
    }
    const postedAt = performance.now();
    post({ type: 'turnEnded', turnId, reason: 'stop', reasoningSummary: 'Thought for 4.2 s, 180 tokens', stats: '41.8 tokens/s · 1,234 of 4,096 tokens' });
    const ended = await rendered(sentinel, timeoutMs);
    // Frames a little past the end, so a long last frame is not cut off.
    await nextFrame();
    await nextFrame();
    return { ...(await measured(started, ended, stopFrames())), postedAt, tokens: deltas.length - measureFrom };
  }

  /** A stored conversation restored at once, timed until its last answer is rendered. */
  async function restoreTranscript({ entries, sentinel, timeoutMs = 300_000 }) {
    recordFrames();
    await nextFrame();
    const started = performance.now();
    post({ type: 'restore', entries });
    const ended = await rendered(sentinel, timeoutMs);
    await nextFrame();
    await nextFrame();
    return measured(started, ended, stopFrames());
  }

  async function init(messages, timeoutMs = 30_000) {
    const late = sleep(timeoutMs).then(() => {
      throw new Error(`the panel did not post 'ready' within ${timeoutMs} ms (did dist/webview.js fail to load?)`);
    });
    await Promise.race([ready, late]);
    for (const message of messages) post(message);
    await nextFrame();
    await macrotask();
    return domStats();
  }

  window.panelBench = { init, streamTurn, restoreTranscript, loafSupported, posted: () => posted.map((m) => m.type) };
})();
