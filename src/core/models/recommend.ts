// Which catalog file to suggest to someone who has no model yet: the first one, in the catalog's
// own order (it lists the preferred choices first), that the memory planner says runs well here.
import type { Catalog, CatalogFile, CatalogModel } from './catalog';
import { memoryFactsFromCatalog } from './ggufSummary';
import { planMemory, type DeviceMemory, type MemoryPlan, type PlanMode, type PlanOptions } from './memoryPlanner';

export interface Recommendation {
  readonly model: CatalogModel;
  /** A file with a download address. */
  readonly file: CatalogFile;
  readonly plan: MemoryPlan;
}

/**
 * A context this long holds a question with a file or two attached and a few turns of chat;
 * below it a model that otherwise fits is a worse first choice than a smaller one that reaches it.
 */
export const COMFORTABLE_CONTEXT = 16_384;

const MODE_RANK: Readonly<Record<PlanMode, number>> = { 'gpu-full': 0, 'gpu-partial': 1, cpu: 2, 'does-not-fit': 3 };

/** Every downloadable, plannable file with its plan, best first; files that do not fit are left out. */
export function rankDownloads(catalog: Catalog, device: DeviceMemory, options: PlanOptions = {}): Recommendation[] {
  const ranked: { readonly recommendation: Recommendation; readonly key: readonly number[] }[] = [];
  catalog.models.forEach((model, modelIndex) => {
    if (model.serverOnly) return;
    model.files.forEach((file, fileIndex) => {
      if (file.uri === null || file.file === null) return;
      const facts = memoryFactsFromCatalog(model, file);
      if (!facts) return;
      const plan = planMemory(facts, device, options);
      if (plan.mode === 'does-not-fit') return;
      const comfortable = plan.contextSize >= Math.min(COMFORTABLE_CONTEXT, model.contextLength, options.maxContext ?? Infinity);
      ranked.push({ recommendation: { model, file, plan }, key: [MODE_RANK[plan.mode], comfortable ? 0 : 1, modelIndex, fileIndex] });
    });
  });
  return ranked.sort((a, b) => compareKeys(a.key, b.key)).map((entry) => entry.recommendation);
}

/** The file to offer first on this device, or undefined when no downloadable file fits. */
export function recommendDownload(catalog: Catalog, device: DeviceMemory, options: PlanOptions = {}): Recommendation | undefined {
  return rankDownloads(catalog, device, options)[0];
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
