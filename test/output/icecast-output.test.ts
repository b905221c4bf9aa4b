import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestartBackoff } from '../../src/camera/backoff.js';
import { InputError } from '../../src/errors.js';
import { checkIcecastUrl, IcecastOutput, type IcecastFormat } from '../../src/output/icecast-output.js';
import { SystemClock } from '../../src/time/clock.js';
import { waitUntil } from '../support/camera-servers.js';
import { startIcecast } from '../support/icecast.js';
import { memoryLogger } from '../support/logs.js';
import { decode, listen, SAMPLE_RATE, sleep, tone } from './live-support.js';

const PASSWORD = 'n0t-in-logs-Ice';

/** Writes 0.25 s of tone every 100 ms (2.5 times real time) until stopped. */
function pump(output: IcecastOutput): { stop: () => void } {
  let sample = 0;
  const timer = setInterval(() => {
    output.write(tone(0.25, 330, sample));
    sample += 0.25 * SAMPLE_RATE;
  }, 100);
  return { stop: () => clearInterval(timer) };
}

/** Listens to the mount until `bytes` arrived, then decodes what came. */
async function listenAndDecode(url: string, bytes: number): Promise<{ errors: string; seconds: number }> {
  const listener = await listen(url);
  assert.equal(listener.response.statusCode, 200, `GET ${url}`);
  await waitUntil(`${bytes} bytes from the mount`, () => listener.bytes().length >= bytes);
  listener.close();
  return decode(listener.bytes());
}

/** `listenBytes`: about 3 s of the format (a Vorbis tone takes few bytes). */
async function pushAndListen(format: IcecastFormat, mount: string, listenBytes: number): Promise<void> {
  const icecast = await startIcecast({ sourcePassword: PASSWORD });
  const { log, lines } = memoryLogger('debug');
  const output = new IcecastOutput({
    url: icecast.sourceUrl(mount), format, ffmpegPath: 'ffmpeg', sampleRate: SAMPLE_RATE,
    clock: new SystemClock(), log, backoff: new RestartBackoff(300, 1_000),
  });
  const feed = pump(output);
  try {
    await output.start();
    await waitUntil('running', () => output.health().state === 'running');

    const first = await listenAndDecode(icecast.url(mount), listenBytes);
    assert.equal(first.errors, '');
    assert.ok(first.seconds > 2, `decoded ${first.seconds} s`);

    await icecast.stop();
    await waitUntil('reconnecting', () => output.health().state === 'reconnecting', 10_000);
    const droppedWhileDown = output.droppedBytes;
    await sleep(500);
    assert.ok(output.droppedBytes > droppedWhileDown, 'PCM written while Icecast is down is dropped');

    await icecast.start();
    await waitUntil('running again', () => output.health().state === 'running', 10_000);
    assert.ok(output.health().restarts >= 1);
    const second = await listenAndDecode(icecast.url(mount), listenBytes);
    assert.equal(second.errors, '');
    assert.ok(second.seconds > 2, `decoded ${second.seconds} s after the reconnect`);
  } finally {
    feed.stop();
    await output.stop();
    await icecast.dispose();
  }

  assert.equal(output.health().state, 'stopped');
  const everything = JSON.stringify(lines) + JSON.stringify(output.health());
  assert.ok(lines.some((line) => line.msg === 'encoder stopped; restarting after backoff'));
  assert.ok(!everything.includes(PASSWORD), 'the password is never logged');
}

test('Icecast MP3: pushed, heard, reconnected after Icecast restarts, password never logged', async () => {
  await pushAndListen('mp3', '/sky.mp3', 48_000);
});

test('Icecast Ogg Vorbis: pushed and heard across an Icecast restart', async () => {
  await pushAndListen('ogg', '/sky.ogg', 16_000);
});

test('a wrong password keeps the output reconnecting, with a reason that does not show the password', async () => {
  const icecast = await startIcecast({ sourcePassword: PASSWORD });
  const { log, lines } = memoryLogger('debug');
  const wrong = 'wr0ng-Secret-pw';
  const output = new IcecastOutput({
    url: `icecast://source:${wrong}@127.0.0.1:${icecast.port}/sky.mp3`, format: 'mp3', ffmpegPath: 'ffmpeg',
    sampleRate: SAMPLE_RATE, clock: new SystemClock(), log, backoff: new RestartBackoff(100, 200),
  });
  await output.start();
  const feed = pump(output);
  await waitUntil('two refusals', () => output.health().restarts >= 2 && output.health().state === 'reconnecting');
  const detail = output.health().detail ?? '';
  feed.stop();
  await output.stop();
  await icecast.dispose();

  assert.match(detail, /ffmpeg exited with \d+.*; retry in/);
  assert.ok(!detail.includes(wrong));
  const everything = JSON.stringify(lines);
  assert.match(everything, /ffmpeg exited with \d+/);
  assert.ok(!everything.includes(wrong) && !everything.includes(PASSWORD));
});

test('a malformed Icecast URL is an input error naming the setting, with the password masked', () => {
  const cases: Array<[string, RegExp]> = [
    ['http://source:pw-secret@host:8000/sky', /scheme is "http"/],
    ['icecast://source:pw-secret@host:8000', /no mount/],
    ['icecast://host:8000/sky', /no source password/],
    ['not a url', /not a URL/],
  ];
  for (const [url, why] of cases) {
    assert.throws(() => checkIcecastUrl(url), (error: unknown) =>
      error instanceof InputError && /output\.icecastUrl/.test(error.message) && why.test(error.message)
      && !error.message.includes('pw-secret'));
  }
});
