import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load.js';
import { InputError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { DailyFileOutput } from '../../src/output/daily-file-output.js';
import { HttpStreamOutput } from '../../src/output/http-stream-output.js';
import { makeOutputs } from '../../src/output/make-outputs.js';
import { VirtualClock } from '../../src/time/clock.js';

const clock = new VirtualClock(0);

test('the defaults give the MP3 and Opus HTTP streams only', () => {
  const outputs = makeOutputs(loadConfig({ env: {} }), clock, silentLogger());
  assert.deepEqual(outputs.map((output) => output.name), ['http mp3', 'http opus']);
  const streams = outputs.filter((output) => output instanceof HttpStreamOutput);
  assert.deepEqual(streams.map((stream) => [stream.path, stream.contentType]),
    [['/stream', 'audio/mpeg'], ['/stream.opus', 'audio/ogg; codecs=opus']]);
});

test('every output configured, in order, and no name or health holds the Icecast password', () => {
  const config = loadConfig({
    env: { SKYCHOIR_OUTPUT_ICECAST_URL: 'icecast://source:Make0utputs-pw@127.0.0.1:8000/sky.mp3' },
    sets: ['output.opusStream=false', 'output.device=true', 'output.recordDir=/tmp/skychoir-never-started', 'output.recordFormat=flac'],
  });
  const outputs = makeOutputs(config, clock, silentLogger());

  assert.deepEqual(outputs.map((output) => output.name), ['http mp3', 'icecast', 'device', 'file']);
  assert.ok(outputs[3] instanceof DailyFileOutput);
  const shown = JSON.stringify(outputs.map((output) => output.health()));
  assert.ok(!shown.includes('Make0utputs-pw'));
  assert.ok(outputs.every((output) => output.health().state === 'stopped'), 'nothing runs before start');
});

test('a malformed Icecast URL is refused with the setting named', () => {
  const config = loadConfig({ env: { SKYCHOIR_OUTPUT_ICECAST_URL: 'http://source:pw-hidden@host/sky' } });
  assert.throws(() => makeOutputs(config, clock, silentLogger()), (error: unknown) =>
    error instanceof InputError && /output\.icecastUrl/.test(error.message) && !error.message.includes('pw-hidden'));
});
