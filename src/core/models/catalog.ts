// The model catalog (models/catalog.json): which LLM-jp models a user may pick, their shapes and
// where their GGUF files are. Model facts live only in that file; this module types and checks it
// with the same rules as models/catalog.schema.json (no JSON-schema dependency), plus the
// cross-field rules a schema cannot state (dialect per family, KV heads dividing heads, ...).
import { readFileSync } from 'node:fs';
import type { ChatDialect } from '../harmony/types';

export type ModelFamily = 'llm-jp-4' | 'llm-jp-4.1' | 'llm-jp-3.1' | 'llm-jp-3';
/** GGUF `general.architecture`: llama.cpp writes Mixtral-style MoE models as `llama` with experts. */
export type CatalogArchitecture = 'llama' | 'qwen3moe';
export type ModelVariant = 'instruct' | 'thinking';

export interface CatalogFile {
  readonly quantization: string;
  /** Hugging Face repository holding the file. */
  readonly repo: string;
  /** File name in the repository; null when not confirmed (resolve it from the repo listing). */
  readonly file: string | null;
  /** `https://huggingface.co/<repo>/resolve/main/<file>`; null exactly when `file` is null. */
  readonly uri: string | null;
  /** Exact size as published; null when not confirmed. */
  readonly sizeBytes: number | null;
  /** A rounded size for planning before download (not for verification); null when unknown. */
  readonly approxSizeBytes: number | null;
  /** Lower-case hex; null when the publisher gives none. */
  readonly sha256: string | null;
}

export interface CatalogModel {
  readonly id: string;
  readonly family: ModelFamily;
  readonly displayName: string;
  readonly variant: ModelVariant;
  readonly architecture: CatalogArchitecture;
  readonly experts: { readonly count: number; readonly used: number } | null;
  /** Billions, as published; null when not confirmed. */
  readonly parametersBillions: { readonly total: number | null; readonly active: number | null };
  readonly layers: number;
  readonly hiddenSize: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly contextLength: number;
  readonly vocabularySize: number;
  readonly dialect: ChatDialect;
  readonly licence: string | null;
  /** The original (safetensors) repository. */
  readonly sourceRepo: string;
  /** Too large for one machine: offered through the OpenAI-compatible server backend only. */
  readonly serverOnly: boolean;
  /** Names of fields above whose values are inferred rather than confirmed from a published source. */
  readonly unconfirmed: readonly string[];
  readonly files: readonly CatalogFile[];
}

export interface Catalog {
  readonly version: 1;
  readonly models: readonly CatalogModel[];
}

export const DIALECT_OF_FAMILY: Readonly<Record<ModelFamily, ChatDialect>> = {
  'llm-jp-4': 'llm-jp-4.0',
  'llm-jp-4.1': 'llm-jp-4.1',
  'llm-jp-3.1': 'llm-jp-3',
  'llm-jp-3': 'llm-jp-3',
};

const FAMILIES = Object.keys(DIALECT_OF_FAMILY) as ModelFamily[];
const ARCHITECTURES: readonly CatalogArchitecture[] = ['llama', 'qwen3moe'];
const VARIANTS: readonly ModelVariant[] = ['instruct', 'thinking'];
const DIALECTS: readonly ChatDialect[] = ['llm-jp-4.0', 'llm-jp-4.1', 'llm-jp-3'];
const ID_PATTERN = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const REPO_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;
const QUANT_PATTERN = /^[A-Z0-9_]+$/;
const MODEL_KEYS = [
  'id', 'family', 'displayName', 'variant', 'architecture', 'experts', 'parametersBillions', 'layers', 'hiddenSize',
  'heads', 'kvHeads', 'headDim', 'contextLength', 'vocabularySize', 'dialect', 'licence', 'sourceRepo', 'serverOnly',
  'unconfirmed', 'files',
];
const FILE_KEYS = ['quantization', 'repo', 'file', 'uri', 'sizeBytes', 'approxSizeBytes', 'sha256'];

export class CatalogError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid model catalog:\n  ${problems.join('\n  ')}`);
    this.name = 'CatalogError';
  }
}

/** The download address of `file` in `repo` on Hugging Face's main branch. */
export function huggingFaceResolveUri(repo: string, file: string): string {
  return `https://huggingface.co/${repo}/resolve/main/${file.split('/').map(encodeURIComponent).join('/')}`;
}

/** Every rule the catalog must satisfy; an empty list means valid. */
export function catalogProblems(value: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(value)) return ['catalog: not an object'];
  for (const key of Object.keys(value)) {
    if (key !== 'version' && key !== 'models' && key !== '$schema') problems.push(`catalog: unknown property ${key}`);
  }
  if (value.version !== 1) problems.push('catalog.version: must be 1');
  if (!Array.isArray(value.models) || value.models.length === 0) return [...problems, 'catalog.models: must be a non-empty array'];
  const ids = new Set<string>();
  value.models.forEach((model: unknown, index: number) => {
    const where = `models[${index}]`;
    if (!isObject(model)) {
      problems.push(`${where}: not an object`);
      return;
    }
    const at = `${where} (${String(model.id)})`;
    checkModel(model, at, problems);
    if (typeof model.id === 'string') {
      if (ids.has(model.id)) problems.push(`${at}: duplicate id`);
      ids.add(model.id);
    }
  });
  return problems;
}

/** The catalog, typed, or a CatalogError listing every problem. */
export function parseCatalog(value: unknown): Catalog {
  const problems = catalogProblems(value);
  if (problems.length > 0) throw new CatalogError(problems);
  return value as Catalog;
}

export function readCatalogFile(file: string): Catalog {
  return parseCatalog(JSON.parse(readFileSync(file, 'utf8')) as unknown);
}

export function findModel(catalog: Catalog, id: string): CatalogModel | undefined {
  return catalog.models.find((model) => model.id === id);
}

function checkModel(model: Record<string, unknown>, at: string, problems: string[]): void {
  for (const key of Object.keys(model)) if (!MODEL_KEYS.includes(key)) problems.push(`${at}: unknown property ${key}`);
  for (const key of MODEL_KEYS) if (!(key in model)) problems.push(`${at}: missing ${key}`);
  if (typeof model.id !== 'string' || !ID_PATTERN.test(model.id)) problems.push(`${at}.id: lower-case words joined by - or .`);
  if (!FAMILIES.includes(model.family as ModelFamily)) problems.push(`${at}.family: one of ${FAMILIES.join(', ')}`);
  if (typeof model.displayName !== 'string' || model.displayName.trim() === '') problems.push(`${at}.displayName: non-empty string`);
  if (!VARIANTS.includes(model.variant as ModelVariant)) problems.push(`${at}.variant: one of ${VARIANTS.join(', ')}`);
  if (!ARCHITECTURES.includes(model.architecture as CatalogArchitecture)) {
    problems.push(`${at}.architecture: one of ${ARCHITECTURES.join(', ')}`);
  }
  if (!DIALECTS.includes(model.dialect as ChatDialect)) problems.push(`${at}.dialect: one of ${DIALECTS.join(', ')}`);
  else if (FAMILIES.includes(model.family as ModelFamily) && DIALECT_OF_FAMILY[model.family as ModelFamily] !== model.dialect) {
    problems.push(`${at}.dialect: family ${String(model.family)} speaks ${DIALECT_OF_FAMILY[model.family as ModelFamily]}`);
  }
  for (const key of ['layers', 'hiddenSize', 'heads', 'kvHeads', 'headDim', 'contextLength', 'vocabularySize']) {
    if (!isPositiveInteger(model[key])) problems.push(`${at}.${key}: positive integer`);
  }
  if (isPositiveInteger(model.heads) && isPositiveInteger(model.kvHeads) && model.heads % model.kvHeads !== 0) {
    problems.push(`${at}.kvHeads: must divide heads`);
  }
  if (model.architecture === 'llama' && isPositiveInteger(model.heads) && isPositiveInteger(model.headDim) &&
      model.heads * model.headDim !== model.hiddenSize) {
    problems.push(`${at}.headDim: heads x headDim must equal hiddenSize for llama`);
  }
  checkExperts(model, at, problems);
  checkParameters(model.parametersBillions, at, problems);
  if (model.licence !== null && (typeof model.licence !== 'string' || model.licence === '')) problems.push(`${at}.licence: string or null`);
  if (typeof model.sourceRepo !== 'string' || !REPO_PATTERN.test(model.sourceRepo)) problems.push(`${at}.sourceRepo: owner/name`);
  if (typeof model.serverOnly !== 'boolean') problems.push(`${at}.serverOnly: boolean`);
  if (!Array.isArray(model.unconfirmed) || !model.unconfirmed.every((name) => MODEL_KEYS.includes(name as string))) {
    problems.push(`${at}.unconfirmed: array of this entry's property names`);
  }
  if (!Array.isArray(model.files)) {
    problems.push(`${at}.files: array`);
    return;
  }
  if (model.serverOnly === true && model.files.length > 0) problems.push(`${at}.files: a server-only model lists no local files`);
  const quantizations = new Set<string>();
  model.files.forEach((file: unknown, index: number) => {
    const fileAt = `${at}.files[${index}]`;
    if (!isObject(file)) {
      problems.push(`${fileAt}: not an object`);
      return;
    }
    checkFile(file, fileAt, problems);
    if (typeof file.quantization === 'string') {
      const key = `${String(file.repo)}:${file.quantization}`;
      if (quantizations.has(key)) problems.push(`${fileAt}: duplicate quantization ${file.quantization} in ${String(file.repo)}`);
      quantizations.add(key);
    }
  });
}

function checkExperts(model: Record<string, unknown>, at: string, problems: string[]): void {
  const experts = model.experts;
  if (experts === null) {
    if (model.architecture === 'qwen3moe') problems.push(`${at}.experts: qwen3moe models have experts`);
    return;
  }
  if (!isObject(experts) || !isPositiveInteger(experts.count) || !isPositiveInteger(experts.used) ||
      experts.used > experts.count || Object.keys(experts).length !== 2) {
    problems.push(`${at}.experts: null or { count, used } with used <= count`);
  }
}

function checkParameters(value: unknown, at: string, problems: string[]): void {
  if (!isObject(value) || Object.keys(value).some((key) => key !== 'total' && key !== 'active') ||
      !('total' in value) || !('active' in value)) {
    problems.push(`${at}.parametersBillions: { total, active }`);
    return;
  }
  for (const key of ['total', 'active'] as const) {
    const number = value[key];
    if (number !== null && (typeof number !== 'number' || !(number > 0))) problems.push(`${at}.parametersBillions.${key}: positive number or null`);
  }
  if (typeof value.total === 'number' && typeof value.active === 'number' && value.active > value.total) {
    problems.push(`${at}.parametersBillions: active exceeds total`);
  }
}

function checkFile(file: Record<string, unknown>, at: string, problems: string[]): void {
  for (const key of Object.keys(file)) if (!FILE_KEYS.includes(key)) problems.push(`${at}: unknown property ${key}`);
  for (const key of FILE_KEYS) if (!(key in file)) problems.push(`${at}: missing ${key}`);
  if (typeof file.quantization !== 'string' || !QUANT_PATTERN.test(file.quantization)) problems.push(`${at}.quantization: e.g. Q4_K_M`);
  if (typeof file.repo !== 'string' || !REPO_PATTERN.test(file.repo)) problems.push(`${at}.repo: owner/name`);
  if (file.file === null) {
    if (file.uri !== null) problems.push(`${at}.uri: null when file is null`);
  } else if (typeof file.file !== 'string' || !file.file.endsWith('.gguf') || file.file.includes('..')) {
    problems.push(`${at}.file: a .gguf path or null`);
  } else if (typeof file.repo === 'string' && file.uri !== huggingFaceResolveUri(file.repo, file.file)) {
    problems.push(`${at}.uri: must be ${huggingFaceResolveUri(file.repo, file.file)}`);
  }
  if (typeof file.uri === 'string' && !file.uri.startsWith('https://huggingface.co/')) problems.push(`${at}.uri: https://huggingface.co/ only`);
  for (const key of ['sizeBytes', 'approxSizeBytes']) {
    if (file[key] !== null && !isPositiveInteger(file[key])) problems.push(`${at}.${key}: positive integer or null`);
  }
  if (file.sha256 !== null && (typeof file.sha256 !== 'string' || !SHA256_PATTERN.test(file.sha256))) {
    problems.push(`${at}.sha256: 64 lower-case hex digits or null`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
