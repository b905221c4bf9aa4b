import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FramePrefetch } from '../../src/app/frame-prefetch.js';
import type { RecordedFrame } from '../../src/days/reader.js';
import type { CameraFrame } from '../../src/camera/frame.js';
import type { FrameAnalyser, FrameFindings } from '../../src/vision/analyser.js';

function recordedFrames(count: number, unreadable: number[] = []): RecordedFrame[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `frames/${index}.jpg`,
    capturedAt: index * 60_000,
    file: `frames/${index}.jpg`,
    readJpeg: async () => {
      if (unreadable.includes(index)) throw new Error(`ENOENT frames/${index}.jpg`);
      return Buffer.from([index]);
    },
  }));
}

/** An analyser that records which frames it inspected and reports the first byte as cover. */
function countingAnalyser(): { analyser: FrameAnalyser; inspected: string[] } {
  const inspected: string[] = [];
  const analyser = {
    inspect: async (frame: CameraFrame): Promise<FrameFindings> => {
      inspected.push(frame.id);
      const cover = frame.jpeg![0]! / 10;
      const pixel = { rgb: new Uint8Array(3), width: 1, height: 1 };
      return {
        kind: 'seen',
        full: pixel,
        thumbnail: pixel,
        skyFraction: 1,
        coverFraction: cover,
        brightness: 0,
        cloudTypes: null,
        detections: [],
        birds: [],
        aircraft: [],
        analysisMs: 0,
      };
    },
  } as unknown as FrameAnalyser;
  return { analyser, inspected };
}

test('reaching a frame starts the inspection of the next few, and each frame is inspected once', async () => {
  const frames = recordedFrames(10);
  const { analyser, inspected } = countingAnalyser();
  const prefetch = new FramePrefetch(frames, analyser, 3);

  const first = await prefetch.findingsFor({ id: 'frames/0.jpg', at: 0, jpeg: Buffer.from([0]) });
  assert.equal(first.kind, 'seen');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(inspected.sort(), ['frames/0.jpg', 'frames/1.jpg', 'frames/2.jpg', 'frames/3.jpg']);

  for (let index = 1; index < 10; index++) {
    const findings = await prefetch.findingsFor({ id: `frames/${index}.jpg`, at: index * 60_000, jpeg: Buffer.from([index]) });
    assert.equal(findings.kind === 'seen' && findings.coverFraction, index / 10);
  }
  assert.equal(inspected.length, 10);
});

test('a frame that cannot be read ahead comes back as a failure for that frame only', async () => {
  const { analyser } = countingAnalyser();
  const prefetch = new FramePrefetch(recordedFrames(4, [2]), analyser, 3);

  await prefetch.findingsFor({ id: 'frames/0.jpg', at: 0, jpeg: Buffer.from([0]) });
  await prefetch.findingsFor({ id: 'frames/1.jpg', at: 60_000, jpeg: Buffer.from([1]) });
  const broken = await prefetch.findingsFor({ id: 'frames/2.jpg', at: 120_000, jpeg: Buffer.alloc(0) });
  const next = await prefetch.findingsFor({ id: 'frames/3.jpg', at: 180_000, jpeg: Buffer.from([3]) });

  assert.equal(broken.kind, 'failed');
  assert.match(String((broken as { error: Error }).error.message), /ENOENT frames\/2\.jpg/);
  assert.equal(next.kind, 'seen');
});
