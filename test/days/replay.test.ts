import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/log.js';
import { readDay } from '../../src/days/reader.js';
import { DayRecorder } from '../../src/days/recorder.js';
import {
  scheduleDay,
  type ReplayedFrame,
  type ReplayedWeatherReply,
} from '../../src/days/replay.js';
import { VirtualClock } from '../../src/time/clock.js';
import { buildTinyDay } from '../../tools/make-test-days.js';

async function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'skychoir-replay-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type Delivered =
  | { kind: 'weather'; nowMs: number; reply: ReplayedWeatherReply }
  | { kind: 'frame'; nowMs: number; frame: ReplayedFrame };

function recordingHandlers(clock: VirtualClock, delivered: Delivered[]) {
  return {
    onWeatherReply: async (reply: ReplayedWeatherReply) => {
      delivered.push({ kind: 'weather', nowMs: clock.now(), reply });
    },
    onFrame: async (frame: ReplayedFrame) => {
      delivered.push({ kind: 'frame', nowMs: clock.now(), frame });
    },
  };
}

test('a replayed day hands each item over at its own instant, weather first', async () => {
  await withTempDir(async (outDir) => {
    const day = await readDay(await buildTinyDay(outDir), silentLogger());
    const clock = new VirtualClock(day.manifest.startAt);
    const delivered: Delivered[] = [];

    scheduleDay(day, clock, recordingHandlers(clock, delivered));
    assert.equal(clock.pendingCount, 1, 'one item pending at a time');
    await clock.advanceTo(day.manifest.endAt);

    assert.equal(delivered.length, 25);
    const first = delivered[0]!;
    const second = delivered[1]!;
    assert.equal(first.kind, 'weather');
    assert.equal(first.nowMs, day.manifest.startAt);
    if (first.kind === 'weather') {
      assert.equal(first.reply.status, 200);
      assert.equal(first.reply.provider, 'open-meteo');
      assert.match(first.reply.body, /"weathercode":\[1,1,1/);
    }
    assert.equal(second.kind, 'frame');
    assert.equal(second.nowMs, day.manifest.startAt, 'the first frame shares the start instant');

    const frames = delivered.flatMap((item) => (item.kind === 'frame' ? [item] : []));
    frames.forEach((item, i) => {
      assert.equal(item.nowMs, day.manifest.startAt + i * 300_000);
      assert.equal(item.frame.at, item.nowMs);
      assert.deepEqual([...(item.frame.jpeg ?? Buffer.alloc(0)).subarray(0, 2)], [0xff, 0xd8]);
    });
    assert.equal(clock.pendingCount, 0);
  });
});

test('a frame file that cannot be read is handed over without bytes, with the reason', async () => {
  await withTempDir(async (outDir) => {
    const dayDir = await buildTinyDay(outDir);
    const day = await readDay(dayDir, silentLogger());
    await rm(join(dayDir, day.frames[3]!.file));
    const clock = new VirtualClock(day.manifest.startAt);
    const delivered: Delivered[] = [];

    scheduleDay(day, clock, recordingHandlers(clock, delivered));
    await clock.advanceTo(day.manifest.endAt);

    const frames = delivered.flatMap((item) => (item.kind === 'frame' ? [item.frame] : []));
    assert.equal(frames.length, 24, 'the replay went on');
    assert.equal(frames[3]!.jpeg, null);
    assert.match(frames[3]!.error ?? '', /cannot read frames\/000004\.jpg/);
    assert.ok(frames.every((frame, i) => i === 3 || frame.jpeg !== null));
  });
});

test('a day across the autumn clock change replays its repeated hour in order (T4)', async () => {
  await withTempDir(async (dir) => {
    const recorder = await DayRecorder.create(dir, {
      format: 1,
      place: { name: 'Berlin', latitude: 52.52, longitude: 13.4, timezone: 'Europe/Berlin' },
      startAt: Date.parse('2025-10-25T22:00:00Z'),
      endAt: Date.parse('2025-10-26T23:00:00Z'),
      source: 'test',
    });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
    await recorder.addFrame({ capturedAt: Date.parse('2025-10-26T01:30:00Z'), jpeg });
    await recorder.addFrame({ capturedAt: Date.parse('2025-10-26T00:30:00Z'), jpeg });
    await recorder.close();
    const day = await readDay(dir, silentLogger());
    const clock = new VirtualClock(day.manifest.startAt);
    const seenAt: number[] = [];

    scheduleDay(day, clock, {
      onWeatherReply: async () => {},
      onFrame: async () => {
        seenAt.push(clock.now());
      },
    });
    await clock.advanceTo(day.manifest.endAt);

    const bothAt0230Local = ['2025-10-26T00:30:00Z', '2025-10-26T01:30:00Z'].map(Date.parse);
    assert.deepEqual(seenAt, bothAt0230Local);
    assert.equal(day.manifest.endAt - day.manifest.startAt, 25 * 3_600_000);
  });
});

test('a handler that throws does not stop the replay; cancelling stops what is left', async () => {
  await withTempDir(async (outDir) => {
    const day = await readDay(await buildTinyDay(outDir), silentLogger());
    const errors: unknown[] = [];
    const clock = new VirtualClock(day.manifest.startAt, (error) => errors.push(error));
    let frames = 0;

    const cancel = scheduleDay(day, clock, {
      onWeatherReply: async () => {
        throw new Error('weather stage broke');
      },
      onFrame: async () => {
        frames++;
      },
    });
    await clock.advanceTo(day.manifest.startAt + 30 * 60_000);
    cancel();
    await clock.advanceTo(day.manifest.endAt);

    assert.equal(errors.length, 1);
    assert.equal(frames, 7, 'frames from 17:00 to 17:30 inclusive, then nothing');
    assert.equal(clock.pendingCount, 0);
  });
});
