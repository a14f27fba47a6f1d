// `npm run package -- [--target linux-x64] [--cuda]`: builds and packages a platform-specific VSIX.
// node-llama-cpp's prebuilt binaries are per platform; a VSIX carries only its target's
// (CPU and Vulkan; CUDA adds about 540 MB, so only with --cuda).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './code-server.mjs';

const binaryPackages = {
  'linux-x64': ['linux-x64', 'linux-x64-vulkan'],
  'linux-arm64': ['linux-arm64'],
  'linux-armhf': ['linux-armv7l'],
  'darwin-arm64': ['mac-arm64-metal'],
  'darwin-x64': ['mac-x64'],
  'win32-x64': ['win-x64', 'win-x64-vulkan'],
  'win32-arm64': ['win-arm64'],
};
const cudaPackages = { 'linux-x64': ['linux-x64-cuda', 'linux-x64-cuda-ext'], 'win32-x64': ['win-x64-cuda', 'win-x64-cuda-ext'] };

const args = process.argv.slice(2);
const target = args.includes('--target') ? args[args.indexOf('--target') + 1] : `${process.platform}-${process.arch}`;
if (!binaryPackages[target]) throw new Error(`unsupported target ${target}; choose from ${Object.keys(binaryPackages).join(', ')}`);
const keep = new Set([...binaryPackages[target], ...(args.includes('--cuda') ? cudaPackages[target] ?? [] : [])]);

const scope = path.join(repoRoot, 'node_modules', '@node-llama-cpp');
const installed = existsSync(scope) ? readdirSync(scope) : [];
const missing = [...keep].filter((name) => !installed.includes(name));
if (missing.length > 0) {
  throw new Error(`@node-llama-cpp/${missing.join(', @node-llama-cpp/')} not installed: run npm install on (or for) ${target}`);
}
const ignoreFile = path.join(mkdtempSync(path.join(tmpdir(), 'llm-jp-vsix-')), '.vscodeignore');
writeFileSync(
  ignoreFile,
  readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8')
    .split('\n')
    .filter((line) => !(args.includes('--cuda') && /^node_modules\/@node-llama-cpp\/\*-cuda/.test(line)))
    .join('\n') +
    installed.filter((name) => !keep.has(name)).map((name) => `node_modules/@node-llama-cpp/${name}/**\n`).join(''),
);

const run = (command, commandArgs) => {
  const result = spawnSync(command, commandArgs, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run('npx', ['vsce', 'package', '--target', target, '--ignoreFile', ignoreFile, '--allow-missing-repository',
  // README images stay relative: VS Code shows the README from the installed extension's folder.
  '--no-rewrite-relative-links', ...(args.includes('--out') ? ['--out', args[args.indexOf('--out') + 1]] : [])]);
