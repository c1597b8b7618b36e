#!/usr/bin/env node
// Runs the TypeScript sources through tsx so `npx compound-watch …` works right after `npm ci`.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli.ts');
const args = process.argv.slice(2);
process.exitCode = await main(args);
// The bot has stopped cleanly by now; do not let a lingering handle (a driver's socket) keep it alive.
if ((args[0] ?? 'run') === 'run') process.exit();
