import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeBridgedMessage, parseIncoming, type IncomingResult } from '../../src/bridge/bridged-message.js';
import { parseBrokerUrl } from '../../src/bridge/broker-url.js';
import { scrubSecrets } from '../../src/config/redact.js';

const options = { prefix: 'sky', ownOrigin: 'here', maxBytes: 4096 };

function parse(topic: string, body: unknown): IncomingResult {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return parseIncoming(topic, Buffer.from(text), options);
}

function reasonOf(result: IncomingResult): string {
  assert.equal(result.kind, 'rejected', JSON.stringify(result));
  return (result as { reason: string }).reason;
}

const flock = {
  at: 1_700_000_000_000, frameId: 'f9', flockId: 'flock-1', size: 5,
  centroid: { x: 0.4, y: 0.3 }, headingDeg: 90, speed: 0.2,
};

test('an encoded event parses back to the same event, with its origin', () => {
  const body = encodeBridgedMessage('roof', 'flock.started', flock);
  const result = parseIncoming('sky/events/flock.started', Buffer.from(body), options);
  assert.deepEqual(result, { kind: 'accepted', origin: 'roof', event: { name: 'flock.started', payload: flock } });
});

test('a message from our own origin is recognised before its payload is judged', () => {
  assert.deepEqual(parse('sky/events/bird.seen', { origin: 'here', name: 'bird.seen', payload: {} }), { kind: 'own' });
});

test('each kind of bad message is rejected with what was wrong', () => {
  assert.match(reasonOf(parse('sky/events/bird.seen', '{"origin": ')), /^not JSON/);
  assert.match(reasonOf(parse('sky/events/bird.song', { origin: 'x', name: 'bird.song', payload: { at: 1 } })), /unknown event name "bird.song"/);
  assert.match(reasonOf(parse('other/events/bird.seen', {})), /topic is not under sky\/events\//);
  assert.match(reasonOf(parse('sky/events/fog.formed', { origin: 'x', name: 'fog.cleared', payload: { at: 1 } })), /name "fog.cleared" differs from the topic's fog.formed/);
  assert.match(reasonOf(parse('sky/events/flock.ended', { name: 'flock.ended', payload: { at: 1 } })), /^origin: /);
  assert.match(reasonOf(parse('sky/events/precipitation.stopped', { origin: 'x', name: 'precipitation.stopped', payload: {} })), /^payload\.at: /);
  assert.match(reasonOf(parse('sky/events/weather.observed', { origin: 'x', name: 'weather.observed', payload: [1] })), /^payload: /);
  assert.match(reasonOf(parse('sky/events/flock.started', { origin: 'x', name: 'flock.started', payload: { ...flock, size: 'five' } })), /^payload\.size: /);
  assert.match(reasonOf(parse('sky/events/sky.observed', {
    origin: 'x', name: 'sky.observed', payload: { at: 5, frameId: 'f', coverFraction: 1.5, brightness: 0.5, cloudTypes: null },
  })), /^payload\.coverFraction: /);
});

test('a finite `at` is required: numbers as strings, or too large to be an instant, are refused', () => {
  assert.match(reasonOf(parse('sky/events/precipitation.stopped', { origin: 'x', name: 'precipitation.stopped', payload: { at: '1700000000000' } })), /payload\.at/);
  assert.match(reasonOf(parse('sky/events/precipitation.stopped', '{"origin":"x","name":"precipitation.stopped","payload":{"at":1e999}}')), /payload\.at/);
});

test('a message over the size limit is refused before it is parsed', () => {
  const huge = Buffer.alloc(options.maxBytes + 1, 0x20);
  assert.match(reasonOf(parseIncoming('sky/events/bird.seen', huge, options)), /message of 4097 bytes is over the limit of 4096 bytes/);
});

test('fields a schema does not know are dropped; events without a full schema keep theirs', () => {
  const bird = { at: 3, frameId: 'nvr-1', count: 1, detections: [], extra: 'x' };
  const seen = parse('sky/events/bird.seen', { origin: 'nvr', name: 'bird.seen', payload: bird });
  assert.equal(seen.kind, 'accepted');
  assert.deepEqual((seen as { event: { payload: unknown } }).event.payload, { at: 3, frameId: 'nvr-1', count: 1, detections: [] });

  const weather = parse('sky/events/weather.rejected', { origin: 'nvr', name: 'weather.rejected', payload: { at: 3, provider: 'p', reason: 'r' } });
  assert.deepEqual((weather as { event: { payload: unknown } }).event.payload, { at: 3, provider: 'p', reason: 'r' });
});

test('the broker URL loses its credentials to options; the password is masked and remembered as a secret', () => {
  const broker = parseBrokerUrl('mqtt://sky:p%40ss/w0rd@broker.local:1883');
  assert.deepEqual(broker, {
    url: 'mqtt://broker.local:1883',
    username: 'sky',
    password: 'p@ss/w0rd',
    shown: 'mqtt://sky:***@broker.local:1883',
  });
  assert.equal(scrubSecrets('refused p@ss/w0rd and p%40ss/w0rd'), 'refused *** and ***');

  assert.deepEqual(parseBrokerUrl('mqtts://broker:8883'), { url: 'mqtts://broker:8883', shown: 'mqtts://broker:8883' });
});

test('an unusable broker URL is an input error naming mqtt.url, without the password', () => {
  assert.throws(() => parseBrokerUrl('http://u:hunter22@broker'), (error: Error) => {
    assert.match(error.message, /^mqtt\.url: scheme must be one of mqtt: mqtts:/);
    assert.ok(!error.message.includes('hunter22'), error.message);
    return true;
  });
  assert.throws(() => parseBrokerUrl('broker.local:1883'), /mqtt\.url: expected scheme:\/\/host:port/);
});
