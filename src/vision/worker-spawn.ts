import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts the worker module `name` that lies beside this one, with this module's extension:
 * the file itself when built (.js); under tsx (.ts, in tests and `npm run bench`) through a
 * small bootstrap that loads the .ts module with tsx's own API, because Node 20 ignores
 * loader hooks given to a worker (`execArgv: ['--import', 'tsx']` still fails with
 * ERR_UNKNOWN_FILE_EXTENSION, nodejs/node#47747, fixed in Node 22.2).
 */
export function spawnVisionWorker(name: string, workerData: unknown): Worker {
  const extension = extname(fileURLToPath(import.meta.url));
  const url = new URL(`./${name}${extension}`, import.meta.url);
  if (extension !== '.ts') return new Worker(url, { workerData });

  const [api, worker, parent] = [import.meta.resolve('tsx/esm/api'), url.href, import.meta.url].map((text) => JSON.stringify(text));
  const bootstrap = `import(${api}).then(({ tsImport }) => tsImport(${worker}, ${parent}))`;
  return new Worker(bootstrap, { eval: true, workerData });
}
