// What the reviewer model reads: each changed file's hunks with the new file's line numbers
// written in front of every line it keeps or adds (removed lines get none: nothing can be
// commented on there), so that the lines a finding names are lines of the file as it is now.
// Lockfiles, generated and binary files are left out and named; deleted files have no lines left
// to comment on. The files are packed into pieces that each fit the model's context: a review
// of a large change is several requests, one per piece, never a cut-off listing.
import { fileHunks, hunkStart, splitDiff, type DiffFile } from '../commit/diffFiles';
import { skipReason, type SkipReason } from '../commit/skipRules';

export interface ReviewFile {
  /** Workspace-relative (repository-relative for a diff), '/'-separated. */
  readonly path: string;
  /** The numbered listing the model reads. */
  readonly listing: string;
  /** True when the listing had to be cut to fit one request. */
  readonly cut: boolean;
}

export interface ReviewMaterial {
  readonly files: readonly ReviewFile[];
  readonly skipped: readonly { readonly path: string; readonly reason: SkipReason | 'deleted' }[];
}

/** The width line numbers are padded to: the listing's columns line up up to 99,999 lines. */
const NUMBER_WIDTH = 5;

function numbered(line: number | undefined, marker: string, text: string): string {
  return `${line === undefined ? ''.padStart(NUMBER_WIDTH) : String(line).padStart(NUMBER_WIDTH)} ${marker} ${text}`;
}

/** One file's hunks, every kept or added line numbered as in the new file. */
export function numberedHunks(file: DiffFile): string {
  const out: string[] = [];
  for (const hunk of fileHunks(file).hunks) {
    const start = hunkStart(hunk);
    if (!start) continue;
    const lines = hunk.split('\n');
    out.push(lines[0]);
    let newLine = start.newLine;
    for (const line of lines.slice(1)) {
      if (line === '' || line.startsWith('\\')) continue; // the hunk's trailing newline; "\ No newline at end of file"
      const marker = line[0];
      const text = line.slice(1);
      if (marker === '+') out.push(numbered(newLine++, '+', text));
      else if (marker === '-') out.push(numbered(undefined, '-', text));
      else out.push(numbered(newLine++, ' ', text));
    }
  }
  return out.join('\n');
}

/** A whole file, every line numbered (a review of one file rather than of a change). */
export function numberedFile(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line, i) => numbered(i + 1, ' ', line)).join('\n');
}

/** The listing cut to `max` characters at a line's end, when it is longer. */
function cutListing(listing: string, max: number): { text: string; cut: boolean } {
  if (listing.length <= max) return { text: listing, cut: false };
  const end = listing.lastIndexOf('\n', max);
  return { text: listing.slice(0, end > 0 ? end : max), cut: true };
}

/** The files of `diff` a review reads, and the ones it leaves out. */
export function diffMaterial(diff: string, maxFileChars: number): ReviewMaterial {
  const files: ReviewFile[] = [];
  const skipped: Array<{ path: string; reason: SkipReason | 'deleted' }> = [];
  for (const file of splitDiff(diff)) {
    const reason = skipReason(file);
    if (reason) skipped.push({ path: file.path, reason });
    else if (file.change === 'deleted') skipped.push({ path: file.path, reason: 'deleted' });
    else {
      const listing = numberedHunks(file);
      if (listing === '') continue; // a mode change or a pure rename: nothing to read
      const shown = cutListing(listing, maxFileChars);
      files.push({ path: file.path, listing: shown.text, cut: shown.cut });
    }
  }
  return { files, skipped };
}

/** One file's whole text as review material. */
export function fileMaterial(path: string, text: string, maxFileChars: number): ReviewMaterial {
  const shown = cutListing(numberedFile(text), maxFileChars);
  return { files: [{ path, listing: shown.text, cut: shown.cut }], skipped: [] };
}

/** The files in pieces of at most `budget` characters each (a file longer than that is a piece of its own). */
export function reviewPieces(files: readonly ReviewFile[], budget: number): ReviewFile[][] {
  const pieces: ReviewFile[][] = [];
  let current: ReviewFile[] = [];
  let used = 0;
  for (const file of files) {
    const size = file.listing.length + file.path.length + 16;
    if (current.length > 0 && used + size > budget) {
      pieces.push(current);
      current = [];
      used = 0;
    }
    current.push(file);
    used += size;
  }
  if (current.length > 0) pieces.push(current);
  return pieces;
}
