/**
 * Day-level measures of an offline render (issue 5): the Bruges day's integrated loudness
 * against the configured target, no stem started again within its repeat window, and every
 * flock answered by an accent within 2 s of audio.
 * The Bruges day has no flock (its bird photographs show one bird each), so the flock
 * measure runs on the golden flock-noon day (tools/golden-days.ts) as well.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderDay } from '../../src/app/render.js';
import type { LoggedEvent } from '../../src/app/event-log.js';
import { integratedLoudness } from '../../src/audio/loudness.js';
import { decodeWithFfmpeg } from '../../src/audio/measure.js';
import { loadStemLibrary } from '../../src/audio/stem-library.js';
import type { PlanEntry } from '../../src/composer/composer.js';
import { loadScore } from '../../src/composer/score-load.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { Timeline } from '../../src/time/timeline.js';
import { brugesAt, GOLDEN_SCENARIOS } from '../../tools/golden-days.js';
import { renderGolden } from '../../tools/golden.js';
import { buildBrugesDay } from '../../tools/make-test-days.js';
import { REPO_DIR, SHARED_DIR } from '../support/paths.js';

/** As test/app/render-day.test.ts: the day in three minutes. */
const SPEED = 480;
const RATE = 48_000;
/** Audio seconds within which a flock must be answered. */
const ANSWER_WITHIN_S = 2;

const config = loadConfig({
  sets: [`vision.modelDir=${join(SHARED_DIR, 'models')}`, `audio.stemsDir=${join(REPO_DIR, 'samples/stems')}`],
});

interface Rendered {
  timeline: Timeline;
  events: LoggedEvent[];
  plan: PlanEntry[];
}

let outDir: string;
let dayLoudness: number;
let bruges: Rendered;
let flockDay: Rendered;

before(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'skychoir-measures-'));
  const dayDir = await buildBrugesDay(outDir);
  const path = join(outDir, 'bruges.ogg');
  await renderDay({ config, dayDir, outPath: path, speed: SPEED, logPath: `${path}.json`, log: silentLogger() });
  const audio = await decodeWithFfmpeg(path);
  dayLoudness = integratedLoudness([audio.left, audio.right], RATE);
  const log = JSON.parse(await readFile(`${path}.json`, 'utf8')) as { day: { startAt: string }; events: LoggedEvent[]; plan: PlanEntry[] };
  bruges = { timeline: new Timeline(Date.parse(log.day.startAt), SPEED, RATE), events: log.events, plan: log.plan };

  const scenario = GOLDEN_SCENARIOS.find((each) => each.name === 'flock-noon')!;
  const golden = await renderGolden(scenario, outDir);
  flockDay = { timeline: new Timeline(brugesAt(scenario.from), scenario.speed, RATE), events: golden.events, plan: golden.plan };
});

after(() => rm(outDir, { recursive: true, force: true }));

/** Birds an event reports: a flock's size or a sighting's count (0 for other events). */
function birdsIn(event: LoggedEvent): number {
  if (event.name === 'flock.started') return (event.payload as { size: number }).size;
  if (event.name === 'bird.seen') return (event.payload as { count: number }).count;
  return 0;
}

/**
 * Every flock event (flock.started, or bird.seen of 3 or more) with no accent starting
 * within {@link ANSWER_WITHIN_S} of audio after the event's own frame. The render log gives
 * each event's sky instant; the timeline maps it to the audio frame it sounds at.
 */
function flocksAndAnswers({ timeline, events, plan }: Rendered): Array<{ event: string; frame: number; answerS: number | null }> {
  const accents = plan.filter((entry) => entry.layer === 'fine' && entry.action === 'start');
  return events
    .filter((event) => birdsIn(event) >= 3)
    .map((event) => {
      const frame = timeline.frameAt(Date.parse(event.at));
      const answer = accents.find((accent) => accent.frame >= frame && accent.frame - frame <= ANSWER_WITHIN_S * RATE);
      return { event: `${event.name} of ${birdsIn(event)} at ${event.at}`, frame, answerS: answer ? (answer.frame - frame) / RATE : null };
    });
}

test(`the rendered Bruges day's integrated loudness is within 1 LU of audio.targetLufs (${config.audio.targetLufs} LUFS)`, (t) => {
  t.diagnostic(`integrated loudness ${dayLoudness.toFixed(2)} LUFS`);
  assert.ok(
    Math.abs(dayLoudness - config.audio.targetLufs) <= 1,
    `${dayLoudness.toFixed(2)} LUFS, ${(dayLoudness - config.audio.targetLufs).toFixed(2)} LU from the target`,
  );
});

test('the Bruges day has no flock: its three bird photographs give sightings of one bird each', () => {
  const sightings = bruges.events.filter((event) => event.name === 'bird.seen').map(birdsIn);
  assert.deepEqual(sightings, [1, 1, 1]);
  assert.deepEqual(flocksAndAnswers(bruges), []);
});

test(`each flock is answered by an accent within ${ANSWER_WITHIN_S} s of audio (the golden flock-noon day, since Bruges has none)`, (t) => {
  const flocks = flocksAndAnswers(flockDay);
  for (const { event, answerS } of flocks) t.diagnostic(`${event}: accent after ${answerS?.toFixed(3) ?? 'none'} s`);
  assert.ok(flocks.length >= 1, 'the flock-noon day gave no flock event');
  for (const { event, answerS } of flocks) assert.ok(answerS !== null, `${event}: no accent within ${ANSWER_WITHIN_S} s`);
});

/** The repeat window (audio seconds) of the rule a plan entry's reason names. */
function windowFor(entry: PlanEntry, windows: Map<string, number>): number {
  const label = /by ((?:coarse|middle|fine) rule \d+ \("[^"]*"\))/.exec(entry.reason)?.[1];
  const window = label === undefined ? undefined : windows.get(label);
  assert.ok(window !== undefined, `no rule named in "${entry.reason}"`);
  return window;
}

test("no stem starts again in its layer within its rule's repeat window, unless the plan says no other stem fitted", async (t) => {
  const score = loadScore(config.composer.scorePath);
  const windows = new Map(Object.values(score.layers).flatMap((layer) => layer.rules.map((rule) => [rule.label, rule.repeatWindowS] as const)));
  assert.ok([...windows.values()].some((window) => window > 0), 'the shipped score sets no repeat window');
  const stems = await loadStemLibrary(join(REPO_DIR, 'samples/stems'), silentLogger());

  // When each stem last fell silent in each layer: a loop at its stop, a one-shot at its end.
  const silentFrom = new Map<string, number>();
  let returns = 0;
  for (const entry of bruges.plan) {
    const key = `${entry.layer}/${entry.stemId}`;
    if (entry.action === 'stop') {
      silentFrom.set(key, entry.frame);
      continue;
    }

    const since = silentFrom.get(key);
    if (since !== undefined) {
      returns++;
      const windowS = windowFor(entry, windows);
      const gapS = (entry.frame - since) / RATE;
      t.diagnostic(`${key} again after ${gapS.toFixed(1)} s (window ${windowS} s)`);
      if (gapS < windowS) assert.match(entry.reason, /again within/, `${key} started ${gapS.toFixed(1)} s after it stopped, inside its ${windowS} s window: ${entry.reason}`);
    }
    if (entry.layer === 'fine') silentFrom.set(key, entry.frame + stems.get(entry.stemId)!.durationFrames);
  }
  assert.ok(returns >= 1, 'no stem came back in the day: the measure would hold by default');
});
