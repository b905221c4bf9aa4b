import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Detection } from '../../src/bus/events.js';
import { BirdTracker, type TrackedFrame, type TrackerEvent } from '../../src/vision/tracker.js';

const SECOND = 1_000;
const START = Date.UTC(2025, 5, 1, 6, 0, 0);

function bird(x: number, y: number, label = 'bird'): Detection {
  return { label, classId: label === 'aeroplane' ? 4 : 14, score: 0.7, box: { x: x - 0.01, y: y - 0.01, width: 0.02, height: 0.02 } };
}

/** `count` birds in a loose cluster (0.04 apart) centred near (`x`, `y`). */
function flockAt(x: number, y: number, count: number): Detection[] {
  return Array.from({ length: count }, (_, index) => bird(x + 0.04 * (index % 3) - 0.04, y + 0.04 * Math.floor(index / 3)));
}

function frame(second: number, birds: Detection[] = [], aircraft: Detection[] = []): TrackedFrame {
  return { at: START + second * SECOND, frameId: `frame-${second}`, birds, aircraft };
}

function run(frames: TrackedFrame[], tracker = new BirdTracker()): TrackerEvent[] {
  return frames.flatMap((each) => tracker.observe(each));
}

function named<Name extends TrackerEvent['name']>(events: TrackerEvent[], name: Name) {
  return events.filter((event): event is Extract<TrackerEvent, { name: Name }> => event.name === name);
}

test('a lone bird crossing the frame is told once, and again after it has been gone a while', () => {
  const crossing = (from: number) => [0, 1, 2, 3, 4].map((step) => frame(from + step, [bird(0.1 + 0.08 * step, 0.3)]));
  const quiet = [5, 10, 15].map((second) => frame(second));

  const events = run([...crossing(0), ...quiet, ...crossing(20)]);

  const seen = named(events, 'bird.seen');
  assert.deepEqual(seen.map((event) => event.payload.at), [START, START + 20 * SECOND]);
  assert.equal(seen[0]!.payload.count, 1);
  assert.equal(events.length, 2);
});

test('a flock crossing the frame starts once, updates now and then, and ends once', () => {
  const crossing = Array.from({ length: 10 }, (_, step) => frame(step, flockAt(0.2 + 0.06 * step, 0.4, 5)));
  const empty = Array.from({ length: 6 }, (_, step) => frame(10 + step));

  const events = run([frame(-1), ...crossing, ...empty]);

  const started = named(events, 'flock.started');
  assert.equal(started.length, 1);
  assert.equal(started[0]!.payload.frameId, 'frame-1');
  assert.equal(started[0]!.payload.size, 5);
  assert.ok(Math.abs(started[0]!.payload.headingDeg! - 0) < 1);
  assert.ok(Math.abs(started[0]!.payload.speed! - 0.06) < 1e-6);

  const updated = named(events, 'flock.updated');
  assert.ok(updated.length >= 2 && updated.length <= 4, `${updated.length} updates`);
  for (const [index, update] of updated.entries()) {
    const previousAt = index === 0 ? started[0]!.payload.at : updated[index - 1]!.payload.at;
    assert.ok(update.payload.at - previousAt >= 2 * SECOND);
    assert.equal(update.payload.flockId, started[0]!.payload.flockId);
  }

  const ended = named(events, 'flock.ended');
  assert.equal(ended.length, 1);
  assert.deepEqual(ended[0]!.payload, {
    at: START + 9 * SECOND + 4 * SECOND,
    flockId: started[0]!.payload.flockId,
    durationMs: 9 * SECOND,
    peakSize: 5,
  });
  assert.equal(named(events, 'bird.seen').length, 0);
});

test('heading is clockwise from +x: a flock going right and down heads 45 degrees, up 270', () => {
  const heading = (dx: number, dy: number) => {
    const frames = [0, 1].map((step) => frame(step, flockAt(0.5 + dx * step, 0.5 + dy * step, 4)));
    return named(run([frame(-1), ...frames]), 'flock.started')[0]!.payload.headingDeg!;
  };

  assert.ok(Math.abs(heading(0.05, 0.05) - 45) < 1e-6);
  assert.ok(Math.abs(heading(0, -0.05) - 270) < 1e-6);
});

test('missed detections for two frames neither end nor restart a flock, nor make lone birds', () => {
  const sizes = [5, 5, 5, 1, 0, 5, 4, 5];
  const frames = sizes.map((size, step) => frame(step, flockAt(0.3 + 0.03 * step, 0.5, size)));

  const events = run(frames);

  assert.equal(named(events, 'flock.started').length, 1);
  assert.equal(named(events, 'flock.ended').length, 0);
  assert.equal(named(events, 'bird.seen').length, 0);
  for (const update of named(events, 'flock.updated')) assert.ok(update.payload.size >= 4);
});

test('a group seen in only one of several close frames is not a flock', () => {
  const events = run([frame(0), frame(1, flockAt(0.5, 0.5, 4)), frame(2), frame(3), frame(8)]);

  assert.deepEqual(events, []);
});

test('the first frame the tracker sees stands alone: a flock in it starts at once, without heading', () => {
  const started = named(run([frame(0, flockAt(0.5, 0.5, 3))]), 'flock.started');

  assert.equal(started.length, 1);
  assert.equal(started[0]!.payload.headingDeg, null);
  assert.equal(started[0]!.payload.speed, null);
});

test('a flock that stays in place is not updated and has no heading; a size change is told once', () => {
  const sizes = [6, 6, 6, 6, 6, 3, 3, 3, 3, 3, 3];
  const events = run(sizes.map((size, step) => frame(step, flockAt(0.5, 0.5, size))));

  const updated = named(events, 'flock.updated');
  assert.equal(updated[0]?.payload.headingDeg, null);
  assert.equal(updated.length, 1, JSON.stringify(updated));
  assert.equal(updated[0]!.payload.size, 3);
});

test('two flocks far apart are two flocks with their own ids', () => {
  const frames = [0, 1, 2].map((step) => frame(step, [...flockAt(0.15, 0.15, 3), ...flockAt(0.8, 0.8, 4)]));

  const started = named(run(frames), 'flock.started');

  assert.equal(started.length, 2);
  assert.notEqual(started[0]!.payload.flockId, started[1]!.payload.flockId);
  assert.deepEqual(started.map((event) => event.payload.size).sort(), [3, 4]);
});

test('an aircraft is told once per appearance, apart from birds', () => {
  const plane = (step: number) => [bird(0.1 + 0.05 * step, 0.2, 'aeroplane')];
  const frames = [0, 1, 2, 3].map((step) => frame(step, [], plane(step)));

  const events = run([...frames, frame(60, [], plane(0))]);

  const seen = named(events, 'aircraft.seen');
  assert.deepEqual(seen.map((event) => event.payload.frameId), ['frame-0', 'frame-60']);
  assert.equal(events.length, 2);
});

test('sparse frames are independent: a lone bird each time, a flock started and ended at once', () => {
  const minutes = (count: number) => count * 60;
  const events = run([
    frame(minutes(0), [bird(0.5, 0.5)]),
    frame(minutes(5), [bird(0.5, 0.5)]),
    frame(minutes(10), flockAt(0.4, 0.3, 6)),
    frame(minutes(15)),
  ]);

  assert.deepEqual(
    events.map((event) => event.name),
    ['bird.seen', 'bird.seen', 'flock.started', 'flock.ended'],
  );
  const ended = named(events, 'flock.ended')[0]!.payload;
  assert.equal(ended.at, START + minutes(10) * SECOND + 4 * SECOND);
  assert.equal(ended.durationMs, 0);
  assert.equal(ended.peakSize, 6);
});

test('advance ends a flock when the frames stop coming', () => {
  const tracker = new BirdTracker();
  run([0, 1, 2].map((step) => frame(step, flockAt(0.5, 0.5, 3))), tracker);

  assert.deepEqual(tracker.advance(START + 5 * SECOND), []);
  assert.deepEqual(named(tracker.advance(START + 6 * SECOND), 'flock.ended').length, 1);
  assert.deepEqual(tracker.advance(START + 60 * SECOND), []);
});

test('a frame older than the last one is ignored', () => {
  const tracker = new BirdTracker();
  run([frame(10, [bird(0.2, 0.2)])], tracker);

  assert.deepEqual(tracker.observe(frame(5, [bird(0.8, 0.8)])), []);
});
