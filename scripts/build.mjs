// Bundles the extension (Node, CommonJS) and the chat panel (browser) with esbuild.
// node-llama-cpp is never bundled: it loads native binaries relative to its own files.
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { cpSync, mkdirSync } from 'node:fs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  absWorkingDir: root,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
  legalComments: 'linked',
};

const targets = [
  {
    ...common,
    // The worker runs in its own process (see src/engine/client.ts); it alone loads node-llama-cpp.
    entryPoints: { extension: 'src/extension.ts', worker: 'src/engine/worker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'node-llama-cpp'],
  },
  {
    ...common,
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

// The panel's icons (vscode-icon inside @vscode-elements) need the codicon font next to the bundle:
// the webview may load only from dist/ and media/.
const codicons = path.join(root, 'node_modules', '@vscode', 'codicons', 'dist');
mkdirSync(path.join(root, 'dist', 'codicons'), { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) cpSync(path.join(codicons, file), path.join(root, 'dist', 'codicons', file));

if (watch) {
  for (const options of targets) {
    const context = await esbuild.context(options);
    await context.watch();
  }
} else {
  await Promise.all(targets.map((options) => esbuild.build(options)));
}
