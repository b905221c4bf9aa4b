/**
 * Fault suite, recorded days: index files out of order, with duplicate instants, instants
 * outside the window, broken or hostile lines and missing bodies; manifests that are wrong;
 * and the Europe/Berlin day with the repeated hour (case T4). Read by the real reader and
 * replayed by the real scheduler on a virtual clock: a bad line is named by file and line and
 * skipped, the rest replays complete, in time order, with no wait into the past.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DayFormatError, readDay, type DayProblem, type RecordedDay } from '../../src/days/reader.js';
import { scheduleDay } from '../../src/days/replay.js';
import { silentLogger } from '../../src/log.js';
import { VirtualClock, type Clock, type ClockTask } from '../../src/time/clock.js';
import { Timeline } from '../../src/time/timeline.js';
import { memoryLogger } from '../support/logs.js';
import { withTempDir } from './support.js';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
const BERLIN = { name: 'Berlin', latitude: 52.52, longitude: 13.4, timezone: 'Europe/Berlin' };
/** Berlin's autumn clock-change day, midnight to midnight local: 25 hours. */
const BERLIN_DAY = { format: 1, place: BERLIN, startAt: '2025-10-25T22:00:00Z', endAt: '2025-10-26T23:00:00Z', source: 'fault suite' };

type Line = string | Record<string, unknown>;

interface DayFiles {
  manifest?: unknown;
  weather?: Line[];
  frames?: Line[];
  /** Files named by lines that are not written; every other file a line names is. */
  missing?: string[];
}

const frame = (capturedAt: string, file: string) => ({ capturedAt, file });
const reply = (receivedAt: string, file: string, status = 200) =>
  ({ receivedAt, provider: 'open-meteo', status, contentType: 'application/json', file });

/** Writes a day folder: the manifest, the index files, and a file for each line that names one. */
async function writeDay(dir: string, day: DayFiles): Promise<void> {
  await mkdir(join(dir, 'frames'), { recursive: true });
  await mkdir(join(dir, 'weather'), { recursive: true });
  const manifest = day.manifest ?? BERLIN_DAY;
  await writeFile(join(dir, 'manifest.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));

  const text = (lines: Line[]) => lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n');
  if (day.weather) await writeFile(join(dir, 'weather.jsonl'), `${text(day.weather)}\n`);
  if (day.frames) await writeFile(join(dir, 'frames.jsonl'), `${text(day.frames)}\n`);

  for (const line of [...(day.weather ?? []), ...(day.frames ?? [])]) {
    const parsed = typeof line === 'string' ? parseOrNull(line.trim()) : line;
    const file = typeof parsed?.file === 'string' ? parsed.file : null;
    if (!file || file.includes('..') || day.missing?.includes(file)) continue;
    await writeFile(join(dir, file), file.startsWith('frames/') ? JPEG : `{"body":"${file}"}`);
  }
}

function parseOrNull(text: string): Record<string, unknown> | null {
  try {
    return JSON.parse(text) as Record<string, unknown> | null;
  } catch {
    return null;
  }
}

/** A virtual clock that notes how far ahead of now every task was scheduled. */
class WatchedClock implements Clock {
  readonly waitsMs: number[] = [];
  constructor(readonly inner: VirtualClock) {}
  now(): number {
    return this.inner.now();
  }
  schedule(atMs: number, task: ClockTask): () => void {
    this.waitsMs.push(atMs - this.inner.now());
    return this.inner.schedule(atMs, task);
  }
}

/** Replays a day to its end; what was handed over, as [kind, instant ISO, id or body file], and the waits. */
async function replay(day: RecordedDay): Promise<{ delivered: string[][]; waitsMs: number[]; clockAt: number[] }> {
  const clock = new WatchedClock(new VirtualClock(day.manifest.startAt));
  const delivered: string[][] = [];
  const clockAt: number[] = [];
  scheduleDay(day, clock, {
    onWeatherReply: async (reply) => {
      clockAt.push(clock.now());
      delivered.push(['weather', new Date(reply.receivedAt).toISOString(), reply.body]);
    },
    onFrame: async (frame) => {
      clockAt.push(clock.now());
      delivered.push(['frame', new Date(frame.at).toISOString(), frame.jpeg ? frame.id : `unreadable: ${frame.error}`]);
    },
  });
  await clock.inner.advanceTo(day.manifest.endAt);
  return { delivered, waitsMs: clock.waitsMs, clockAt };
}

interface IndexCase {
  name: string;
  day: DayFiles;
  /** Problems expected, as file:line and a pattern. */
  problems: Array<[where: string, problem: RegExp]>;
  /** What the replay hands over, in order. */
  replayed: string[][];
}

const at = (hhmm: string) => `2025-10-26T${hhmm}:00.000Z`;

const CASES: IndexCase[] = [
  {
    name: 'frames and replies out of order are replayed sorted',
    day: {
      weather: [reply(at('09:00'), 'weather/2.json'), reply(at('03:00'), 'weather/1.json')],
      frames: [frame(at('10:00'), 'frames/3.jpg'), frame(at('02:00'), 'frames/1.jpg'), frame(at('05:00'), 'frames/2.jpg')],
    },
    problems: [],
    replayed: [
      ['frame', at('02:00'), 'frames/1.jpg'], ['weather', at('03:00'), '{"body":"weather/1.json"}'], ['frame', at('05:00'), 'frames/2.jpg'],
      ['weather', at('09:00'), '{"body":"weather/2.json"}'], ['frame', at('10:00'), 'frames/3.jpg'],
    ],
  },
  {
    name: 'duplicate instants keep file order, weather before frames',
    day: {
      weather: [reply(at('04:00'), 'weather/b.json'), reply(at('04:00'), 'weather/a.json')],
      frames: [frame(at('04:00'), 'frames/b.jpg'), frame(at('04:00'), 'frames/a.jpg'), frame(at('04:00'), 'frames/a.jpg')],
    },
    problems: [],
    replayed: [
      ['weather', at('04:00'), '{"body":"weather/b.json"}'], ['weather', at('04:00'), '{"body":"weather/a.json"}'],
      ['frame', at('04:00'), 'frames/b.jpg'], ['frame', at('04:00'), 'frames/a.jpg'], ['frame', at('04:00'), 'frames/a.jpg'],
    ],
  },
  {
    name: 'instants outside the window are named by file and line and skipped',
    day: {
      weather: [reply('2025-10-25T21:59:59Z', 'weather/early.json'), reply(at('12:00'), 'weather/in.json')],
      frames: [frame(at('12:00'), 'frames/in.jpg'), frame('2025-10-26T23:00:01Z', 'frames/late.jpg'), frame('2030-01-01T00:00:00Z', 'frames/far.jpg')],
    },
    problems: [
      ['weather.jsonl:1', /2025-10-25T21:59:59\.000Z is outside the day's window/],
      ['frames.jsonl:2', /2025-10-26T23:00:01\.000Z is outside the day's window/],
      ['frames.jsonl:3', /2030-01-01T00:00:00\.000Z is outside/],
    ],
    replayed: [['weather', at('12:00'), '{"body":"weather/in.json"}'], ['frame', at('12:00'), 'frames/in.jpg']],
  },
  {
    name: 'a missing weather body and a missing frame are named with their line',
    day: {
      weather: [reply(at('01:00'), 'weather/gone.json'), reply(at('06:00'), 'weather/here.json')],
      frames: [frame(at('06:30'), 'frames/gone.jpg'), frame(at('07:00'), 'frames/here.jpg')],
      missing: ['weather/gone.json', 'frames/gone.jpg'],
    },
    problems: [['weather.jsonl:1', /cannot read weather\/gone\.json: ENOENT/], ['frames.jsonl:1', /cannot read frames\/gone\.jpg: ENOENT/]],
    replayed: [['weather', at('06:00'), '{"body":"weather/here.json"}'], ['frame', at('07:00'), 'frames/here.jpg']],
  },
  {
    name: 'broken and hostile lines are named by file and line, the rest replays',
    day: {
      weather: [
        '{"receivedAt": "2025-10-26T01:00:00Z", "provider": "open-meteo"',
        { ...reply(at('02:00'), 'weather/x.json'), status: '200' },
        { ...reply(at('03:00'), 'weather/x.json'), provider: 'met-office' },
        reply('2025-10-26T04:00:00+01:00', 'weather/x.json'),
        reply(at('05:00'), '../manifest.json'),
        reply(at('06:00'), 'weather/good.json'),
      ],
      frames: ['', 'null', '[1, 2]', { capturedAt: at('07:00') }, { ...frame(at('07:30'), 'frames/a.jpg'), extra: 1 }, frame(at('08:00'), 'frames/good.jpg')],
    },
    problems: [
      ['weather.jsonl:1', /^not JSON/],
      ['weather.jsonl:2', /^status: .*expected number/],
      ['weather.jsonl:3', /^provider: .*"open-meteo"/],
      ['weather.jsonl:4', /^receivedAt: .*datetime/],
      ['weather.jsonl:5', /^file: must be a path under weather\//],
      ['frames.jsonl:2', /^\(whole value\): expected object, received null/],
      ['frames.jsonl:3', /^\(whole value\): expected object, received array/],
      ['frames.jsonl:4', /^file: .*expected string/],
      ['frames.jsonl:5', /Unrecognized key: "extra"/],
    ],
    replayed: [['weather', at('06:00'), '{"body":"weather/good.json"}'], ['frame', at('08:00'), 'frames/good.jpg']],
  },
  {
    name: 'Windows line endings and a byte-order mark are read as plain lines',
    day: {
      weather: [`\ufeff${JSON.stringify(reply(at('03:00'), 'weather/w.json'))}\r`],
      frames: [`${JSON.stringify(frame(at('03:30'), 'frames/f.jpg'))}\r`],
    },
    problems: [],
    replayed: [['weather', at('03:00'), '{"body":"weather/w.json"}'], ['frame', at('03:30'), 'frames/f.jpg']],
  },
];

for (const fault of CASES) {
  test(`day fault: ${fault.name}`, async () => {
    await withTempDir(async (dir) => {
      await writeDay(dir, fault.day);
      const { log, lines } = memoryLogger('info');

      const day = await readDay(dir, log);

      const problems = day.problems.map((problem: DayProblem) => [`${problem.file}:${problem.line}`, problem.problem]);
      assert.equal(problems.length, fault.problems.length, JSON.stringify(problems));
      fault.problems.forEach(([where, pattern], i) => {
        assert.equal(problems[i]![0], where);
        assert.match(problems[i]![1]!, pattern);
      });
      const warned = lines.filter((line) => line.level === 40 && line.msg === 'recorded day: skipped');
      assert.equal(warned.length, fault.problems.length, 'each skipped line is a warning');

      const { delivered, waitsMs } = await replay(day);
      assert.deepEqual(delivered, fault.replayed);
      assert.ok(waitsMs.every((waitMs) => waitMs >= 0), `no wait into the past: ${waitsMs.join(', ')}`);
    });
  });
}

test('day fault T4: the Berlin day with its repeated hour lasts 25 hours and replays both 02:30s in order', async () => {
  await withTempDir(async (dir) => {
    const firstHalf = '2025-10-26T00:30:00Z';
    const secondHalf = '2025-10-26T01:30:00Z';
    await writeDay(dir, {
      weather: [reply(secondHalf, 'weather/second.json'), reply(firstHalf, 'weather/first.json')],
      frames: [frame(secondHalf, 'frames/second.jpg'), frame(firstHalf, 'frames/first.jpg'), frame('2025-10-26T22:59:00Z', 'frames/last.jpg')],
    });

    const day = await readDay(dir, silentLogger());
    const { delivered, waitsMs, clockAt } = await replay(day);

    const local = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' });
    assert.deepEqual([local(firstHalf), local(secondHalf)], ['02:30', '02:30'], 'both instants are 02:30 in Berlin');
    assert.deepEqual(delivered.map(([kind, instant]) => `${kind} ${instant}`), [
      `weather ${new Date(firstHalf).toISOString()}`, `frame ${new Date(firstHalf).toISOString()}`,
      `weather ${new Date(secondHalf).toISOString()}`, `frame ${new Date(secondHalf).toISOString()}`,
      'frame 2025-10-26T22:59:00.000Z',
    ]);
    assert.ok(clockAt.every((instant, i) => i === 0 || instant >= clockAt[i - 1]!), 'the clock never goes back');
    assert.ok(waitsMs.every((waitMs) => waitMs >= 0), `no negative wait: ${waitsMs.join(', ')}`);
    assert.equal(clockAt[2]! - clockAt[0]!, 3_600_000, 'an hour between the two 02:30s, no burst');

    const speed = 96;
    const timeline = new Timeline(day.manifest.startAt, speed, 48_000);
    const audioSeconds = timeline.frameAt(day.manifest.endAt) / 48_000;
    assert.equal(audioSeconds * speed, 25 * 3600, 'the replayed day lasts 25 sky hours');
  });
});

/** Manifests that cannot be used: a DayFormatError naming manifest.json and the field. */
const MANIFEST_FAULTS: Array<{ name: string; manifest: unknown; problem: RegExp }> = [
  { name: 'a time zone that does not exist', manifest: { ...BERLIN_DAY, place: { ...BERLIN, timezone: 'Europe/Atlantis' } }, problem: /place\.timezone: not an IANA time zone .*"Europe\/Atlantis"/ },
  { name: 'a UTC offset for a time zone', manifest: { ...BERLIN_DAY, place: { ...BERLIN, timezone: '+01:00' } }, problem: /place\.timezone: not an IANA time zone/ },
  { name: 'no time zone', manifest: { ...BERLIN_DAY, place: { ...BERLIN, timezone: undefined } }, problem: /place\.timezone: .*expected string/ },
  { name: 'a window given in local time', manifest: { ...BERLIN_DAY, startAt: '2025-10-26T00:00:00+02:00' }, problem: /startAt: .*datetime/ },
  { name: 'a window that ends before it starts', manifest: { ...BERLIN_DAY, endAt: '2025-10-25T21:00:00Z' }, problem: /endAt: endAt must be after startAt/ },
  { name: 'an unknown field', manifest: { ...BERLIN_DAY, timezone: 'Europe/Berlin' }, problem: /Unrecognized key: "timezone"/ },
  { name: 'a manifest that is not JSON', manifest: '{"format": 1,', problem: /not JSON/ },
];

for (const fault of MANIFEST_FAULTS) {
  test(`day manifest fault: ${fault.name}`, async () => {
    await withTempDir(async (dir) => {
      await writeDay(dir, { manifest: fault.manifest, frames: [frame(at('03:00'), 'frames/f.jpg')] });

      await assert.rejects(readDay(dir, silentLogger()), (error: unknown) => {
        assert.ok(error instanceof DayFormatError, String(error));
        assert.equal(error.file, join(dir, 'manifest.json'));
        assert.match(error.message, /^recorded day: .*manifest\.json: /);
        assert.match(error.problem, fault.problem);
        return true;
      });
    });
  });
}
