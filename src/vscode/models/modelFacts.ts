// What the extension knows about model files and this machine without loading a model: each
// file's header (read once per file version, in the model process) and the GPU and memory the
// model process sees. The status bar's hover plans from these, so hovering never loads anything.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChatDialect } from '../../core/harmony/types';
import { memoryFactsFromGguf, planMemory, type DeviceMemory, type MemoryPlan } from '../../core/models';
import type { ModelHeader } from '../../engine/client';
import type { EngineService } from '../request/engineService';

type GpuSetting = 'auto' | 'off';

function gpuSetting(): GpuSetting {
  return vscode.workspace.getConfiguration('llmJp').get<string>('gpu', 'auto') === 'off' ? 'off' : 'auto';
}

/** The user's context cap, if any: plans stop there as the loader does. */
export function configuredContext(): number | undefined {
  const size = vscode.workspace.getConfiguration('llmJp').get<number>('contextSize', 0);
  return size > 0 ? size : undefined;
}

export class ModelFacts {
  private readonly headers = new Map<string, { readonly version: string; readonly header: ModelHeader }>();
  private readonly reading = new Map<string, Promise<void>>();
  /**
   * Memory as it was with no model of ours loaded, per GPU setting. Taken once per session: with
   * a model loaded, free memory would count that model against itself.
   */
  private readonly devices = new Map<GpuSetting, DeviceMemory>();
  private probing: Promise<DeviceMemory> | undefined;

  constructor(private readonly engine: EngineService) {}

  /**
   * Reads what a plan for `modelPath` needs that is not known yet. The device is probed only while
   * no model is loaded in the model process (a first load asks before its load request, which the
   * worker serves in order of arrival up to llama.cpp's allocation).
   */
  async prepare(modelPath: string): Promise<void> {
    const device = this.devices.has(gpuSetting()) || this.engine.model !== undefined ? undefined : this.probeDevice().catch(() => undefined);
    await Promise.all([this.readHeader(modelPath), device]);
  }

  /** Probes the GPU and memory now (the pickers want current free memory), remembering it when nothing is loaded. */
  probeDevice(): Promise<DeviceMemory> {
    if (this.probing) return this.probing;
    const setting = gpuSetting();
    const unloaded = this.engine.model === undefined;
    this.probing = this.engine.device().then(
      (device) => {
        this.probing = undefined;
        if (unloaded && gpuSetting() === setting) this.devices.set(setting, device);
        return device;
      },
      (error: unknown) => {
        this.probing = undefined;
        throw error;
      },
    );
    return this.probing;
  }

  /** The device for planning before a pick: probed in the model process, else this process's RAM alone. */
  async deviceForPicking(): Promise<DeviceMemory> {
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Detecting the GPU…') }, () => this.probeDevice()),
    ).catch(() => ({ ramTotalBytes: os.totalmem(), ramFreeBytes: os.freemem() }));
  }

  header(modelPath: string): ModelHeader | undefined {
    return this.headers.get(modelPath)?.header;
  }

  dialect(modelPath: string): ChatDialect | undefined {
    return this.header(modelPath)?.summary.dialect;
  }

  /** The planner's estimate for a file whose header and device are known; undefined otherwise. */
  plan(modelPath: string): MemoryPlan | undefined {
    const header = this.header(modelPath);
    const device = this.devices.get(gpuSetting());
    if (!header || !device) return undefined;
    const { summary, fileBytes } = header;
    const label = [summary.name ?? path.basename(modelPath, '.gguf'), summary.quantization].filter(Boolean).join(' ');
    const facts = memoryFactsFromGguf(summary, fileBytes, label);
    if (!('facts' in facts)) return undefined;
    const maxContext = configuredContext();
    return planMemory(facts.facts, device, maxContext !== undefined ? { maxContext } : {});
  }

  private async readHeader(modelPath: string): Promise<void> {
    let version: string;
    try {
      const stats = await fs.stat(modelPath);
      version = `${stats.size}:${stats.mtimeMs}`;
    } catch {
      return; // a missing file is reported when the model loads
    }
    if (this.headers.get(modelPath)?.version === version) return;
    const key = `${modelPath}\n${version}`;
    let pending = this.reading.get(key);
    if (!pending) {
      pending = this.engine.inspect(modelPath).then(
        (header) => void this.headers.set(modelPath, { version, header }),
        () => undefined, // not a readable GGUF: loading it says why
      ).finally(() => this.reading.delete(key));
      this.reading.set(key, pending);
    }
    await pending;
  }
}

const byEngine = new WeakMap<EngineService, ModelFacts>();

/** One cache per engine, shared by the status bar and the pickers. */
export function modelFacts(engine: EngineService): ModelFacts {
  let facts = byEngine.get(engine);
  if (!facts) {
    facts = new ModelFacts(engine);
    byEngine.set(engine, facts);
  }
  return facts;
}
