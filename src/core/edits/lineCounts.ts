// How big a proposed change is, for its card: the lines added and removed in the changed middle of
// the file (what is the same at the start and at the end is not counted). Line endings do not count.

export function lineCounts(before: string, after: string): { readonly added: number; readonly removed: number } {
  const a = before === '' ? [] : before.replace(/\r\n?/g, '\n').split('\n');
  const b = after === '' ? [] : after.replace(/\r\n?/g, '\n').split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { added: endB - start, removed: endA - start };
}
