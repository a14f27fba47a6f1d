// `npm run test:electron`: the same extension-host suite as the code-server layer, in VS Code
// desktop downloaded by @vscode/test-electron (needs internet and Node 22+; CI uses code-server).
import { runTests } from '@vscode/test-electron';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../scripts/code-server.mjs';

const workspace = mkdtempSync(path.join(tmpdir(), 'llm-jp-e2e-'));
try {
  await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'e2e', 'suite', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
} catch (error) {
  console.error('Extension host tests failed:', error);
  process.exit(1);
}
