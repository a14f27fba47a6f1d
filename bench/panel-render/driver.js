// Runs inside the benchmark page, before the panel's bundle: stands in for VS Code's webview host
// (acquireVsCodeApi) and drives the panel with the protocol messages the extension would send,
// recording every frame (requestAnimationFrame timestamps) and every long animation frame.
// Messages go through window.postMessage, one per delta, as VS Code delivers them to a webview.
/* global window, document, requestAnimationFrame, MessageChannel, PerformanceObserver, Element, Node, NodeFilter */
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

  // Clicks on Stop, and how long each waited for the main thread (from the input event's own time).
  const stopClicks = [];
  window.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('#stop')) {
      stopClicks.push({ at: performance.now(), delayMs: performance.now() - event.timeStamp });
    }
  }, true);

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

  /**
   * Resolves once `text` is at the end of the last answer and the frame that shows it has been
   * rendered; with `soft`, resolves false instead of throwing when `timeoutMs` passes.
   */
  async function rendered(text, timeoutMs, soft = false) {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      await nextFrame();
      if (answerTail(text.length * 2).includes(text)) break;
      if (performance.now() > deadline) {
        if (soft) return false;
        throw new Error(`not rendered within ${timeoutMs} ms: ${text}`);
      }
    }
    // Style, layout and paint of that frame run after its animation-frame callbacks.
    await macrotask();
    return performance.now();
  }

  function allText() {
    return document.body.textContent ?? '';
  }

  function lastAnswer() {
    const answers = document.querySelectorAll('.message.assistant .answer');
    return answers[answers.length - 1];
  }

  /** The last `chars` or more characters of the last answer's text, read from its end (a whole
   * multi-megabyte answer's textContent on every frame would be the benchmark's own long frame). */
  function answerTail(chars) {
    const answer = lastAnswer();
    if (!answer) return '';
    let node = answer;
    while (node.lastChild) node = node.lastChild;
    const walker = document.createTreeWalker(answer, NodeFilter.SHOW_TEXT);
    walker.currentNode = node;
    let text = node.nodeType === Node.TEXT_NODE ? node.data : '';
    while (text.length < chars && walker.previousNode()) text = walker.currentNode.data + text;
    return text;
  }

  /** FNV-1a of a string: to compare two renderings of a multi-megabyte answer cheaply. */
  function hash(text) {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    return (h >>> 0).toString(16).padStart(8, '0');
  }

  /** What the last answer's DOM is: its markup's hash and size, and what it holds. */
  function answerDigest() {
    const answer = lastAnswer();
    if (!answer) return undefined;
    const html = answer.innerHTML;
    const code = [...answer.querySelectorAll('pre > code')].map((c) => c.textContent.length);
    return { html: hash(html), htmlLength: html.length, textLength: answer.textContent.length, rows: answer.querySelectorAll('tr').length, pre: code.length, codeChars: code.reduce((a, b) => a + b, 0) };
  }

  /** The same answer drawn as a stored turn (a restored chat): its digest, to compare with the streamed one. */
  async function storedDigest({ question, answer, sentinel, timeoutMs = 300_000 }) {
    post({ type: 'restore', entries: [{ kind: 'user', text: question }, { kind: 'assistant', reasoning: '', answer, stopReason: 'stop' }] });
    await rendered(sentinel, timeoutMs);
    return answerDigest();
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

  /** Resolves after ten animation frames in a row under 25 ms (or after `timeoutMs`). */
  async function quiet(timeoutMs) {
    const deadline = performance.now() + timeoutMs;
    let last = await nextFrame();
    for (let short = 0; short < 10 && performance.now() < deadline; ) {
      const now = await nextFrame();
      short = now - last < 25 ? short + 1 : 0;
      last = now;
    }
  }

  /**
   * One assistant turn: `deltas` ([part, text] pairs) after a user question. Deltas before
   * `measureFrom` are posted unmeasured, as fast as the page takes them; the rest are posted
   * either as fast as the page takes them (`rate` undefined: `chunk` messages per task) or
   * `rate` per second. The time ends when the turn's last text is rendered after turnEnded.
   * `phase` 'start' posts only the unmeasured part and 'rest' only the measured one, so a
   * profiler or tracer can be started between the two. `settle` 'quiet' waits after the
   * unmeasured part until the panel has drawn it; `capMs` ends the run there, finished or not
   * (`timedOut`). Returned `stopClicks`: the clicks on Stop while measured and how long each waited.
   */
  async function streamTurn({ turnId, question, deltas, measureFrom = 0, rate, chunk = 16, sentinel, timeoutMs = 300_000, capMs, settle, phase }) {
    const delta = ([part, text]) => post({ type: 'turnDelta', turnId, part, text });
    if (phase !== 'rest') {
      post({ type: 'appendMessage', role: 'user', text: question });
      post({ type: 'turnStarted', turnId });
      for (let i = 0; i < measureFrom; i += chunk) {
        deltas.slice(i, Math.min(i + chunk, measureFrom)).forEach(delta);
        await macrotask();
      }
      if (measureFrom > 0) {
        // Let the unmeasured part settle so its last frames are not counted; with 'quiet', until
        // the panel has drawn it all (ten frames in a row under 25 ms).
        await sleep(500);
        await nextFrame();
        if (settle === 'quiet') await quiet(capMs ?? timeoutMs);
      }
      if (phase === 'start') return undefined;
    }
    recordFrames();
    await nextFrame();
    const started = performance.now();
    // A run with `capMs` ends there, finished or not (measured as far as it got).
    const capped = () => capMs !== undefined && performance.now() - started > capMs;
    if (rate === undefined) {
      for (let i = measureFrom; i < deltas.length; i += chunk) {
        deltas.slice(i, i + chunk).forEach(delta);
        await macrotask();
      }
    } else {
      for (let i = measureFrom; i < deltas.length && !capped(); ) {
        const due = Math.min(deltas.length, measureFrom + Math.floor(((performance.now() - started) * rate) / 1000) + 1);
        // At most `chunk` messages per task, as they arrive from the extension one by one: a run
        // that fell behind catches up in many small tasks, not in one long one of the benchmark's.
        for (const stop = Math.min(due, i + chunk); i < stop; ) delta(deltas[i++]);
        if (i < due) await macrotask();
        else await sleep(Math.max(1, ((i - measureFrom) * 1000) / rate - (performance.now() - started)));
      }
    }
    const postedAt = performance.now();
    let timedOut = capped();
    if (!timedOut) {
      post({ type: 'turnEnded', turnId, reason: 'stop', reasoningSummary: 'Thought for 4.2 s, 180 tokens', stats: '41.8 tokens/s · 1,234 of 4,096 tokens' });
      const left = capMs === undefined ? timeoutMs : Math.max(1, capMs - (performance.now() - started));
      timedOut = !(await rendered(sentinel, left, capMs !== undefined));
    }
    const ended = performance.now();
    // Frames a little past the end, so a long last frame is not cut off.
    await nextFrame();
    await nextFrame();
    const clicks = stopClicks.filter((c) => c.at >= started);
    return { ...(await measured(started, ended, stopFrames())), postedAt, tokens: deltas.length - measureFrom, timedOut, stopClicks: clicks };
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

  window.panelBench = { init, streamTurn, restoreTranscript, answerDigest, storedDigest, loafSupported, posted: () => posted.map((m) => m.type) };
})();
