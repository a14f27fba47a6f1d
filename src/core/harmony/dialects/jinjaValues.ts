// How the LLM-jp templates' Jinja expressions treat JSON values, so that the built-in renderer
// takes the same branches: Python truthiness, `in`, iteration, and string concatenation.

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value.key` in Jinja: undefined unless value is a mapping that has the key. */
export function attr(value: unknown, key: string): unknown {
  return isObject(value) && Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}

/** Python truthiness of a JSON value. */
export function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return true;
}

/** What `for x in value` visits. */
export function iterate(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return Array.from(value);
  if (isObject(value)) return Object.keys(value);
  throw new TypeError(`'${describe(value)}' object is not iterable`);
}

/** Python's `needle in haystack`. */
export function contains(haystack: unknown, needle: unknown): boolean {
  if (Array.isArray(haystack)) return haystack.some((item) => item === needle);
  if (typeof haystack === 'string') return typeof needle === 'string' && haystack.includes(needle);
  if (isObject(haystack)) return typeof needle === 'string' && Object.prototype.hasOwnProperty.call(haystack, needle);
  throw new TypeError(`argument of type '${describe(haystack)}' is not iterable`);
}

/**
 * `"text" + value`. Python only adds strings and fails otherwise; @huggingface/jinja converts
 * numbers and booleans with JavaScript's String(). Following the latter keeps the built-in
 * renderer equal to the Jinja path where Python has no answer at all.
 */
export function concatText(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TypeError(`The chat template cannot add ${describe(value)} to text (${what}).`);
}

/** Python's len() of a string: code points, not UTF-16 units. */
export function codePointLength(text: string): number {
  return Array.from(text).length;
}

function describe(value: unknown): string {
  if (value === undefined) return 'an undefined value';
  if (value === null) return 'None';
  if (Array.isArray(value)) return 'list';
  return isObject(value) ? 'dict' : typeof value;
}
