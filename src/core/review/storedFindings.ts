// Review findings as kept in the workspace's state between sessions: one record per open comment
// thread, read back with every field checked (the state may come from an older version, or be
// damaged), and re-anchored by its quote when the threads are restored.
import { CATEGORIES, SEVERITIES, type Finding } from './findings';

export interface StoredFinding extends Finding {
  readonly id: string;
  /** The file's URI, as a string. */
  readonly uri: string;
  /** The review it came from (labels count within it). */
  readonly reviewId: string;
  /** The review's label ("the staged changes"), shown in the thread. */
  readonly reviewLabel: string;
  /** When it was reported (orders a review's findings). */
  readonly createdAt: number;
  /** The "Explain more" answer, once given. */
  readonly explanation?: string;
}

/** Findings kept at most: a workspace's state is not a database. */
export const MAX_STORED_FINDINGS = 500;

const isString = (value: unknown, max = 100_000): value is string => typeof value === 'string' && value.length <= max;
const isLine = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 10_000_000;

function parseOne(value: unknown): StoredFinding | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (!isString(v.id, 100) || !isString(v.uri, 10_000) || !isString(v.path, 10_000) || !isString(v.reviewId, 100) || !isString(v.reviewLabel, 1_000)) return undefined;
  if (!isLine(v.startLine) || !isLine(v.endLine) || v.endLine < v.startLine) return undefined;
  if (!(SEVERITIES as readonly unknown[]).includes(v.severity) || !(CATEGORIES as readonly unknown[]).includes(v.category)) return undefined;
  if (!isString(v.message) || v.message === '' || !isString(v.quote) || v.quote === '') return undefined;
  if (typeof v.createdAt !== 'number' || !Number.isFinite(v.createdAt)) return undefined;
  if (v.replacement !== undefined && !isString(v.replacement)) return undefined;
  if (v.explanation !== undefined && !isString(v.explanation)) return undefined;
  return {
    id: v.id,
    uri: v.uri,
    path: v.path,
    reviewId: v.reviewId,
    reviewLabel: v.reviewLabel,
    startLine: v.startLine,
    endLine: v.endLine,
    severity: v.severity as Finding['severity'],
    category: v.category as Finding['category'],
    message: v.message,
    quote: v.quote,
    createdAt: v.createdAt,
    ...(typeof v.replacement === 'string' ? { replacement: v.replacement } : {}),
    ...(typeof v.explanation === 'string' ? { explanation: v.explanation } : {}),
  };
}

/** The findings in `value` that are whole; anything else is left out. */
export function parseStoredFindings(value: unknown): StoredFinding[] {
  if (!Array.isArray(value)) return [];
  const seen = new Set<string>();
  const out: StoredFinding[] = [];
  for (const item of value.slice(0, MAX_STORED_FINDINGS)) {
    const finding = parseOne(item);
    if (finding && !seen.has(finding.id)) {
      seen.add(finding.id);
      out.push(finding);
    }
  }
  return out;
}

/** "n of m" within each review: a finding's place among its review's open findings, by when they came. */
export function findingNumbers(findings: readonly Pick<StoredFinding, 'id' | 'reviewId' | 'createdAt'>[]): Map<string, { readonly index: number; readonly total: number }> {
  const byReview = new Map<string, Pick<StoredFinding, 'id' | 'createdAt'>[]>();
  for (const f of findings) byReview.set(f.reviewId, [...(byReview.get(f.reviewId) ?? []), f]);
  const numbers = new Map<string, { index: number; total: number }>();
  for (const list of byReview.values()) {
    list.sort((a, b) => a.createdAt - b.createdAt);
    list.forEach((f, i) => numbers.set(f.id, { index: i + 1, total: list.length }));
  }
  return numbers;
}

/** The finding after (or before) a position, in file then line order, wrapping around. */
export function nextFinding<T extends Pick<StoredFinding, 'uri' | 'startLine'>>(findings: readonly T[], from: { readonly uri: string; readonly line: number } | undefined, direction: 1 | -1): T | undefined {
  if (findings.length === 0) return undefined;
  const order = [...findings].sort((a, b) => (a.uri === b.uri ? a.startLine - b.startLine : a.uri < b.uri ? -1 : 1));
  if (!from) return direction === 1 ? order[0] : order[order.length - 1];
  const compare = (f: T): number => (f.uri === from.uri ? f.startLine - from.line : f.uri < from.uri ? -1 : 1);
  if (direction === 1) return order.find((f) => compare(f) > 0) ?? order[0];
  return [...order].reverse().find((f) => compare(f) < 0) ?? order[order.length - 1];
}
