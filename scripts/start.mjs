// `npm start`: builds the extension and opens it in a real VS Code. With the `code` command on
// PATH that is VS Code desktop in extension-development mode; otherwise code-server on 127.0.0.1.
import { spawn, spawnSync } from 'node:child_process';
import { repoRoot, startCodeServer } from './code-server.mjs';

const build = spawnSync('node', ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const hasCode = spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasCode && !process.argv.includes('--code-server')) {
  const child = spawn('code', ['--new-window', `--extensionDevelopmentPath=${repoRoot}`], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const port = Number(process.env.PORT ?? 8080);
  const locale = process.argv.find((arg) => arg.startsWith('--locale='))?.slice('--locale='.length);
  const server = await startCodeServer({ installed: [repoRoot], port, locale, log: (line) => console.log(line) });
  console.log(`\nLLM-jp is running in code-server: open ${server.origin}/?folder=${encodeURIComponent(server.workspace)}`);
  console.log('Open the LLM-jp view in the activity bar, or run "LLM-jp: Open Chat" from the command palette. Ctrl+C stops.');
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await server.exited;
}
