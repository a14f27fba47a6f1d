// The bytes of an open GGUF file for the header bounds walk (core/models/ggufHeaderBounds), read
// in 64 KiB windows: a real header is several MB (a vocabulary of 196,608 strings), and a hostile
// one must not be read whole, nor past the end of the file.
import type { FileHandle } from 'node:fs/promises';
import type { GgufByteSource } from '../core/models';

const WINDOW_BYTES = 64 * 1024;

export function fileByteSource(handle: FileHandle, fileBytes: number): GgufByteSource {
  return {
    fileBytes,
    async window(offset, length) {
      const size = Math.max(length, Math.min(WINDOW_BYTES, fileBytes - offset));
      const bytes = Buffer.allocUnsafe(size);
      let filled = 0;
      while (filled < size) {
        const { bytesRead } = await handle.read(bytes, filled, size - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      // Shorter than asked only when the file shrank since its size was taken: the walk then throws.
      return bytes.subarray(0, filled);
    },
  };
}
