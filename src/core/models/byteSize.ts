// Sizes for people: decimal units as Hugging Face and disk tools show them, so a tiny file reads
// "697 KB" rather than "0.0 GB".

const UNITS: readonly (readonly [number, string])[] = [[1e9, 'GB'], [1e6, 'MB'], [1e3, 'KB']];

/** "5.3 GB", "12.4 MB", "697 KB", "512 B"; one decimal below 100 units, none above. */
export function formatByteSize(bytes: number): string {
  for (const [size, unit] of UNITS) {
    if (bytes >= size) {
      const value = bytes / size;
      return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${unit}`;
    }
  }
  return `${Math.max(0, Math.round(bytes))} B`;
}

/** Whole percent of a transfer, clamped to 0..100 (0 when the total is unknown). */
export function percentOf(done: number, total: number | undefined): number {
  if (!total || total <= 0) return 0;
  return Math.min(100, Math.max(0, Math.floor((done / total) * 100)));
}
