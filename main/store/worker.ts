// Worker threads for slow SQLite work (a backup's copy, the sync's writes), the same from the built app and from source:
// run from source (the CLI and dev bridge through tsx, the tests) the worker is TypeScript too, and a worker does not
// inherit tsx's loader (Node 20 ignores --import in a worker's execArgv), so it registers tsx itself before loading the module.
import { Worker } from 'node:worker_threads';

/** Start the worker module `name` (a file beside `from`, default this one, without extension) with `workerData`. */
export function startWorker(name: string, workerData: unknown, from: string = import.meta.url): Worker {
  if (!from.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, from), { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const module = new URL(`./${name}.ts`, from).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(module)}); })`,
    { eval: true, workerData });
}
