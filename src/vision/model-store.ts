/**
 * Detector weights are never committed: they are fetched from upstream on first use,
 * checked against a pinned SHA-256 and size, and kept in the model directory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import axios from 'axios';
import type { Logger } from 'pino';
import { FASTESTDET_LICENCE } from './fastestdet-licence.js';

export type DetectorKind = 'fastestdet' | 'yolox-nano';

/** Where a model comes from and what it must be. */
export interface ModelSpec {
  /** Human name, used in logs and errors. */
  name: string;
  /** File name inside the model directory. */
  fileName: string;
  /** Upstream address; redirects are followed. */
  url: string;
  /** Lower-case hex SHA-256 of the file. */
  sha256: string;
  sizeBytes: number;
  /** A licence notice that must sit next to the file, if any. */
  licence?: { fileName: string; text: string };
}

export const MODEL_SPECS: Readonly<Record<DetectorKind, ModelSpec>> = {
  fastestdet: {
    name: 'FastestDet',
    fileName: 'FastestDet.onnx',
    url:
      'https://github.com/dog-qiuqiu/FastestDet/raw/50473cd155cb088aa4a99e64ff6a4b3c24fa07e1/' +
      'example/onnx-runtime/FastestDet.onnx',
    sha256: '31cb14c017fce347cb4c846ec62fdf00d76bb3beecdf4be21e7116ac67feb880',
    sizeBytes: 998_169,
    licence: { fileName: 'LICENSE-FastestDet.txt', text: FASTESTDET_LICENCE },
  },
  'yolox-nano': {
    name: 'YOLOX-Nano',
    fileName: 'yolox_nano.onnx',
    url: 'https://github.com/Megvii-BaseDetection/YOLOX/releases/download/0.1.1rc0/yolox_nano.onnx',
    // The pin is of the team's shared copy, which came from a third-party repository; it
    // was not compared with the release asset (no network here). If a fetch from the
    // release fails the check, the copy and the release differ: verify, then re-pin.
    sha256: '4903c9058f6e2553834e9905be1ae5d67e262cb6321964dbc57a49edc6fa10da',
    sizeBytes: 3_659_407,
  },
};

export interface EnsureModelOptions {
  /** Download a missing file (true) or fail (false). */
  fetch: boolean;
  log: Logger;
  /** Gives up on a download after this long, in ms. */
  timeoutMs?: number;
}

/** A model that is missing, cannot be fetched, or is not the file it should be. */
export class ModelStoreError extends Error {
  override readonly name = 'ModelStoreError';
}

const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Returns the path of `spec`'s file in `modelDir`, fetching it first if it is missing
 * and `options.fetch` allows. A download goes to a temporary file, is checked (size and
 * SHA-256) and only then renamed into place; on any failure nothing is left behind.
 * A file already present is checked too, and a wrong one is an error (it is not
 * replaced: the user may have put it there). Writes the licence notice if the spec has
 * one and it is missing. Rejects with ModelStoreError.
 */
export async function ensureModel(
  spec: ModelSpec,
  modelDir: string,
  options: EnsureModelOptions,
): Promise<string> {
  const path = join(modelDir, spec.fileName);

  if (await exists(path)) {
    await verifyPresent(spec, path);
    await writeLicence(spec, modelDir);
    return path;
  }

  if (!options.fetch) {
    throw new ModelStoreError(
      `model ${spec.name} is missing at ${path} and fetching is turned off ` +
        `(vision.fetchMissingModel); download it from ${spec.url} (sha256 ${spec.sha256})`,
    );
  }

  await mkdir(modelDir, { recursive: true });
  await download(spec, path, options);
  await writeLicence(spec, modelDir);
  return path;
}

async function verifyPresent(spec: ModelSpec, path: string): Promise<void> {
  const sizeBytes = (await stat(path)).size;
  const sha256 = await hashFile(path);
  if (sizeBytes === spec.sizeBytes && sha256 === spec.sha256) return;

  throw new ModelStoreError(
    `model ${spec.name} at ${path} is not the expected file: ` +
      `sha256 ${sha256} (${sizeBytes} bytes), ` +
      `expected sha256 ${spec.sha256} (${spec.sizeBytes} bytes); delete it to fetch it again`,
  );
}

async function download(spec: ModelSpec, path: string, options: EnsureModelOptions): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const log = options.log;
  log.info({ model: spec.name, url: spec.url, path }, 'fetching model');

  try {
    const response = await axios.get<Readable>(spec.url, {
      responseType: 'stream',
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
    const hash = createHash('sha256');
    const sizeLimitBytes = spec.sizeBytes * 2;
    let sizeBytes = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        sizeBytes += chunk.length;
        if (sizeBytes > sizeLimitBytes) {
          const message = `model ${spec.name} from ${spec.url} is over ${sizeLimitBytes} bytes, ` +
            `expected ${spec.sizeBytes} (sha256 ${spec.sha256}); download stopped`;
          done(new ModelStoreError(message));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(response.data, measure, createWriteStream(temporary));

    const sha256 = hash.digest('hex');
    if (sha256 !== spec.sha256 || sizeBytes !== spec.sizeBytes) {
      throw new ModelStoreError(
        `model ${spec.name} from ${spec.url} failed its checksum: expected sha256 ${spec.sha256} ` +
          `(${spec.sizeBytes} bytes), got sha256 ${sha256} (${sizeBytes} bytes); not installed`,
      );
    }

    await rename(temporary, path);
    log.info({ model: spec.name, path, sizeBytes }, 'model fetched and verified');
  } catch (error) {
    await rm(temporary, { force: true });
    if (error instanceof ModelStoreError) throw error;
    const reason = `model ${spec.name} could not be fetched from ${spec.url}: ${describe(error)}`;
    throw new ModelStoreError(reason, { cause: error });
  }
}

async function writeLicence(spec: ModelSpec, modelDir: string): Promise<void> {
  if (!spec.licence) return;

  const path = join(modelDir, spec.licence.fileName);
  if (await exists(path)) return;
  await writeFile(path, spec.licence.text);
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function describe(error: unknown): string {
  if (axios.isAxiosError(error)) {
    if (error.response) return `HTTP ${error.response.status}`;
    return `${error.code ?? 'network error'}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
