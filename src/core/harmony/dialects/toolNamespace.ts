// The LLM-jp-4 tool definitions: a TypeScript-like `namespace functions { ... }` written from
// the tools' JSON schemas, including the template's exact whitespace quirks (the newline and
// indentation before nested property types, and around oneOf members), because the model was
// trained on that exact text.

import type { ToolSpec } from '../types';
import { attr, codePointLength, concatText, contains, iterate, isObject, truthy } from './jinjaValues';
import { PartsWriter } from './parts';
import { pyJsonDumps, pyStr } from './pythonJson';

export type HarmonyVersion = '4.0' | '4.1';

/** Indentation the template leaves before a nested property's type. */
const NESTED_TYPE_INDENT = '\n' + ' '.repeat(16);
/** Indentation the template leaves before a oneOf member's default. */
const ONE_OF_DEFAULT_INDENT = ' '.repeat(20);

export function writeToolNamespace(out: PartsWriter, tools: readonly ToolSpec[], version: HarmonyVersion): void {
  out.structure('## functions\n\nnamespace functions {\n\n');
  for (const tool of tools) {
    const fn: unknown = attr(tool, 'function');
    out.structure('// ').content(concatText(attr(fn, 'description'), 'a tool description')).structure('\n');
    out.structure('type ').content(concatText(attr(fn, 'name'), 'a tool name')).structure(' = ');
    const parameters = attr(fn, 'parameters');
    const properties = attr(parameters, 'properties');
    if (truthy(parameters) && truthy(properties)) {
      out.structure('(_: {\n');
      const required = requiredList(parameters);
      for (const [name, spec] of propertyEntries(properties)) {
        writeParameter(out, name, spec, required, version);
      }
      out.structure('}) => any;\n\n');
    } else {
      out.structure('() => any;\n\n');
    }
  }
  out.structure('} // namespace functions');
}

function writeParameter(
  out: PartsWriter,
  name: string,
  spec: unknown,
  required: unknown,
  version: HarmonyVersion,
): void {
  const description = attr(spec, 'description');
  if (truthy(description)) {
    out.structure('// ').content(concatText(description, 'a parameter description')).structure('\n');
  }
  out.content(name);
  if (!contains(required, name)) out.structure('?');
  out.structure(': ');
  writeType(out, spec);
  const fallback = attr(spec, 'default');
  if (fallback !== undefined) {
    // 4.0 pastes enum and oneOf defaults as they are; 4.1 writes every default as JSON.
    const bare = (): string => (version === '4.0' ? concatText(fallback, 'a default value') : pyJsonDumps(fallback));
    if (truthy(attr(spec, 'enum'))) {
      out.structure(', // default: ').content(bare());
    } else if (truthy(attr(spec, 'oneOf'))) {
      out.structure('// default: ').content(bare());
    } else {
      out.structure(', // default: ').content(pyJsonDumps(fallback));
    }
  }
  out.structure(',\n');
}

/** The TypeScript-like type of one JSON schema. */
function writeType(out: PartsWriter, spec: unknown): void {
  const type = attr(spec, 'type');
  if (type === 'array') {
    writeArrayType(out, spec);
  } else if (Array.isArray(type) && type.length > 0) {
    // A list of types such as ["string", "null"].
    out.content(type.length > 1 ? type.map(pyStr).join(' | ') : pyStr(type[0]));
  } else if (truthy(attr(spec, 'oneOf'))) {
    writeOneOf(out, iterate(attr(spec, 'oneOf')));
  } else if (type === 'string') {
    const values = attr(spec, 'enum');
    if (truthy(values)) {
      out.structure('"');
      iterate(values).forEach((value, i) => {
        if (i > 0) out.structure('" | "');
        out.content(pyStr(value));
      });
      out.structure('"');
    } else {
      out.structure('string');
      if (truthy(attr(spec, 'nullable'))) out.structure(' | null');
    }
  } else if (type === 'number' || type === 'integer') {
    out.structure('number');
  } else if (type === 'boolean') {
    out.structure('boolean');
  } else if (type === 'object') {
    const properties = attr(spec, 'properties');
    if (truthy(properties)) {
      out.structure('{\n');
      const required = requiredList(spec);
      propertyEntries(properties).forEach(([name, child], i) => {
        if (i > 0) out.structure(', ');
        out.content(name);
        if (!contains(required, name)) out.structure('?');
        out.structure(': ' + NESTED_TYPE_INDENT);
        writeType(out, child);
      });
      out.structure('}');
    } else {
      out.structure('object');
    }
  } else {
    out.structure('any');
  }
}

function writeArrayType(out: PartsWriter, spec: unknown): void {
  const items = attr(spec, 'items');
  if (truthy(items)) {
    const itemType = attr(items, 'type');
    if (itemType === 'string') out.structure('string[]');
    else if (itemType === 'number' || itemType === 'integer') out.structure('number[]');
    else if (itemType === 'boolean') out.structure('boolean[]');
    else {
      const inner = new PartsWriter();
      writeType(inner, items);
      const text = inner.text();
      if (text === 'object | object' || codePointLength(text) > 50) out.structure('any[]');
      else out.append(inner.parts).structure('[]');
    }
  } else {
    out.structure('any[]');
  }
  if (truthy(attr(spec, 'nullable'))) out.structure(' | null');
}

/**
 * oneOf members joined by " | " and a newline. The template means to write `any` for unions with
 * object members, but its flag is set inside a for loop and Jinja scoping discards it, so every
 * member is always written.
 */
function writeOneOf(out: PartsWriter, variants: readonly unknown[]): void {
  variants.forEach((variant, i) => {
    writeType(out, variant);
    const description = attr(variant, 'description');
    if (truthy(description)) out.structure('// ').content(concatText(description, 'a oneOf description'));
    const fallback = attr(variant, 'default');
    if (fallback !== undefined) out.structure(ONE_OF_DEFAULT_INDENT + '// default: ').content(pyJsonDumps(fallback));
    if (i < variants.length - 1) out.structure(' | \n');
  });
}

function requiredList(spec: unknown): unknown {
  const required = attr(spec, 'required');
  return truthy(required) ? required : [];
}

function propertyEntries(properties: unknown): [string, unknown][] {
  if (!isObject(properties)) throw new TypeError('The chat template needs "properties" to be an object.');
  return Object.entries(properties);
}
