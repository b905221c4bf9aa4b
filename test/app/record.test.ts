import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDayRecording } from '../../src/app/record.js';
import { EventBus } from '../../src/bus/bus.js';
import { loadConfig } from '../../src/config/load.js';
import { readDay } from '../../src/days/reader.js';
import { scheduleDay } from '../../src/days/replay.js';
import { silentLogger } from '../../src/log.js';
import { SystemClock, VirtualClock } from '../../src/time/clock.js';
import { FrameAnalyser } from '../../src/vision/analyser.js';
import { WeatherStage } from '../../src/weather/weather-stage.js';
import { MjpegServer, waitUntil } from '../support/camera-servers.js';
import { SHARED_DIR } from '../support/paths.js';

const BRUGES = readFileSync(join(SHARED_DIR, 'weather/open-meteo/archive-bruges-2023-07-29-hourly.json'), 'utf8');
const START = Date.parse('2023-07-29T08:05:00+02:00');
const MAINTENANCE = '<html><body>Down for maintenance</body></html>';

test('a recorded hour keeps every reply with a body as it came, refusals too, and replays to the same observations', async () => {
  // The third request meets a maintenance page; all others the Bruges reply.
  let served = 0;
  const server = createServer((_request, response) => {
    served += 1;
    if (served === 3) {
      response.writeHead(503, { 'content-type': 'text/html' });
      response.end(MAINTENANCE);
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(BRUGES);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const dir = join(await mkdtemp(join(tmpdir(), 'skychoir-record-')), 'day');
  const config = loadConfig({ sets: [`weather.baseUrl=http://127.0.0.1:${port}/v1/forecast`, 'weather.pollIntervalS=600'] });
  const clock = new VirtualClock(START);

  try {
    const recording = await startDayRecording({ config, dir, clock, log: silentLogger() });
    await clock.advanceTo(START + 3_600_000);
    const result = await recording.stop();

    const day = await readDay(dir, silentLogger());
    assert.equal(day.manifest.startAt, START);
    assert.equal(day.manifest.endAt, result.endAt);
    assert.equal(day.weather.length, served, 'every answer with a body is in the day');
    assert.deepEqual(day.weather.map((reply) => reply.status), day.weather.map((_, i) => (i === 2 ? 503 : 200)));
    assert.equal(day.weather[2]!.body, MAINTENANCE);
    assert.ok(day.weather.every((reply, i) => i === 2 || reply.body === BRUGES), 'bodies byte for byte');

    // Replayed, the day gives what a live stage would have heard: the 503 is rejected, the rest observed.
    const replayClock = new VirtualClock(day.manifest.startAt);
    const bus = new EventBus(silentLogger());
    const heard: string[] = [];
    bus.on('weather.observed', 'test', () => void heard.push('observed'));
    bus.on('weather.rejected', 'test', () => void heard.push('rejected'));
    const stage = new WeatherStage({ bus, clock: replayClock, log: silentLogger() });
    scheduleDay(day, replayClock, { onWeatherReply: (reply) => stage.acceptReply(reply), onFrame: async () => {} });
    await replayClock.advanceTo(day.manifest.endAt);
    stage.stop();

    assert.equal(heard.filter((what) => what === 'rejected').length, 1);
    assert.ok(heard.filter((what) => what === 'observed').length >= served - 1);
  } finally {
    server.close();
  }
});

test('with a camera, its frames are recorded at the analysis rate with their instants, and replay through vision', async () => {
  const weather = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(BRUGES);
  });
  await new Promise<void>((resolve) => weather.listen(0, '127.0.0.1', resolve));
  const photos = ['Cu/Cu-N001', 'St/St-N003', 'Ci/Ci-N002'].map((name) => readFileSync(join(SHARED_DIR, 'data/ccsn', `${name}.jpg`)));
  const camera = new MjpegServer(photos, 10);
  const cameraPort = await camera.listen();

  const dir = join(await mkdtemp(join(tmpdir(), 'skychoir-record-')), 'day');
  const config = loadConfig({
    sets: [
      `weather.baseUrl=http://127.0.0.1:${(weather.address() as AddressInfo).port}/v1/forecast`,
      `camera.url=http://user:pw-secret@127.0.0.1:${cameraPort}/mjpeg`,
      'camera.analysisFps=4',
    ],
  });
  const clock = new SystemClock();

  try {
    const recording = await startDayRecording({ config, dir, clock, log: silentLogger() });
    let recorded = 0;
    await waitUntil('six frames on disk', () => {
      const index = join(dir, 'frames.jsonl');
      recorded = existsSync(index) ? readFileSync(index, 'utf8').split('\n').length - 1 : 0;
      return recorded >= 6;
    });
    const result = await recording.stop();

    const day = await readDay(dir, silentLogger());
    assert.equal(day.frames.length, result.frames);
    assert.ok(day.frames.length >= 6);
    const instants = day.frames.map((frame) => frame.capturedAt);
    assert.deepEqual(instants, [...instants].sort((a, b) => a - b), 'in capture order');
    assert.ok(instants.every((at) => at >= day.manifest.startAt && at <= day.manifest.endAt));
    const gaps = instants.slice(1).map((at, i) => at - instants[i]!);
    const medianGap = gaps.sort((a, b) => a - b)[gaps.length >> 1]!;
    assert.ok(medianGap > 150 && medianGap < 400, `frames about 250 ms apart at 4 per second, median gap ${medianGap} ms`);
    assert.ok(!day.manifest.source.includes('pw-secret'));

    const bus = new EventBus(silentLogger());
    const observed: number[] = [];
    bus.on('sky.observed', 'test', ({ coverFraction }) => void observed.push(coverFraction));
    const analyser = new FrameAnalyser({ bus, detector: null, log: silentLogger(), birdScoreMin: 0.5, skyWindowMs: 0 });
    for (const frame of day.frames) {
      await analyser.analyse({ id: frame.id, at: frame.capturedAt, jpeg: await frame.readJpeg() });
    }
    assert.equal(observed.length, day.frames.length, 'every recorded frame is a sky the analyser can read');
  } finally {
    await camera.close();
    weather.close();
  }
});
