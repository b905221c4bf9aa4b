import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { parseScore } from '../../src/composer/score-load.js';
import { ReverbPlan, wantedReverbLevel, type ReverbSettings } from '../../src/composer/reverb-plan.js';
import { WorldState } from '../../src/composer/world.js';
import { observation, RATE, scoreOf, setUp, START } from './score-support.js';

const SETTINGS: ReverbSettings = { base: 0.2, humidityFrom: 80, humidityTo: 100, humidityAdds: 0.4, fogAdds: 0.3, max: 0.7, rampS: 10 };

function world(humidity: number | null, foggy = false): WorldState {
  const state = new WorldState();
  state.humidityPercent = humidity;
  state.foggy = foggy;
  return state;
}

test('the wet level grows with humidity past its threshold and with fog, up to its maximum', () => {
  assert.equal(wantedReverbLevel(SETTINGS, world(null)), 0.2);
  assert.equal(wantedReverbLevel(SETTINGS, world(60)), 0.2);
  assert.ok(Math.abs(wantedReverbLevel(SETTINGS, world(90)) - 0.4) < 1e-12);
  assert.ok(Math.abs(wantedReverbLevel(SETTINGS, world(100)) - 0.6) < 1e-12);
  assert.equal(wantedReverbLevel(SETTINGS, world(100, true)), 0.7);
});

test('a change of wet level is a ramp from where the level is, and small changes start none', () => {
  const plan = new ReverbPlan(SETTINGS, RATE);
  plan.follow(world(90), 5 * RATE);
  const ramp = plan.pointsFrom(0);
  assert.deepEqual(ramp.map((point) => point.frame), [0, 5 * RATE, 15 * RATE]);
  assert.deepEqual(ramp.map((point) => Math.round(point.gain * 1e9) / 1e9), [0.2, 0.2, 0.4]);

  // Halfway up the ramp the air dries again: the new ramp starts from the level reached.
  plan.follow(world(60), 10 * RATE);
  const points = plan.pointsFrom(10 * RATE);
  assert.equal(points[0]!.frame, 10 * RATE);
  assert.ok(Math.abs(points[0]!.gain - 0.3) < 1e-9, `from ${points[0]!.gain}`);
  assert.deepEqual(points[1], { frame: 20 * RATE, gain: 0.2 });

  plan.follow(world(80.2), 30 * RATE);
  assert.equal(plan.pointsFrom(30 * RATE).length, 1, 'a 0.004 change starts no ramp');
});

test('without a reverb section the plan stays dry', () => {
  const plan = new ReverbPlan(null, RATE);
  plan.follow(world(100, true), RATE);
  assert.deepEqual(plan.pointsFrom(0), [{ frame: 0, gain: 0 }]);
});

test('the composer follows humidity and fog from the bus into the reverb plan', async () => {
  const base = scoreOf({});
  const score = { ...base, reverb: SETTINGS };
  const { bus, composer } = setUp(score, []);

  await bus.publish('weather.observed', observation(0, { humidity: 70 }));
  assert.equal(composer.reverb.level, 0.2);
  await bus.publish('weather.observed', observation(60, { humidity: 100 }));
  assert.ok(Math.abs(composer.reverb.level - 0.6) < 1e-12);
  await bus.publish('fog.formed', { at: START + 120_000, visibilityM: 200, wmoCode: 45 });
  assert.equal(composer.reverb.level, 0.7);

  const points = composer.reverb.pointsFrom(0);
  assert.ok(points.every((point, index) => index === 0 || point.frame >= points[index - 1]!.frame), 'points in frame order');
  assert.equal(points.at(-1)!.frame, 130 * RATE, 'the fog ramp ends rampS after the fog');
});

test('a score with a bad reverb section names it', () => {
  const text = `coarse:\n  defaults: { gain: 0.5, fadeS: 1, maxVoices: 1, minHoldS: 0, repeatWindowS: 0 }\n  rules: []\nmiddle:\n  defaults: { gain: 0.5, fadeS: 1, maxVoices: 1, minHoldS: 0, repeatWindowS: 0 }\n  rules: []\nfine:\n  defaults: { gain: 0.5, fadeS: 1, maxVoices: 1, minHoldS: 0, repeatWindowS: 0 }\n  rules: []\nreverb: { base: 0.2, humidityFrom: 90, humidityTo: 80, humidityAdds: 0.1, fogAdds: 0.1, max: 0.5, rampS: 5 }\n`;
  assert.throws(() => parseScore(text, 'wet.yaml'), (error: Error) => /wet\.yaml:10: reverb: humidityTo must be above humidityFrom/.test(error.message));
});

test('the shipped score has a reverb section', () => {
  const score = parseScore(readFileSync('config/score.yaml', 'utf8'), 'config/score.yaml');
  assert.ok(score.reverb && score.reverb.base > 0);
});
