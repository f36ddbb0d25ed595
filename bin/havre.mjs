#!/usr/bin/env node
// The `havre` command: TypeScript sources run through tsx (no separate build step).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
const code = await runCli(process.argv.slice(2));
if (code !== 0) process.exit(code);
