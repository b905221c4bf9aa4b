import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { StreamFanOut } from '../../src/output/fan-out.js';
import { silentLogger } from '../../src/log.js';

/** A listener that takes every byte at once. */
function keenListener(): { stream: Writable; received: () => number } {
  let bytes = 0;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  return { stream, received: () => bytes };
}

test('a listener that never reads is dropped; the others get every byte', () => {
  const fanOut = new StreamFanOut(silentLogger(), 64 * 1024);
  const keen = keenListener();
  const stuck = new PassThrough({ highWaterMark: 1024 });
  fanOut.add(keen.stream);
  fanOut.add(stuck);

  const chunk = Buffer.alloc(16 * 1024, 7);
  for (let i = 0; i < 8; i++) fanOut.broadcast(chunk);

  assert.equal(keen.received(), 8 * chunk.length);
  assert.ok(stuck.destroyed, 'the stuck listener was destroyed');
  assert.equal(fanOut.size, 1);
});

test('a listener that closes leaves, and endAll ends the rest', async () => {
  const fanOut = new StreamFanOut(silentLogger());
  const leaving = keenListener();
  const staying = keenListener();
  fanOut.add(leaving.stream);
  fanOut.add(staying.stream);

  leaving.stream.destroy();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(fanOut.size, 1);

  fanOut.broadcast(Buffer.from('abc'));
  assert.equal(staying.received(), 3);

  fanOut.endAll();
  assert.equal(fanOut.size, 0);
  assert.ok(staying.stream.writableEnded);
});
