// Worker threads for slow SQLite work (a backup's copy), the same from the built app and from source: run from source
// (the CLI and dev bridge through tsx, the tests) the worker is TypeScript too, and a worker does not inherit tsx's
// loader (Node 20 ignores --import in a worker's execArgv), so it registers tsx itself before loading the module.
import { Worker } from 'node:worker_threads';

/** Start the worker module `name` (a file beside this one, without extension) with `workerData`. */
export function startWorker(name: string, workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, import.meta.url), { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const module = new URL(`./${name}.ts`, import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(module)}); })`,
    { eval: true, workerData });
}
