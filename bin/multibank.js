#!/usr/bin/env node
// The `multibank` command from a clone: runs the TypeScript CLI (main/cli/index.ts) through tsx, in this process.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../main/cli/index.ts', import.meta.url).href);
