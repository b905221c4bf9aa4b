import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from '../../src/bus/bus.js';
import { memoryLogger } from '../support/logs.js';

test('a subscriber that throws is logged by name and the others still receive the event', async () => {
  const { log, lines } = memoryLogger();
  const bus = new EventBus(log);
  const received: string[] = [];

  bus.on('precipitation.stopped', 'first', () => void received.push('first'));
  bus.on('precipitation.stopped', 'broken', () => {
    throw new Error('boom');
  });
  bus.on('precipitation.stopped', 'rejecting', async () => Promise.reject(new Error('async boom')));
  bus.on('precipitation.stopped', 'last', () => void received.push('last'));

  await bus.publish('precipitation.stopped', { at: 0 });

  assert.deepEqual(received, ['first', 'last']);
  const failures = lines.filter((line) => line.msg === 'subscriber failed; others continue');
  assert.deepEqual(failures.map((line) => line.subscriber), ['broken', 'rejecting']);
});

test('publish waits for asynchronous subscribers, and unsubscribing stops delivery', async () => {
  const bus = new EventBus(memoryLogger().log);
  let done = 0;
  const stop = bus.on('precipitation.stopped', 'slow', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    done++;
  });

  await bus.publish('precipitation.stopped', { at: 0 });
  assert.equal(done, 1);

  stop();
  await bus.publish('precipitation.stopped', { at: 1 });
  assert.equal(done, 1);
});
