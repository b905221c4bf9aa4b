import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectAsync } from 'mqtt';
import { EventBus } from '../../src/bus/bus.js';
import type { SkyEvent, SkyEvents } from '../../src/bus/events.js';
import { SKY_EVENT_NAMES } from '../../src/bus/event-names.js';
import { MqttBridge, type MqttBridgeOptions } from '../../src/bridge/mqtt-bridge.js';
import { silentLogger } from '../../src/log.js';
import { SystemClock } from '../../src/time/clock.js';
import { memoryLogger, problemsIn } from '../support/logs.js';
import { startMosquitto } from '../support/mosquitto.js';

/** One machine: a bus, its bridge, every event its bus saw, and its bridge's log lines. */
function machine(origin: string, url: string, accept = true, extra: Partial<MqttBridgeOptions> = {}) {
  const { log, lines } = memoryLogger('debug');
  const bus = new EventBus(silentLogger());
  const seen: SkyEvent[] = [];
  for (const name of SKY_EVENT_NAMES) bus.on(name, 'test', (payload) => void seen.push({ name, payload } as SkyEvent));
  const bridge = new MqttBridge({
    url, topicPrefix: 'skychoir', accept, bus, log, origin, clock: new SystemClock(),
    reconnectMinMs: 100, reconnectMaxMs: 400, maxMessageBytes: 16 * 1024, ...extra,
  });
  const named = <Name extends SkyEvent['name']>(name: Name) =>
    seen.filter((event) => event.name === name).map((event) => event.payload as SkyEvents[Name]);
  return { bus, bridge, seen, named, lines };
}

/** Polls until `ready` holds; a deadline only so that a broken bridge fails instead of hanging. */
async function waitFor(what: string, ready: () => boolean, deadlineMs = 10_000): Promise<void> {
  const giveUpAt = Date.now() + deadlineMs;
  while (!ready()) {
    if (Date.now() > giveUpAt) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const flock = (at: number, frameId: string): SkyEvents['flock.started'] => ({
  at, frameId, flockId: 'flock-1', size: 7, centroid: { x: 0.5, y: 0.25 }, headingDeg: 45, speed: 0.1,
});

test('an event published on one machine arrives once on the other, and never comes back', async (t) => {
  const broker = await startMosquitto();
  t.after(() => broker.stop());
  const roof = machine('roof', broker.url);
  const studio = machine('studio', broker.url);
  t.after(() => Promise.all([roof.bridge.stop(), studio.bridge.stop()]));
  roof.bridge.start();
  studio.bridge.start();
  await waitFor('both online', () => roof.bridge.health().state === 'online' && studio.bridge.health().state === 'online');

  await roof.bus.publish('flock.started', flock(1000, 'f1'));
  await roof.bus.publish('precipitation.stopped', { at: 1001 });
  await waitFor('the marker after the flock on the studio', () => studio.named('precipitation.stopped').length === 1);
  assert.deepEqual(studio.named('flock.started'), [flock(1000, 'f1')]);

  await studio.bus.publish('fog.formed', { at: 2000, visibilityM: 300, wmoCode: 45 });
  await waitFor("the studio's own marker on the roof", () => roof.named('fog.formed').length === 1);
  assert.equal(roof.named('flock.started').length, 1, 'the flock did not come back to the roof');
  assert.equal(roof.named('precipitation.stopped').length, 1);
  assert.equal(studio.named('fog.formed').length, 1, 'the studio did not take its own event back');

  assert.deepEqual(
    roof.seen.filter((event) => event.name === 'source.status.changed').map((event) => event.payload),
    [{ at: roof.bridge.health().since, source: 'mqtt', status: 'online' }],
    "the link's health is on the bus, and the studio's is not",
  );
  assert.equal(roof.bridge.health().received, 1);
  assert.equal(studio.bridge.health().received, 2);
  assert.deepEqual(problemsIn(roof.lines), []);
});

test('malformed messages are dropped with one clear line per topic, and the bridge goes on', async (t) => {
  const broker = await startMosquitto();
  t.after(() => broker.stop());
  const studio = machine('studio', broker.url);
  t.after(() => studio.bridge.stop());
  studio.bridge.start();
  await waitFor('online', () => studio.bridge.health().state === 'online');
  const sender = await connectAsync(broker.url);
  t.after(() => sender.endAsync());

  const send = (topic: string, body: string | object) =>
    sender.publishAsync(`skychoir/events/${topic}`, typeof body === 'string' ? body : JSON.stringify(body));
  await send('bird.seen', 'this is not JSON');
  await send('bird.seen', '{"origin": "nvr"');
  await send('bird.song', { origin: 'nvr', name: 'bird.song', payload: { at: 1 } });
  await send('flock.ended', { origin: 'nvr', name: 'flock.ended', payload: { flockId: 'a', durationMs: 1, peakSize: 2 } });
  await send('flock.started', { origin: 'nvr', name: 'flock.started', payload: { ...flock(5, 'f'), size: 'seven' } });
  await send('sky.observed', { origin: 'nvr', name: 'sky.observed', payload: { at: 1, pad: 'x'.repeat(20_000) } });
  await send('aircraft.seen', { origin: 'nvr', name: 'aircraft.seen', payload: { at: 7, frameId: 'nvr-7', detections: [] } });
  await waitFor('the good message after the bad ones', () => studio.named('aircraft.seen').length === 1);

  const warnings = studio.lines.filter((line) => line.level === 40).map((line) => [line.topic, line.reason]);
  assert.deepEqual(warnings.map(([topic]) => topic), [
    'skychoir/events/bird.seen', 'skychoir/events/bird.song', 'skychoir/events/flock.ended',
    'skychoir/events/flock.started', 'skychoir/events/sky.observed',
  ]);
  assert.match(String(warnings[0]![1]), /^not JSON/);
  assert.match(String(warnings[1]![1]), /unknown event name "bird.song"/);
  assert.match(String(warnings[2]![1]), /^payload\.at: /);
  assert.match(String(warnings[3]![1]), /^payload\.size: /);
  assert.match(String(warnings[4]![1]), /message of \d+ bytes is over the limit of 16384 bytes/);

  assert.equal(studio.bridge.health().dropped, 6, 'the second bad bird.seen was dropped too, told at debug');
  assert.deepEqual(studio.seen.map((event) => event.name), ['source.status.changed', 'aircraft.seen']);
});

test('a broker that goes away and comes back: offline, then online, and events flow again; the password is never shown', async (t) => {
  const password = 'Hunter2-bridge-secret';
  let broker = await startMosquitto({ username: 'sky', password });
  t.after(() => broker.stop());
  const url = `mqtt://sky:${password}@127.0.0.1:${broker.port}`;
  const roof = machine('roof', url);
  const studio = machine('studio', url);
  t.after(() => Promise.all([roof.bridge.stop(), studio.bridge.stop()]));
  roof.bridge.start();
  studio.bridge.start();
  await waitFor('both online', () => roof.bridge.health().state === 'online' && studio.bridge.health().state === 'online');

  await broker.stop();
  await waitFor('roof offline', () => roof.bridge.health().state === 'offline');
  await roof.bus.publish('precipitation.stopped', { at: 1 });
  assert.equal(roof.bridge.health().unsent, 1, 'an event while offline is counted, not queued');

  broker = await startMosquitto({ port: broker.port, username: 'sky', password });
  await waitFor('both online again', () => roof.bridge.health().state === 'online' && studio.bridge.health().state === 'online');
  await roof.bus.publish('flock.ended', { at: 3, flockId: 'flock-1', durationMs: 9000, peakSize: 7 });
  await waitFor('the flock end on the studio', () => studio.named('flock.ended').length === 1);
  assert.equal(studio.named('precipitation.stopped').length, 0, 'the offline event was not sent late');

  const statuses = roof.named('source.status.changed');
  assert.deepEqual(statuses.map((status) => status.status), ['online', 'offline', 'online']);
  assert.equal(statuses[1]!.source, 'mqtt');
  assert.equal(typeof statuses[1]!.reason, 'string');

  const everything = JSON.stringify([roof.lines, studio.lines, roof.seen, studio.seen, roof.bridge.health()]);
  assert.ok(!everything.includes(password), 'the password appears nowhere');
  assert.ok(everything.includes('mqtt://sky:***@127.0.0.1'), 'the broker is shown masked');
});

test('a refused password keeps the bridge offline and retrying, with the reason shown and the password not', async (t) => {
  const broker = await startMosquitto({ username: 'sky', password: 'the-right-one' });
  t.after(() => broker.stop());
  const wrong = 'Wrong-password-9876';
  const roof = machine('roof', `mqtt://sky:${wrong}@127.0.0.1:${broker.port}`);
  t.after(() => roof.bridge.stop());
  roof.bridge.start();

  await waitFor('offline', () => roof.bridge.health().state === 'offline');
  await waitFor('a retry after the first', () => (roof.bridge.health().retryInMs ?? 0) >= 400);
  assert.match(roof.bridge.health().reason ?? '', /not authori[sz]ed/i);
  assert.equal(roof.named('source.status.changed').length, 1, 'offline is told once, not per attempt');
  assert.ok(!JSON.stringify([roof.lines, roof.seen, roof.bridge.health()]).includes(wrong));
});

test('a bridge to a broker that is not there starts at once and reports offline', async (t) => {
  const roof = machine('roof', 'mqtt://127.0.0.1:9', false);
  t.after(() => roof.bridge.stop());
  roof.bridge.start();
  assert.equal(roof.bridge.health().state, 'connecting');
  await waitFor('offline', () => roof.bridge.health().state === 'offline');
  assert.match(roof.bridge.health().reason ?? '', /ECONNREFUSED/);
  await roof.bridge.stop();
  assert.equal(roof.bridge.health().state, 'stopped');
});

test("birds from a Frigate NVR on the broker become bird.seen, once per tracked bird", async (t) => {
  const broker = await startMosquitto();
  t.after(() => broker.stop());
  const studio = machine('studio', broker.url, false, { frigate: { detectSize: { width: 1280, height: 720 } } });
  t.after(() => studio.bridge.stop());
  studio.bridge.start();
  await waitFor('online', () => studio.bridge.health().state === 'online');
  const nvr = await connectAsync(broker.url);
  t.after(() => nvr.endAsync());

  const tracked = (id: string, label: string) => ({
    id, camera: 'garden', label, score: 0.8, frame_time: 1700000000.5, box: [0, 0, 128, 72],
  });
  const frigate = (type: string, after: object) => nvr.publishAsync('frigate/events', JSON.stringify({ type, before: after, after }));
  await frigate('new', tracked('b1', 'bird'));
  await frigate('update', tracked('b1', 'bird'));
  await frigate('new', tracked('p1', 'person'));
  await nvr.publishAsync('skychoir/events/precipitation.stopped', JSON.stringify({ origin: 'x', name: 'precipitation.stopped', payload: { at: 1 } }));
  await frigate('new', tracked('b2', 'bird'));
  await waitFor('the second bird', () => studio.named('bird.seen').length === 2);

  assert.deepEqual(studio.named('bird.seen').map((bird) => bird.frameId), ['frigate:garden:b1', 'frigate:garden:b2']);
  assert.deepEqual(studio.named('bird.seen')[0]!.detections[0]!.box, { x: 0, y: 0, width: 0.1, height: 0.1 });
  assert.equal(studio.named('precipitation.stopped').length, 0, 'accept: false takes no skychoir events');
});
