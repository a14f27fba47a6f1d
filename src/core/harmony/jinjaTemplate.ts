// Renders a model's own chat template with @huggingface/jinja in the environment Hugging Face
// transformers gives templates (trim_blocks, lstrip_blocks, raise_exception, strftime_now), with
// `tojson` replaced by Python's json.dumps so numbers and strings come out as they did in training.

import { Environment, Interpreter, parse, tokenize } from '@huggingface/jinja';
import { PyFloat, pyJsonDumps, type PyJsonOptions } from './dialects/pythonJson';
import { strftime } from './jinjaStrftime';

type Program = ReturnType<typeof parse>;

/** Compiled templates by source text; a session renders with one or two templates every turn. */
const compiled = new Map<string, Program>();
const MAX_CACHED = 8;

const TOJSON_FUNCTION = '__llmjp_tojson';
const EQ_FUNCTION = '__llmjp_eq';
const NE_FUNCTION = '__llmjp_ne';
const LENGTH_FUNCTION = '__llmjp_length';

export function compileTemplate(source: string): Program {
  let program = compiled.get(source);
  if (program === undefined) {
    program = parse(tokenize(source, { lstrip_blocks: true, trim_blocks: true }));
    rewriteForPython(program);
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value as string);
    compiled.set(source, program);
  }
  return program;
}

/**
 * `visible`: the text that length and equality see in a string, so that caller text rendered
 * with marks (textMarks.ts) takes the same branches as the plain text.
 */
export function renderTemplate(
  source: string,
  variables: Readonly<Record<string, unknown>>,
  visible: Strip = (text) => text,
): string {
  const program = compileTemplate(source);
  const strip = visible;
  const env = new Environment();
  const globals: Record<string, unknown> = {
    false: false,
    true: true,
    none: null,
    False: false,
    True: true,
    None: null,
    range,
    raise_exception: (message: unknown): never => {
      throw new Error(String(message));
    },
    strftime_now: (format: unknown): string => strftime(String(format)),
    [TOJSON_FUNCTION]: tojson,
    [EQ_FUNCTION]: (pair: unknown[]) => pyEquals(pair[0], pair[1], strip),
    [NE_FUNCTION]: (pair: unknown[]) => !pyEquals(pair[0], pair[1], strip),
    [LENGTH_FUNCTION]: (boxed: unknown[]) => pyLength(boxed[0], strip),
  };
  for (const [name, value] of Object.entries({ ...globals, ...variables })) env.set(name, value);
  const result = new Interpreter(env).run(program) as { value?: unknown };
  if (typeof result.value !== 'string') throw new Error('The chat template did not render to text.');
  return result.value;
}

function range(...args: number[]): number[] {
  const [start, stop, step] = args.length === 1 ? [0, args[0], 1] : [args[0], args[1], args[2] ?? 1];
  if (step === 0) throw new Error('range() arg 3 must not be zero');
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

// ---- Python semantics ----

interface Node {
  type: string;
  [field: string]: unknown;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';
}

/**
 * Where @huggingface/jinja departs from Python in ways the LLM-jp templates notice: `tojson`
 * writes numbers with JSON.stringify (1e-7, not Python's 1e-07) and escapes lone surrogates;
 * `==` is JavaScript's loose equality (["integer"] == "integer" holds, so a one-item type list
 * takes the wrong branch); `length` counts UTF-16 units, not code points (the tool renderer
 * compares a type's length with 50). None can be overridden, so the parsed template is
 * rewritten: each `x|tojson(...)`, `x|length`, `a == b` and `a != b` becomes a call of a global
 * that applies Python's rules.
 */
function rewriteForPython(root: unknown): void {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = visit(value[i]);
      return value;
    }
    if (!isNode(value)) return value;
    for (const key of Object.keys(value)) {
      const child = value[key];
      if (typeof child === 'object' && child !== null) value[key] = visit(child);
    }
    if (value.type === 'BinaryExpression') {
      const operator = (value.operator as { value?: unknown } | undefined)?.value;
      if (operator === '==' || operator === '!=') {
        const pair = { type: 'ArrayLiteral', value: [value.left, value.right] };
        return { type: 'CallExpression', callee: { type: 'Identifier', value: operator === '==' ? EQ_FUNCTION : NE_FUNCTION }, args: [pair] };
      }
      return value;
    }
    if (value.type !== 'FilterExpression') return value;
    const filter = value.filter;
    if (isNode(filter) && filter.type === 'Identifier' && filter.value === 'tojson') {
      return callNode([value.operand]);
    }
    if (isNode(filter) && filter.type === 'Identifier' && (filter.value === 'length' || filter.value === 'count')) {
      const boxed = { type: 'ArrayLiteral', value: [value.operand] };
      return { type: 'CallExpression', callee: { type: 'Identifier', value: LENGTH_FUNCTION }, args: [boxed] };
    }
    if (isNode(filter) && filter.type === 'CallExpression') {
      const callee = filter.callee;
      if (isNode(callee) && callee.type === 'Identifier' && callee.value === 'tojson') {
        return callNode([value.operand, ...(filter.args as unknown[])]);
      }
    }
    return value;
  };
  visit(root);
}

/** The operand travels inside a one-item list so that the function sees its runtime type. */
function callNode([operand, ...options]: unknown[]): Node {
  const boxed = { type: 'ArrayLiteral', value: [operand] };
  return { type: 'CallExpression', callee: { type: 'Identifier', value: TOJSON_FUNCTION }, args: [boxed, ...options] };
}

/**
 * Called with the arguments' raw values: the boxed operand first, then positional options, then
 * the keyword options as one Map (@huggingface/jinja passes keyword arguments last).
 */
function tojson(...args: unknown[]): string {
  const [boxed, ...rest] = args;
  let keywords = new Map<string, unknown>();
  if (rest.length > 0 && rest[rest.length - 1] instanceof Map) keywords = rest.pop() as Map<string, unknown>;
  const option = (position: number, name: string): unknown =>
    keywords.has(name) ? fromRuntime(keywords.get(name)) : rest[position] !== undefined ? fromRaw(rest[position]) : undefined;
  const separators = option(2, 'separators');
  const options: PyJsonOptions = {
    ensureAscii: option(0, 'ensure_ascii') === true,
    indent: (option(1, 'indent') as number | string | null | undefined) ?? null,
    separators: Array.isArray(separators) ? [String(separators[0]), String(separators[1])] : null,
    sortKeys: option(3, 'sort_keys') === true,
  };
  return pyJsonDumps(fromRuntime((boxed as unknown[])[0]), options);
}

/** A top-level argument arrives unwrapped one level: Maps and arrays still hold runtime values. */
function fromRaw(value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, fromRuntime(v)]));
  if (Array.isArray(value)) return value.map(fromRuntime);
  return value;
}

function fromRuntime(value: unknown): unknown {
  if (!isRuntime(value)) return value;
  switch (value.type) {
    case 'FloatValue':
      // Python writes a whole float as 2.0; JavaScript cannot tell, the runtime type can.
      return new PyFloat(value.value as number);
    case 'NullValue':
    case 'UndefinedValue':
      return null;
    case 'ArrayValue':
    case 'TupleValue':
    case 'ObjectValue':
    case 'KeywordArgumentsValue':
    case 'NamespaceValue':
      return fromRaw(value.value);
    case 'FunctionValue':
      throw new TypeError('Object of type function is not JSON serializable');
    default:
      return value.value;
  }
}

function isRuntime(value: unknown): value is { type: string; value: unknown } {
  return typeof value === 'object' && value !== null && 'type' in value && 'value' in value && !(value instanceof Map);
}

const NUMERIC = new Set(['IntegerValue', 'FloatValue', 'BooleanValue']);
const SEQUENCES = new Set(['ArrayValue', 'TupleValue']);
const MAPPINGS = new Set(['ObjectValue', 'KeywordArgumentsValue']);

/** Python's == on two runtime values: no coercion between strings, numbers and lists. */
type Strip = (text: string) => string;

function pyEquals(a: unknown, b: unknown, strip: Strip): boolean {
  if (!isRuntime(a) || !isRuntime(b)) return a === b;
  if (NUMERIC.has(a.type) && NUMERIC.has(b.type)) return Number(a.value) === Number(b.value);
  if (a.type !== b.type && !(MAPPINGS.has(a.type) && MAPPINGS.has(b.type))) return false;
  if (SEQUENCES.has(a.type)) {
    const [x, y] = [a.value as unknown[], b.value as unknown[]];
    return x.length === y.length && x.every((item, i) => pyEquals(item, y[i], strip));
  }
  if (MAPPINGS.has(a.type)) {
    const [x, y] = [a.value as Map<string, unknown>, b.value as Map<string, unknown>];
    return x.size === y.size && [...x].every(([key, item]) => y.has(key) && pyEquals(item, y.get(key), strip));
  }
  if (a.type === 'NullValue' || a.type === 'UndefinedValue') return true;
  if (a.type === 'StringValue') return strip(a.value as string) === strip(b.value as string);
  return a.value === b.value;
}

function pyLength(value: unknown, strip: Strip): number {
  if (!isRuntime(value)) throw new TypeError('object has no len()');
  if (value.type === 'StringValue') return Array.from(strip(value.value as string)).length;
  if (SEQUENCES.has(value.type)) return (value.value as unknown[]).length;
  if (MAPPINGS.has(value.type)) return (value.value as Map<string, unknown>).size;
  throw new TypeError(`object of type ${value.type} has no len()`);
}
