// A GBNF grammar (llama.cpp's grammar format) for JSON matching a tool's JSON schema, written for
// token-level generation of tool-call arguments: compact or spaced JSON, one optional leading
// space (SentencePiece writes `▁` at the start of the run after `<|message|>`), and nothing after
// the closing brace, so the grammar is complete exactly when the JSON is and the model's next
// token can only be an end token such as `<|call|>`.
//
// Supported: type (one or a list), nullable, enum, const, object (properties, required,
// additionalProperties), array (items, minItems, maxItems), string (minLength, maxLength),
// number, integer, boolean, null, anyOf / oneOf, and local `$ref`s to `#/$defs/…` or
// `#/definitions/…`. Anything else accepts any JSON value there.

type Schema = Record<string, unknown>;

const PRIMITIVES: Record<string, string> = {
  ws: '[ \\t\\n]{0,8}',
  value: 'object-any | array-any | string | number | "true" | "false" | "null"',
  'object-any': '"{" ws ( string ws ":" ws value ( ws "," ws string ws ":" ws value )* )? ws "}"',
  'array-any': '"[" ws ( value ( ws "," ws value )* )? ws "]"',
  char: '[^"\\\\\\x7F\\x00-\\x1F] | "\\\\" ["\\\\/bfnrt] | "\\\\u" [0-9a-fA-F]{4}',
  string: '"\\"" char* "\\""',
  integer: '"-"? ( "0" | [1-9] [0-9]{0,15} )',
  number: '"-"? ( "0" | [1-9] [0-9]{0,15} ) ( "." [0-9]{1,16} )? ( [eE] [-+]? [0-9]{1,3} )?',
  boolean: '"true" | "false"',
  null: '"null"',
};

/** Limits that keep the grammar small; longer bounds become unbounded repetition. */
const MAX_EXPLICIT_REPEAT = 64;

function literal(text: string): string {
  return JSON.stringify(text);
}

/** A GBNF literal matching the JSON encoding of `value`. */
function jsonLiteral(value: unknown): string {
  return literal(JSON.stringify(value));
}

class GrammarBuilder {
  private readonly rules = new Map<string, string>();
  private readonly usedPrimitives = new Set<string>();
  private counter = 0;

  constructor(private readonly root: Schema) {}

  build(): string {
    const body = this.visit(this.root, 'args');
    const lines = [`root ::= " "? ${body}`];
    for (const [name, rule] of this.rules) lines.push(`${name} ::= ${rule}`);
    const needed = new Set<string>();
    const addPrimitive = (name: string): void => {
      if (needed.has(name)) return;
      needed.add(name);
      for (const reference of PRIMITIVES[name].match(/[a-z][a-z-]*/g) ?? []) {
        if (reference in PRIMITIVES) addPrimitive(reference);
      }
    };
    for (const name of this.usedPrimitives) addPrimitive(name);
    for (const name of Object.keys(PRIMITIVES)) if (needed.has(name)) lines.push(`${name} ::= ${PRIMITIVES[name]}`);
    return lines.join('\n') + '\n';
  }

  private use(name: string): string {
    this.usedPrimitives.add(name);
    return name;
  }

  private rule(hint: string, body: string): string {
    const name = `${hint.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'r'}-${++this.counter}`;
    this.rules.set(name, body);
    return name;
  }

  private resolve(schema: Schema): Schema {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
    const defs = match ? (this.root[match[1]] as Record<string, Schema> | undefined) : undefined;
    const target = match && defs ? defs[decodeURIComponent(match[2])] : undefined;
    return target && typeof target === 'object' ? this.resolve(target) : {};
  }

  /** A grammar expression for values of `schema`. */
  private visit(input: unknown, hint: string, depth = 0): string {
    if (typeof input !== 'object' || input === null || depth > 16) return this.use('value');
    const schema = this.resolve(input as Schema);
    const nullable = schema.nullable === true;
    const expression = this.visitNonNull(schema, hint, depth);
    return nullable ? `( ${expression} | ${this.use('null')} )` : expression;
  }

  private visitNonNull(schema: Schema, hint: string, depth: number): string {
    if ('const' in schema) return jsonLiteral(schema.const);
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return `( ${schema.enum.map(jsonLiteral).join(' | ')} )`;
    const variants = (Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined) as unknown[] | undefined;
    if (variants && variants.length > 0) return `( ${variants.map((v, i) => this.visit(v, `${hint}-${i}`, depth + 1)).join(' | ')} )`;
    const type = schema.type;
    if (Array.isArray(type)) {
      const alternatives = type.filter((t): t is string => typeof t === 'string').map((t) => this.visitType({ ...schema, type: t }, t, hint, depth));
      return alternatives.length > 0 ? `( ${alternatives.join(' | ')} )` : this.use('value');
    }
    if (typeof type === 'string') return this.visitType(schema, type, hint, depth);
    if (schema.properties) return this.visitType(schema, 'object', hint, depth);
    if (schema.items) return this.visitType(schema, 'array', hint, depth);
    return this.use('value');
  }

  private visitType(schema: Schema, type: string, hint: string, depth: number): string {
    switch (type) {
      case 'object':
        return this.object(schema, hint, depth);
      case 'array':
        return this.array(schema, hint, depth);
      case 'string':
        return this.string(schema);
      case 'integer':
      case 'number':
      case 'boolean':
      case 'null':
        return this.use(type);
      default:
        return this.use('value');
    }
  }

  private string(schema: Schema): string {
    const min = typeof schema.minLength === 'number' ? Math.max(0, Math.floor(schema.minLength)) : 0;
    const max = typeof schema.maxLength === 'number' ? Math.max(min, Math.floor(schema.maxLength)) : undefined;
    if (min === 0 && max === undefined) return this.use('string');
    this.use('char');
    const repeat = max === undefined ? `{${min},}` : max <= MAX_EXPLICIT_REPEAT ? `{${min},${max}}` : `{${min},}`;
    return `"\\"" char${repeat} "\\""`;
  }

  private array(schema: Schema, hint: string, depth: number): string {
    const item = this.visit(schema.items, `${hint}-item`, depth + 1);
    const ws = this.use('ws');
    const min = typeof schema.minItems === 'number' ? Math.max(0, Math.floor(schema.minItems)) : 0;
    const max = typeof schema.maxItems === 'number' ? Math.max(min, Math.floor(schema.maxItems)) : undefined;
    const more = `( ${ws} "," ${ws} ${item} )`;
    let inner: string;
    if (max === 0) inner = '';
    else if (min === 0 && (max === undefined || max > MAX_EXPLICIT_REPEAT)) inner = `( ${item} ${more}* )?`;
    else if (min === 0) inner = `( ${item} ${more}{0,${max! - 1}} )?`;
    else if (max === undefined || max > MAX_EXPLICIT_REPEAT) inner = `${item} ${more}{${min - 1},}`;
    else inner = `${item} ${more}{${min - 1},${max - 1}}`;
    return this.rule(`${hint}-array`, `"[" ${ws} ${inner} ${ws} "]"`);
  }

  private object(schema: Schema, hint: string, depth: number): string {
    const ws = this.use('ws');
    const properties = (typeof schema.properties === 'object' && schema.properties !== null ? schema.properties : {}) as Record<string, unknown>;
    const names = Object.keys(properties);
    if (names.length === 0) {
      // No declared properties: any object, unless additional properties are forbidden.
      return schema.additionalProperties === false ? `"{" ${ws} "}"` : this.use('object-any');
    }
    const required = new Set(Array.isArray(schema.required) ? schema.required.filter((n): n is string => typeof n === 'string') : []);
    const pair = (name: string): string =>
      this.rule(`${hint}-${name}-kv`, `${jsonLiteral(name)} ${ws} ":" ${ws} ${this.visit(properties[name], `${hint}-${name}`, depth + 1)}`);
    const pairs = new Map(names.map((name) => [name, pair(name)]));
    const requiredNames = names.filter((n) => required.has(n));
    const optionalNames = names.filter((n) => !required.has(n));
    const comma = `${ws} "," ${ws}`;

    // Required properties in declared order, then each optional one in order, each optional.
    const optionalTail = optionalNames.map((n) => `( ${comma} ${pairs.get(n)} )?`).join(' ');
    let body: string;
    if (requiredNames.length > 0) {
      body = [requiredNames.map((n) => pairs.get(n)).join(` ${comma} `), optionalTail].filter((s) => s !== '').join(' ');
    } else {
      // All optional: whichever comes first carries no comma.
      const firstFrom = optionalNames.map((first, i) =>
        [pairs.get(first), ...optionalNames.slice(i + 1).map((n) => `( ${comma} ${pairs.get(n)} )?`)].join(' '),
      );
      body = `( ${firstFrom.map((alternative) => `( ${alternative} )`).join(' | ')} )?`;
    }
    return this.rule(`${hint}-object`, `"{" ${ws} ${body} ${ws} "}"`);
  }
}

/** GBNF for a tool's arguments; the root rule is `root`. */
export function jsonSchemaToGrammar(schema: unknown): string {
  const root = typeof schema === 'object' && schema !== null ? (schema as Schema) : {};
  return new GrammarBuilder(root).build();
}
