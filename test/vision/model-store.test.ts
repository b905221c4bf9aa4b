import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/log.js';
import {
  MODEL_SPECS,
  ModelStoreError,
  ensureModel,
  type ModelSpec,
} from '../../src/vision/model-store.js';
import { FASTESTDET_PATH, MODELS_DIR } from './support.js';

const MODEL_BYTES = readFileSync(FASTESTDET_PATH);
const WRONG_BYTES = Buffer.from(MODEL_BYTES);
WRONG_BYTES[1000] = WRONG_BYTES[1000]! ^ 0xff;
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A loopback server: /good serves the model, /wrong altered bytes, /moved redirects. */
async function withServer(
  run: (baseUrl: string, requests: string[]) => Promise<void>,
): Promise<void> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? '');
    if (request.url === '/good') response.end(MODEL_BYTES);
    else if (request.url === '/wrong') response.end(WRONG_BYTES);
    else if (request.url === '/moved') response.writeHead(302, { location: '/good' }).end();
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const { port } = server.address() as AddressInfo;
  try {
    await run(`http://127.0.0.1:${port}`, requests);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function withModelDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'skychoir-models-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** FastestDet's spec, served from `url`. */
const specAt = (url: string): ModelSpec => ({ ...MODEL_SPECS.fastestdet, url });
const log = silentLogger();

test('the pinned checksums match the team copies of both models', () => {
  assert.equal(sha256(MODEL_BYTES), MODEL_SPECS.fastestdet.sha256);
  assert.equal(MODEL_BYTES.length, MODEL_SPECS.fastestdet.sizeBytes);
  const yolox = readFileSync(join(MODELS_DIR, MODEL_SPECS['yolox-nano'].fileName));
  assert.equal(sha256(yolox), MODEL_SPECS['yolox-nano'].sha256);
  assert.equal(yolox.length, MODEL_SPECS['yolox-nano'].sizeBytes);
});

test('a missing model is fetched, verified, and installed with its licence notice', async () => {
  await withServer(async (baseUrl, requests) => {
    await withModelDir(async (dir) => {
      const path = await ensureModel(specAt(`${baseUrl}/moved`), join(dir, 'models'), {
        fetch: true,
        log,
      });

      assert.equal(path, join(dir, 'models', 'FastestDet.onnx'));
      assert.equal(sha256(await readFile(path)), MODEL_SPECS.fastestdet.sha256);
      const licence = await readFile(join(dir, 'models', 'LICENSE-FastestDet.txt'), 'utf8');
      assert.match(licence, /^BSD 3-Clause License/);
      assert.match(licence, /Copyright \(c\) 2022, xuehao\.ma/);
      assert.deepEqual((await readdir(join(dir, 'models'))).sort(), [
        'FastestDet.onnx',
        'LICENSE-FastestDet.txt',
      ]);
      assert.deepEqual(requests, ['/moved', '/good']);
    });
  });
});

test('a present model is checked and reused without fetching', async () => {
  await withServer(async (baseUrl, requests) => {
    await withModelDir(async (dir) => {
      await writeFile(join(dir, 'FastestDet.onnx'), MODEL_BYTES);

      const path = await ensureModel(specAt(`${baseUrl}/good`), dir, { fetch: true, log });

      assert.equal(path, join(dir, 'FastestDet.onnx'));
      assert.deepEqual(requests, []);
    });
  });
});

test('a download with the wrong checksum is refused, naming both sums', async () => {
  await withServer(async (baseUrl) => {
    await withModelDir(async (dir) => {
      await assert.rejects(
        ensureModel(specAt(`${baseUrl}/wrong`), dir, { fetch: true, log }),
        (error: unknown) => {
          assert.ok(error instanceof ModelStoreError);
          assert.match(error.message, /FastestDet/);
          assert.ok(error.message.includes(`expected sha256 ${MODEL_SPECS.fastestdet.sha256}`));
          assert.ok(error.message.includes(`got sha256 ${sha256(WRONG_BYTES)}`));
          return true;
        },
      );

      assert.deepEqual(await readdir(dir), []);
    });
  });
});

test('a present file with the wrong checksum is an error and is left in place', async () => {
  await withModelDir(async (dir) => {
    await writeFile(join(dir, 'FastestDet.onnx'), WRONG_BYTES);

    await assert.rejects(
      ensureModel(specAt('http://127.0.0.1:9/never'), dir, { fetch: true, log }),
      /model FastestDet at .* is not the expected file: sha256 [0-9a-f]{64} .*delete it/,
    );
    assert.deepEqual(await readdir(dir), ['FastestDet.onnx']);
  });
});

test('a missing model with fetching turned off is an error that says where to get it', async () => {
  await withModelDir(async (dir) => {
    await assert.rejects(
      ensureModel(specAt('http://127.0.0.1:9/never'), dir, { fetch: false, log }),
      /model FastestDet is missing at .* fetching is turned off .*http:\/\/127\.0\.0\.1:9\/never/,
    );
  });
});

test('a failed download names the model and the HTTP status and leaves nothing', async () => {
  await withServer(async (baseUrl) => {
    await withModelDir(async (dir) => {
      await assert.rejects(
        ensureModel(specAt(`${baseUrl}/absent`), dir, { fetch: true, log }),
        /model FastestDet could not be fetched from .*\/absent: HTTP 404/,
      );
      assert.deepEqual(await readdir(dir), []);
    });
  });
});
