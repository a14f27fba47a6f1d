import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadFile, DownloadError, partialPath, sidecarPath, type DownloadOptions, type DownloadProgress } from '../../src/download';
import { writeTameModel } from '../fixtures/gguf';
import { startGgufServer, type GgufServer } from '../support/ggufServer';

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

async function rejection(promise: Promise<unknown>): Promise<DownloadError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DownloadError, `expected a DownloadError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the download to fail');
}

describe('downloader (real HTTP server on 127.0.0.1)', function () {
  this.timeout(20_000);
  let dir: string;
  let model: Buffer;
  let other: Buffer;
  let server: GgufServer;
  let counter = 0;
  let target: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'llm-jp-download-'));
    writeTameModel(path.join(dir, 'tame.gguf'), { name: 'download-test' });
    writeTameModel(path.join(dir, 'other.gguf'), { name: 'download-other', seed: 7 });
    model = readFileSync(path.join(dir, 'tame.gguf'));
    other = readFileSync(path.join(dir, 'other.gguf'));
    server = await startGgufServer({ 'model.gguf': model, 'other.gguf': other });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    server.resetCounters();
    mkdirSync(path.join(dir, 'out'), { recursive: true });
    target = path.join(dir, 'out', `model-${++counter}.gguf`);
  });
  afterEach(() => {
    server.setFault('model.gguf', undefined);
  });

  const options = (extra: Partial<DownloadOptions> = {}): DownloadOptions => ({
    url: server.url('model.gguf'),
    target,
    expectedSize: model.length,
    sha256: sha(model),
    retryDelayMs: 10,
    stallTimeoutMs: 2000,
    progressIntervalMs: 0,
    ...extra,
  });

  it('downloads, verifies and renames; the target never exists before the verified rename', async () => {
    const seen: DownloadProgress[] = [];
    const result = await downloadFile(options({
      onProgress: (progress) => {
        seen.push(progress);
        assert.equal(existsSync(target), false, 'target must not exist while downloading');
      },
    }));
    assert.equal(model.length > 200_000, true);
    assert.equal(result.sha256, sha(model));
    assert.equal(result.sizeBytes, model.length);
    assert.equal(result.attempts, 1);
    assert.deepEqual(readFileSync(target), model);
    assert.equal(existsSync(partialPath(target)), false);
    assert.equal(existsSync(sidecarPath(target)), false);
    assert.ok(seen.length >= 1);
    const last = seen[seen.length - 1];
    assert.equal(last.receivedBytes, model.length);
    assert.equal(last.totalBytes, model.length);
    assert.ok(last.bytesPerSecond > 0);
    assert.equal(last.secondsLeft, 0);
    assert.equal(server.bytesServed(), model.length);
  });

  it('resumes after a dropped connection from the bytes already written', async () => {
    server.setFault('model.gguf', { kind: 'drop-after', bytes: 100_000 }, 1);
    const result = await downloadFile(options());
    assert.equal(result.sha256, sha(model));
    assert.equal(result.attempts, 2);
    assert.equal(server.requests.length, 2);
    const resumedAt = Number(/bytes=(\d+)-/.exec(server.requests[1].range ?? '')?.[1]);
    assert.ok(resumedAt > 0 && resumedAt <= 100_000, `resumed at ${resumedAt}`);
    assert.equal(server.requests[1].status, 206);
    assert.equal(server.bytesServed(), 100_000 + (model.length - resumedAt));
  });

  it('cancel keeps the partial; a later call (as after a restart) resumes to an identical file', async () => {
    server.setFault('model.gguf', { kind: 'trickle', chunk: 16_384, intervalMs: 5 });
    const controller = new AbortController();
    const cancelled = await rejection(downloadFile(options({
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.receivedBytes >= 60_000) controller.abort();
      },
    })));
    assert.equal(cancelled.code, 'cancelled');
    assert.ok(cancelled.localized.ja.length > 0);
    assert.equal(existsSync(target), false);
    const kept = statSync(partialPath(target)).size;
    assert.ok(kept >= 60_000 && kept < model.length, `partial ${kept}`);
    assert.ok(existsSync(sidecarPath(target)));

    server.setFault('model.gguf', undefined);
    const servedBefore = server.bytesServed();
    const result = await downloadFile(options());
    assert.equal(result.resumedFromBytes, kept);
    assert.equal(sha(readFileSync(target)), sha(model));
    assert.equal(server.bytesServed() - servedBefore, model.length - kept);
    assert.equal(server.requests[server.requests.length - 1].range, `bytes=${kept}-`);
  });

  it('restarts cleanly from 0 when the server ignores Range', async () => {
    writeFileSync(partialPath(target), model.subarray(0, 50_000));
    // A partial with the matching sidecar, as a cancelled download leaves it.
    writeFileSync(sidecarPath(target), JSON.stringify({ url: server.url('model.gguf'), expectedSize: model.length, sha256: sha(model), etag: null, totalSize: model.length }));
    server.setFault('model.gguf', { kind: 'ignore-range' });
    const result = await downloadFile(options());
    assert.equal(server.requests[0].range, 'bytes=50000-');
    assert.equal(server.requests[0].status, 200);
    assert.equal(result.sha256, sha(model));
    assert.equal(server.bytesServed(), model.length);
  });

  it('discards a partial that belongs to another URL instead of appending to it', async () => {
    writeFileSync(partialPath(target), other.subarray(0, 80_000));
    writeFileSync(sidecarPath(target), JSON.stringify({ url: server.url('other.gguf'), expectedSize: other.length, sha256: null, etag: null, totalSize: other.length }));
    const result = await downloadFile(options());
    assert.equal(result.resumedFromBytes, 0);
    assert.equal(server.requests[0].range, undefined);
    assert.equal(result.sha256, sha(model));
  });

  it('refuses a corrupt download: checksum error, nothing at the target, the partial deleted', async () => {
    server.setFault('model.gguf', { kind: 'corrupt' });
    const error = await rejection(downloadFile(options()));
    assert.equal(error.code, 'checksum-mismatch');
    assert.equal(error.transient, false);
    assert.equal(existsSync(target), false);
    assert.equal(existsSync(partialPath(target)), false);
    assert.equal(existsSync(sidecarPath(target)), false);
    assert.equal(server.requests.length, 1);
  });

  it('a Content-Length longer than the body is a dropped connection; the retry resumes', async () => {
    server.setFault('model.gguf', { kind: 'wrong-length', extra: 1000 }, 1);
    const result = await downloadFile(options({ expectedSize: undefined }));
    assert.equal(result.sha256, sha(model));
    assert.equal(result.attempts, 2);
    assert.equal(server.requests[0].status, 200);
    // Node drops response bytes still buffered when the stream errors, so the retry asks for
    // the rest (206) or, when every byte was written, learns the file is complete (416).
    assert.match(server.requests[1].range ?? '', /^bytes=\d+-$/);
    assert.ok([206, 416].includes(server.requests[1].status));
  });

  it('a complete partial is finished on 416 without downloading again', async () => {
    writeFileSync(partialPath(target), model);
    writeFileSync(sidecarPath(target), JSON.stringify({ url: server.url('model.gguf'), expectedSize: model.length, sha256: sha(model), etag: null, totalSize: model.length }));
    const result = await downloadFile(options());
    assert.deepEqual(server.requests.map((request) => [request.range, request.status]), [[`bytes=${model.length}-`, 416]]);
    assert.equal(server.bytesServed(), 0);
    assert.equal(result.sha256, sha(model));
    assert.deepEqual(readFileSync(target), model);
  });

  it('refuses a server whose size differs from the expected size before writing it', async () => {
    const error = await rejection(downloadFile(options({ expectedSize: model.length + 1, sha256: undefined })));
    assert.equal(error.code, 'size-mismatch');
    assert.equal(existsSync(target), false);
    assert.equal(existsSync(partialPath(target)), false);
  });

  it('retries a stall (slow trickle that stops) and resumes', async () => {
    server.setFault('model.gguf', { kind: 'stall', bytes: 70_000, ms: 3000 }, 1);
    const result = await downloadFile(options({ stallTimeoutMs: 300 }));
    assert.equal(result.sha256, sha(model));
    assert.equal(result.attempts, 2);
    assert.match(server.requests[1].range ?? '', /^bytes=\d+-$/);
  });

  it('follows a redirect chain, and stops past the redirect limit', async () => {
    const result = await downloadFile(options({ url: server.url('model.gguf', 3) }));
    assert.equal(result.sha256, sha(model));
    assert.deepEqual(server.requests.map((request) => request.status), [302, 302, 302, 200]);
    server.resetCounters();
    const error = await rejection(downloadFile(options({ url: server.url('model.gguf', 7), target: `${target}.2`, maxRedirects: 5 })));
    assert.equal(error.code, 'too-many-redirects');
    assert.equal(server.requests.length, 6);
  });

  it('404 fails at once; a persistent 500 is retried a bounded number of times', async () => {
    const missing = await rejection(downloadFile(options({ url: server.url('absent.gguf') })));
    assert.equal(missing.code, 'http-status');
    assert.equal(missing.status, 404);
    assert.equal(server.requests.length, 1);
    server.resetCounters();
    server.setFault('model.gguf', { kind: 'status', status: 500 });
    const failing = await rejection(downloadFile(options({ retries: 2 })));
    assert.equal(failing.code, 'http-status');
    assert.equal(failing.status, 500);
    assert.equal(server.requests.length, 3);
    assert.equal(existsSync(target), false);
  });

  it('checks free disk space before any request', async () => {
    const error = await rejection(downloadFile(options({ freeSpace: async () => 1_000_000 })));
    assert.equal(error.code, 'disk-full');
    assert.match(error.localized.ja, /ディスク/);
    assert.equal(server.requests.length, 0);
  });

  it('an already downloaded, matching file is returned without a request; a mismatching one is reported', async () => {
    await downloadFile(options());
    server.resetCounters();
    const again = await downloadFile(options());
    assert.equal(again.alreadyPresent, true);
    assert.equal(server.requests.length, 0);
    const error = await rejection(downloadFile(options({ sha256: sha(other) })));
    assert.equal(error.code, 'target-invalid');
  });

  it('refuses plain http to another host', async () => {
    const error = await rejection(downloadFile(options({ url: 'http://example.com/model.gguf' })));
    assert.equal(error.code, 'network');
    assert.equal(server.requests.length, 0);
  });
});
