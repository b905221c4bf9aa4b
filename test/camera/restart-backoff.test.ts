import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { RestartBackoff } from '../../src/camera/backoff.js';
import type { CameraChild, SpawnCamera } from '../../src/camera/ffmpeg-run.js';
import { FfmpegFrameSource } from '../../src/camera/ffmpeg-source.js';
import { detectFfmpegVersion } from '../../src/camera/ffmpeg-version.js';
import type { CameraLinkStatus } from '../../src/camera/link-status.js';
import { VirtualClock } from '../../src/time/clock.js';
import { memoryLogger } from '../support/logs.js';

/** A stand-in ffmpeg: the test writes its output and decides whether SIGTERM ends it. */
class FakeFfmpeg extends EventEmitter implements CameraChild {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly signals: NodeJS.Signals[] = [];
  closed = false;

  constructor(readonly pid: number, private readonly ignoresSigterm: boolean) {
    super();
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    this.signals.push(signal);
    if (signal === 'SIGKILL' || !this.ignoresSigterm) this.exit(null, signal);
    return true;
  }

  sendFrame(width: number, height: number): void {
    this.stderr.write(`Output #0, rawvideo, to 'pipe:1':\n  Stream #0:0: Video: rawvideo (RGB[24]), rgb24, ${width}x${height}, 1 fps\n`);
    this.stdout.write(Buffer.alloc(width * height * 3, 7));
  }

  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (this.closed) return;
    this.closed = true;
    this.stdout.end();
    this.stderr.end();
    setImmediate(() => this.emit('close', code, signal));
  }
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

test('restart waits grow from the floor with full jitter up to the maximum, and a success resets them', () => {
  const backoff = new RestartBackoff(1_000, 4_000, () => 0.5);
  assert.deepEqual([backoff.next(), backoff.next(), backoff.next(), backoff.next()], [1_000, 1_500, 2_500, 2_500]);
  backoff.reset();
  assert.equal(backoff.next(), 1_000);

  const highest = new RestartBackoff(1_000, 4_000, () => 0.999_999);
  const waits = Array.from({ length: 8 }, () => highest.next());
  assert.ok(waits.every((wait) => wait >= 1_000 && wait < 4_000));
  assert.throws(() => new RestartBackoff(0, 10), RangeError);
});

test('on virtual time: a stalled ffmpeg that ignores SIGTERM is killed after the grace, and only then replaced',
  async () => {
    await detectFfmpegVersion('ffmpeg');
    const clock = new VirtualClock(0);
    const children: FakeFfmpeg[] = [];
    const spawnTimes: number[] = [];
    const spawn: SpawnCamera = () => {
      assert.ok(children.every((child) => child.closed), 'the previous ffmpeg has exited');
      spawnTimes.push(clock.now());
      const child = new FakeFfmpeg(1000 + children.length, children.length === 0);
      children.push(child);
      return child;
    };
    const statuses: CameraLinkStatus[] = [];
    const frames: string[] = [];
    const source = new FfmpegFrameSource({
      camera: 'fake', kind: 'rtsp', input: 'rtsp://u:p4ssword@cam/1', clock, log: memoryLogger('debug').log, spawn,
      stallTimeoutS: 10, backoffFloorS: 1, maxBackoffS: 4, killGraceS: 3, random: () => 0.5,
      onFrame: (frame) => void frames.push(frame.id), onStatus: (status) => void statuses.push(status),
    });

    source.start();
    await settle();
    children[0]?.sendFrame(4, 2);
    await settle();
    assert.deepEqual([statuses, frames], [['online'], ['fake#1']]);

    await clock.advanceTo(10_000);
    assert.deepEqual(statuses, ['online', 'stalled']);
    assert.deepEqual(children[0]?.signals, ['SIGTERM']);
    await clock.advanceTo(12_999);
    assert.equal(children.length, 1, 'no second ffmpeg while the first lives');
    await clock.advanceTo(13_000);
    assert.deepEqual(children[0]?.signals, ['SIGTERM', 'SIGKILL']);
    await settle();

    await clock.advanceTo(14_000);
    assert.deepEqual(spawnTimes, [0, 14_000], 'replaced one backoff floor after it died');

    for (const expectedWait of [1_500, 2_500]) {
      children.at(-1)?.exit(1);
      await settle();
      const diedAt = clock.now();
      const spawnsSoFar = spawnTimes.length;
      await clock.advanceTo(diedAt + expectedWait - 1);
      assert.equal(spawnTimes.length, spawnsSoFar, 'not restarted before the wait is over');
      await clock.advanceTo(diedAt + expectedWait);
      assert.equal(spawnTimes.at(-1), diedAt + expectedWait);
    }
    assert.deepEqual(statuses, ['online', 'stalled', 'offline']);

    await source.stop();
    assert.equal(children.at(-1)?.closed, true, 'stop leaves no ffmpeg');
    await clock.advanceTo(100_000);
    assert.equal(children.length, 4, 'nothing is restarted after stop');
  });
