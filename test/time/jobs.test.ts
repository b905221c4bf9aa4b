import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { SystemClock, VirtualClock, type Clock } from '../../src/time/clock.js';
import { dailyInstant, localDateOf, scheduleDaily, scheduleEvery } from '../../src/time/jobs.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const iso = (ms: number) => new Date(ms).toISOString();

/** Runs `body` with the process in another zone, as case T1 asks; the jobs must not care. */
async function inZone(zone: string, body: () => Promise<void>): Promise<void> {
  const saved = process.env.TZ;
  process.env.TZ = zone;
  try {
    await body();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

/** Fake time for the live clock: node:test's mock timers, advanced a minute at a time. */
async function withMockedTime(startMs: number, body: (advance: (ms: number) => Promise<void>) => Promise<void>) {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: startMs });
  try {
    await body(async (ms) => {
      for (let step = 0; step < ms; step += MINUTE_MS) {
        mock.timers.tick(MINUTE_MS);
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
  } finally {
    mock.timers.reset();
  }
}

// 2024-04-07 01:00 AEDT; clocks go back from 03:00 AEDT to 02:00 AEST at 16:00Z.
const MELBOURNE_START = Date.parse('2024-04-06T14:00:00Z');
const MELBOURNE_EXPECTED = ['14:30', '15:00', '15:30', '16:00', '16:30', '17:00'].map((hhmm) => `2024-04-06T${hhmm}:00.000Z`);

test('T1: every 30 minutes across Melbourne\'s repeated hour runs 6 times at 6 instants (live clock, fake time)', async () => {
  await inZone('Australia/Melbourne', () =>
    withMockedTime(MELBOURNE_START, async (advance) => {
      const runs: number[] = [];
      const cancel = scheduleEvery(new SystemClock(), 30 * MINUTE_MS, () => void runs.push(Date.now()));
      await advance(3 * HOUR_MS);
      cancel();
      assert.deepEqual(runs.map(iso), MELBOURNE_EXPECTED);
    }),
  );
});

test('T1: every 30 minutes across Melbourne\'s repeated hour runs 6 times at 6 instants (virtual clock)', async () => {
  await inZone('Australia/Melbourne', async () => {
    const clock = new VirtualClock(MELBOURNE_START);
    const runs: number[] = [];
    const cancel = scheduleEvery(clock, 30 * MINUTE_MS, () => void runs.push(clock.now()));
    await clock.advanceTo(MELBOURNE_START + 3 * HOUR_MS);
    cancel();
    assert.deepEqual(runs.map(iso), MELBOURNE_EXPECTED);
  });
});

/** Runs of a daily 02:30 Europe/Berlin job while `advance` moves the clock on `days` days. */
async function dailyRuns(clock: Clock, days: number, advance: (ms: number) => Promise<void>): Promise<number[]> {
  const runs: number[] = [];
  const cancel = scheduleDaily(clock, { hour: 2, minute: 30, timeZone: 'Europe/Berlin' }, () => void runs.push(clock.now()));
  await advance(days * 24 * HOUR_MS);
  cancel();
  return runs;
}

test('T1: a daily job at 02:30 Berlin runs once on the night 02:30 does not exist, at 03:00', async () => {
  const start = Date.parse('2025-03-28T12:00:00Z');
  const clock = new VirtualClock(start);
  const runs = await dailyRuns(clock, 3, (ms) => clock.advanceTo(start + ms));
  assert.deepEqual(runs.map(iso), [
    '2025-03-29T01:30:00.000Z', // 02:30 CET
    '2025-03-30T01:00:00.000Z', // 03:00 CEST: the clocks jumped past 02:30
    '2025-03-31T00:30:00.000Z', // 02:30 CEST
  ]);
});

test('T1: a daily job at 02:30 Berlin runs once on the night 02:30 happens twice, at the first', async () => {
  await inZone('Australia/Melbourne', () =>
    withMockedTime(Date.parse('2025-10-24T12:00:00Z'), async (advance) => {
      const clock = new SystemClock();
      const runs = await dailyRuns(clock, 3, advance);
      assert.deepEqual(runs.map(iso), [
        '2025-10-25T00:30:00.000Z', // 02:30 CEST
        '2025-10-26T00:30:00.000Z', // 02:30 CEST, the first of two
        '2025-10-27T01:30:00.000Z', // 02:30 CET
      ]);
    }),
  );
});

test('dailyInstant reads local dates in the zone, not the process', () => {
  assert.deepEqual(localDateOf(Date.parse('2025-10-25T22:30:00Z'), 'Europe/Berlin'), { year: 2025, month: 10, day: 26 });
  assert.equal(
    iso(dailyInstant({ year: 2024, month: 4, day: 7 }, { hour: 2, minute: 30, timeZone: 'Australia/Melbourne' })),
    '2024-04-06T15:30:00.000Z', // 02:30 AEDT, the first of two
  );
  assert.throws(() => scheduleDaily(new VirtualClock(0), { hour: 24, minute: 0, timeZone: 'UTC' }, () => {}), /hour 0..23/);
  assert.throws(() => scheduleDaily(new VirtualClock(0), { hour: 1, minute: 0, timeZone: 'Mars/Olympus' }, () => {}), /IANA/);
});
