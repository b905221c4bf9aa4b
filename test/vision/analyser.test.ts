import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import sharp from 'sharp';
import { EventBus } from '../../src/bus/bus.js';
import type { SkyEvent, SkyEventName } from '../../src/bus/events.js';
import { silentLogger } from '../../src/log.js';
import type { CameraFrame } from '../../src/camera/frame.js';
import { FrameAnalyser } from '../../src/vision/analyser.js';
import type { FrameDetector } from '../../src/vision/birds.js';
import { Detector } from '../../src/vision/detector.js';
import { FASTESTDET_PATH, ccsnPath } from './support.js';

const AT = Date.parse('2024-05-01T09:00:00Z');
const EVENT_NAMES: SkyEventName[] = ['sky.observed', 'bird.seen', 'frame.rejected'];

const detector = await Detector.open({
  modelPath: FASTESTDET_PATH,
  kind: 'fastestdet',
  log: silentLogger(),
});
after(() => detector.close());

function setUp(options: { detector?: FrameDetector; log?: Logger } = {}) {
  const bus = new EventBus(silentLogger());
  const events: SkyEvent[] = [];
  for (const name of EVENT_NAMES) {
    bus.on(name, 'test', (payload) => {
      events.push({ name, payload } as SkyEvent);
    });
  }
  const analyser = new FrameAnalyser({
    bus,
    detector: options.detector ?? detector,
    log: options.log ?? silentLogger(),
    birdScoreMin: 0.5,
  });
  return { analyser, events };
}

/** An event as [name, frame id], for comparing sequences. */
function nameAndFrame(event: SkyEvent): [string, string | undefined] {
  return [event.name, 'frameId' in event.payload ? event.payload.frameId : undefined];
}

const photo = (name: string, id: string, at = AT): CameraFrame => ({
  id,
  at,
  jpeg: readFileSync(ccsnPath(name)),
});

test('a frame with a bird gives sky.observed then bird.seen, at the frame time', async () => {
  const { analyser, events } = setUp();

  await analyser.analyse(photo('Ac/Ac-N214', 'f1'));

  assert.deepEqual(
    events.map((e) => e.name),
    ['sky.observed', 'bird.seen'],
  );
  const [sky, bird] = events;
  assert.ok(sky?.name === 'sky.observed' && bird?.name === 'bird.seen');
  assert.equal(sky.payload.at, AT);
  assert.equal(sky.payload.frameId, 'f1');
  assert.ok(sky.payload.coverFraction >= 0 && sky.payload.coverFraction <= 1);
  assert.ok(sky.payload.brightness > 0.3 && sky.payload.brightness < 1);
  assert.equal(bird.payload.frameId, 'f1');
  assert.equal(bird.payload.count, 1);
  assert.equal(bird.payload.detections.length, 1);
});

test('an overcast frame without birds gives only sky.observed, with high cover', async () => {
  const { analyser, events } = setUp();

  await analyser.analyse(photo('St/St-N001', 'f2'));

  assert.equal(events.length, 1);
  const [sky] = events;
  assert.ok(sky?.name === 'sky.observed');
  assert.ok(sky.payload.coverFraction > 0.7, String(sky.payload.coverFraction));
});

test('corrupt and truncated frames are rejected with a reason; the next is analysed', async () => {
  const sink: string[] = [];
  const log = pino(
    { level: 'warn' },
    new Writable({
      write(chunk, _encoding, done) {
        sink.push(String(chunk));
        done();
      },
    }),
  );
  const { analyser, events } = setUp({ log });
  const good = readFileSync(ccsnPath('St/St-N001'));
  const randomBytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 131 + 7) % 256));

  await analyser.analyse({ id: 'random', at: AT, jpeg: randomBytes });
  await analyser.analyse({ id: 'half', at: AT + 1000, jpeg: good.subarray(0, good.length >> 1) });
  await analyser.analyse({ id: 'after', at: AT + 2000, jpeg: good });

  assert.deepEqual(
    events.map(nameAndFrame),
    [
      ['frame.rejected', 'random'],
      ['frame.rejected', 'half'],
      ['sky.observed', 'after'],
    ],
  );
  const [random, half] = events;
  assert.ok(random?.name === 'frame.rejected' && half?.name === 'frame.rejected');
  assert.match(random.payload.reason, /^corrupt image: .*unsupported image format/);
  assert.match(half.payload.reason, /^corrupt image: .*premature end of JPEG/);
  assert.equal(half.payload.at, AT + 1000);

  const warnings = sink.map((line) => JSON.parse(line) as { level: number; frameId: string });
  assert.deepEqual(
    warnings.map((w) => [w.level, w.frameId]),
    [
      [40, 'random'],
      [40, 'half'],
    ],
  );
});

test('a detector failure rejects the frame and the analyser carries on', async () => {
  let failNext = true;
  const flaky: FrameDetector = {
    async detect(rgb, width, height) {
      if (failNext) {
        failNext = false;
        throw new Error('inference exploded');
      }
      return detector.detect(rgb, width, height);
    },
  };
  const { analyser, events } = setUp({ detector: flaky });

  await analyser.analyse(photo('Ac/Ac-N214', 'bad'));
  await analyser.analyse(photo('Ac/Ac-N214', 'good'));

  assert.deepEqual(
    events.map(nameAndFrame),
    [
      ['frame.rejected', 'bad'],
      ['sky.observed', 'good'],
      ['bird.seen', 'good'],
    ],
  );
  const [rejected] = events;
  assert.ok(rejected?.name === 'frame.rejected');
  assert.equal(rejected.payload.reason, 'detector failed: inference exploded');
});

test('a frame too dark to see the sky is rejected without running the detector', async () => {
  let calls = 0;
  const counting: FrameDetector = {
    async detect() {
      calls++;
      return [];
    },
  };
  const { analyser, events } = setUp({ detector: counting });
  const create = { width: 320, height: 240, channels: 3, background: '#030303' } as const;
  const night = await sharp({ create }).jpeg().toBuffer();

  await analyser.analyse({ id: 'night', at: AT, jpeg: night });

  assert.equal(calls, 0);
  const [rejected] = events;
  assert.ok(rejected?.name === 'frame.rejected');
  assert.match(rejected.payload.reason, /^too dark to measure the sky \(0% usable pixels\)$/);
});
