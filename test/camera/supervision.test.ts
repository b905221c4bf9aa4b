import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CameraChild, SpawnCamera } from '../../src/camera/ffmpeg-run.js';
import { spawnFfmpeg } from '../../src/camera/ffmpeg-run.js';
import { FfmpegFrameSource } from '../../src/camera/ffmpeg-source.js';
import type { CameraLinkStatus } from '../../src/camera/link-status.js';
import { SystemClock } from '../../src/time/clock.js';
import { ccsnPhotos, freePort, MjpegServer, processAlive, waitUntil } from '../support/camera-servers.js';
import { memoryLogger } from '../support/logs.js';

const JPEGS = ccsnPhotos('Sc', 3).map((photo) => readFileSync(photo));

/** Real ffmpeg processes, with a record of when each started and ended and how many were alive at once. */
function countingSpawn() {
  const runs: Array<{ pid: number; startedMs: number; endedMs: number | null }> = [];
  const book = { runs, alive: 0, mostAlive: 0 };
  const spawn: SpawnCamera = (command, args) => {
    const child: CameraChild = spawnFfmpeg(command, args);
    const run = { pid: child.pid as number, startedMs: Date.now(), endedMs: null as number | null };
    runs.push(run);
    book.alive += 1;
    book.mostAlive = Math.max(book.mostAlive, book.alive);
    child.once('close', () => {
      run.endedMs = Date.now();
      book.alive -= 1;
    });
    return child;
  };
  return { spawn, book };
}

/** The statuses in the order they were reported (each report is already a change). */
function statusLog() {
  const reports: Array<[CameraLinkStatus, string]> = [];
  const seen = (status: CameraLinkStatus): boolean => reports.some(([reported]) => reported === status);
  return { reports, seen, onStatus: (status: CameraLinkStatus, reason: string) => void reports.push([status, reason]) };
}

const FAST = { stallTimeoutS: 1.5, backoffFloorS: 0.3, maxBackoffS: 1.2, killGraceS: 1, socketTimeoutS: 30 };

test('C1: a server that sends two frames then goes quiet is stalled, its ffmpeg killed and restarted after a backoff',
  async () => {
    const server = new MjpegServer(JPEGS, 10, 2);
    const port = await server.listen();
    const { spawn, book } = countingSpawn();
    const status = statusLog();
    const { log } = memoryLogger('debug');
    const source = new FfmpegFrameSource({
      ...FAST, camera: 'quiet', kind: 'mjpeg', input: `http://127.0.0.1:${port}/video`, fps: 10, width: 64,
      clock: new SystemClock(), log, spawn, onFrame: () => {}, onStatus: status.onStatus,
    });

    try {
      source.start();
      await waitUntil('stalled', () => status.seen('stalled'));
      await waitUntil('a second ffmpeg', () => book.runs.length >= 2);
    } finally {
      await source.stop();
      await server.close();
    }

    const [first, second] = book.runs;
    assert.ok(first && second);
    assert.equal(processAlive(first.pid), false, 'the stalled ffmpeg is gone');
    assert.ok(first.endedMs !== null && first.endedMs <= second.startedMs, 'the new ffmpeg came after the old one ended');
    assert.ok(second.startedMs - first.endedMs >= FAST.backoffFloorS * 1000 - 20, 'the restart waited the backoff floor');
    assert.match(status.reports.find(([reported]) => reported === 'stalled')?.[1] ?? '', /no frame for 1.5 s/);
    assert.equal(book.mostAlive, 1);
    assert.equal(book.alive, 0, 'no ffmpeg left after stop');
  });

test('C6: refused, then frames, then silence, then a reset, then back: offline, online, stalled, offline, online',
  async () => {
    const port = await freePort();
    const server = new MjpegServer(JPEGS, 8);
    const { spawn, book } = countingSpawn();
    const status = statusLog();
    const { log, lines } = memoryLogger('debug');
    let frames = 0;
    const source = new FfmpegFrameSource({
      ...FAST, camera: 'gate', kind: 'mjpeg', input: `http://viewer:Cloud-9-pass@127.0.0.1:${port}/video`,
      fps: 4, width: 64, clock: new SystemClock(), log, spawn, onFrame: () => void (frames += 1), onStatus: status.onStatus,
    });

    try {
      source.start();
      assert.equal(source.status, null, 'start returns before the camera has answered');

      await waitUntil('three refused tries', () => book.runs.length >= 3 && book.alive === 0);
      await server.listen(port);
      await waitUntil('online', () => status.seen('online') && frames >= 2);

      server.mode = 'silent';
      await waitUntil('stalled', () => status.seen('stalled'));

      server.mode = 'reset';
      server.dropConnections();
      await waitUntil('offline again', () => status.reports.filter(([reported]) => reported === 'offline').length >= 2);

      server.mode = 'stream';
      await waitUntil('online again', () => status.reports.filter(([reported]) => reported === 'online').length >= 2);
    } finally {
      await source.stop();
      await server.close();
    }

    assert.deepEqual(status.reports.map(([reported]) => reported), ['offline', 'online', 'stalled', 'offline', 'online']);
    assert.equal(book.mostAlive, 1, 'never two ffmpeg processes for the camera at once');
    assert.equal(book.alive, 0);
    for (const run of book.runs) assert.equal(processAlive(run.pid), false);

    const refusedGaps = book.runs.slice(1, 3).map((run, index) => run.startedMs - (book.runs[index]?.endedMs as number));
    for (const gap of refusedGaps) assert.ok(gap >= FAST.backoffFloorS * 1000 - 20, `a refused try waited ${gap} ms`);

    const shown = JSON.stringify(status.reports) + JSON.stringify(lines) + source.stderrTail();
    assert.equal(shown.includes('Cloud-9-pass'), false, 'the camera password is never shown');
  });
