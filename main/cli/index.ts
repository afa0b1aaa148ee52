#!/usr/bin/env node
// `npm run cli -- …` and bin/multibank.js land here.
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), { out: { stdout: process.stdout, stderr: process.stderr }, env: process.env, stdin: process.stdin });
process.exitCode = code;
// stdin (a paused TTY or pipe) must not keep the process alive once the command is done
process.stdin.unref?.();
