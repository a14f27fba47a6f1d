// Python's json.dumps and str(), as Hugging Face transformers' `tojson` filter and Jinja's
// `join` produce them: the prompts the models were trained on were rendered by Python, so the
// built-in renderer and the Jinja path both format values the Python way.

export interface PyJsonOptions {
  readonly ensureAscii?: boolean;
  /** A number of spaces or the indent string itself; null/undefined keeps everything on one line. */
  readonly indent?: number | string | null;
  /** [item separator, key separator]; Python's default is [', ', ': '], or [',', ': '] with indent. */
  readonly separators?: readonly [string, string] | null;
  readonly sortKeys?: boolean;
}

/** A number known to be a Python float (a Jinja float literal or result), written as 2.0 when whole. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** json.dumps(value, ensure_ascii=False) unless options say otherwise. */
export function pyJsonDumps(value: unknown, options: PyJsonOptions = {}): string {
  const indent =
    options.indent === undefined || options.indent === null
      ? undefined
      : typeof options.indent === 'number'
        ? ' '.repeat(Math.max(0, options.indent))
        : options.indent;
  const [itemSep, keySep] = options.separators ?? (indent === undefined ? [', ', ': '] : [',', ': ']);
  const ensureAscii = options.ensureAscii ?? false;
  const sortKeys = options.sortKeys ?? false;

  const encode = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'string') return pyJsonString(v, ensureAscii);
    if (typeof v === 'number') return pyJsonNumber(v);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof PyFloat) return Number.isFinite(v.value) ? pyFloatRepr(v.value) : pyJsonNumber(v.value);
    const entries: string[] = [];
    let open: string;
    let close: string;
    if (Array.isArray(v)) {
      [open, close] = ['[', ']'];
      for (const item of v) entries.push(encode(item, depth + 1));
    } else if (typeof v === 'object') {
      [open, close] = ['{', '}'];
      let keys = Object.keys(v as object);
      if (sortKeys) keys = [...keys].sort(compareCodePoints);
      for (const key of keys) {
        const item = (v as Record<string, unknown>)[key];
        if (item === undefined) continue;
        entries.push(pyJsonString(key, ensureAscii) + keySep + encode(item, depth + 1));
      }
    } else {
      throw new TypeError(`Object of type ${typeof v} is not JSON serializable`);
    }
    if (entries.length === 0) return open + close;
    if (indent === undefined) return open + entries.join(itemSep) + close;
    const inner = '\n' + indent.repeat(depth + 1);
    return open + inner + entries.join(itemSep + inner) + '\n' + indent.repeat(depth) + close;
  };
  return encode(value, 0);
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A JSON string literal as Python writes it: lone surrogates stay raw, unlike JSON.stringify. */
export function pyJsonString(text: string, ensureAscii = false): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const code = ch.charCodeAt(0);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (code < 0x20 || (ensureAscii && code > 0x7e)) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/**
 * Numbers: JavaScript cannot tell 2 from 2.0, so whole numbers print as integers (as the JSON the
 * values were parsed from almost always had them); fractions follow Python's float repr, which
 * switches to exponent notation below 1e-4 with at least two exponent digits (1e-05).
 */
export function pyJsonNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (Number.isInteger(n)) return JSON.stringify(n);
  return pyFloatRepr(n);
}

export function pyFloatRepr(n: number): string {
  const [mantissa, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp >= -4 && exp < 16) {
    const text = String(n);
    return text.includes('.') || text.includes('e') ? text : text + '.0';
  }
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** Python's str() of a JSON value, as Jinja's join writes list items. */
export function pyStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloatRepr(value);
  return pyRepr(value);
}

function pyRepr(value: unknown): string {
  if (typeof value === 'string') return "'" + value.replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
  if (Array.isArray(value)) return '[' + value.map(pyRepr).join(', ') + ']';
  if (value !== null && typeof value === 'object') {
    return '{' + Object.entries(value).map(([k, v]) => pyRepr(k) + ': ' + pyRepr(v)).join(', ') + '}';
  }
  return pyStr(value);
}

function compareCodePoints(a: string, b: string): number {
  const ca = Array.from(a);
  const cb = Array.from(b);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = (ca[i].codePointAt(0) ?? 0) - (cb[i].codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}
