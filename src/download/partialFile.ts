// The `.partial` file and its sidecar: what a resume needs to know so it never appends bytes of
// one file to bytes of another (a new URL, a new expected size or checksum, a changed ETag).
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';

export interface PartialIdentity {
  readonly url: string;
  readonly expectedSize: number | null;
  readonly sha256: string | null;
  /** Validator of the bytes already written, from the response that wrote them. */
  readonly etag: string | null;
  readonly totalSize: number | null;
}

export function partialPath(target: string): string {
  return `${target}.partial`;
}

export function sidecarPath(target: string): string {
  return `${target}.partial.json`;
}

export async function readSidecar(target: string): Promise<PartialIdentity | undefined> {
  try {
    const value = JSON.parse(await fs.readFile(sidecarPath(target), 'utf8')) as Partial<PartialIdentity>;
    if (typeof value.url !== 'string') return undefined;
    return {
      url: value.url,
      expectedSize: typeof value.expectedSize === 'number' ? value.expectedSize : null,
      sha256: typeof value.sha256 === 'string' ? value.sha256 : null,
      etag: typeof value.etag === 'string' ? value.etag : null,
      totalSize: typeof value.totalSize === 'number' ? value.totalSize : null,
    };
  } catch {
    return undefined;
  }
}

export async function writeSidecar(target: string, identity: PartialIdentity): Promise<void> {
  const file = sidecarPath(target);
  await fs.writeFile(`${file}.tmp`, JSON.stringify(identity));
  await fs.rename(`${file}.tmp`, file);
}

export async function removePartial(target: string): Promise<void> {
  await fs.rm(partialPath(target), { force: true });
  await fs.rm(sidecarPath(target), { force: true });
}

export async function fileSize(file: string): Promise<number | undefined> {
  try {
    return (await fs.stat(file)).size;
  } catch {
    return undefined;
  }
}

/** Feeds the first `length` bytes of `file` to `hash` (the prefix a resume continues from). */
export async function hashPrefix(file: string, length: number, hash: Hash, signal?: AbortSignal): Promise<void> {
  if (length === 0) return;
  const stream = createReadStream(file, { start: 0, end: length - 1, signal });
  for await (const chunk of stream) hash.update(chunk as Buffer);
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
