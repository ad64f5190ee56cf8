#!/usr/bin/env node
// Runs the compiled CLI (npm install / npm ci build it through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write("sonospeech: not built yet: run 'npm run build' (or 'make build') in the sonospeech folder\n");
  process.exit(1);
}
const { main } = await import(entry.href);
await main();
