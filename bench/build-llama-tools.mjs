// The benchmarks' entry to the one llama.cpp tools builder, which lives in scripts/ because the
// remote-backend tests build llama-server with it too.
//   node bench/build-llama-tools.mjs [--cuda | --native | --server] [--force]
import { fileURLToPath } from 'node:url';
import { ensureLlamaTools } from '../scripts/llama-tools.mjs';

export * from '../scripts/llama-tools.mjs';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const variant = ['cuda', 'native', 'server'].find((name) => process.argv.includes(`--${name}`)) ?? 'cpu';
  const tools = await ensureLlamaTools({ variant, force: process.argv.includes('--force') });
  console.log(JSON.stringify(tools, null, 2));
}
