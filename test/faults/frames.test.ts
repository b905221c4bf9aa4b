/**
 * Fault suite, frames: every kind of bad picture a camera or a recorded day can hand over,
 * driven through the real FrameAnalyser (sharp, the FastestDet worker, the in-order stage).
 * A valid image in an odd form is analysed; anything else is one `frame.rejected` naming the
 * frame and the reason, with a warning; nothing throws, and the next good frame is analysed.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import type { CameraFrame } from '../../src/camera/frame.js';
import { FrameAnalyser, type AnalysedFrame } from '../../src/vision/analyser.js';
import { Detector } from '../../src/vision/detector.js';
import { silentLogger } from '../../src/log.js';
import { memoryLogger } from '../support/logs.js';
import { FASTESTDET_PATH, ccsnPath } from '../vision/support.js';
import { named, recordingBus } from './support.js';

const AT = Date.parse('2024-05-01T09:00:00Z');
const SKY = readFileSync(ccsnPath('Ac/Ac-N214'));
/** Good frames to follow each fault, different pictures so the camera never looks frozen. */
const GOOD = ['Ac/Ac-N214', 'St/St-N001', 'Ci/Ci-N001', 'Cu/Cu-N001'].map((name) => readFileSync(ccsnPath(name)));

const detector = await Detector.open({ modelPath: FASTESTDET_PATH, kind: 'fastestdet', log: silentLogger() });
after(() => detector.close());

/** A JPEG whose start-of-frame header claims `side` x `side` pixels over a 16x16 body. */
async function bombHeader(side: number): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#4080c0' } }).jpeg().toBuffer();
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  assert.ok(sof > 0, 'the JPEG has a baseline start-of-frame marker');
  jpeg.writeUInt16BE(side, sof + 5);
  jpeg.writeUInt16BE(side, sof + 7);
  return jpeg;
}

const truncated = (fraction: number): Buffer => SKY.subarray(0, Math.round(SKY.length * fraction));
const sky = () => sharp(SKY);

type Picture = { jpeg: Buffer } | { rgb: { rgb: Uint8Array; width: number; height: number } };

interface FrameCase {
  name: string;
  picture: () => Promise<Picture>;
  /** 'analysed' with the decoded size, or the pattern the rejection's reason must match. */
  expected: { analysed: [width: number, height: number] } | { rejected: RegExp };
}

const CASES: FrameCase[] = [
  { name: 'an empty buffer', picture: async () => ({ jpeg: Buffer.alloc(0) }), expected: { rejected: /empty \(0 bytes\)/ } },
  { name: 'one byte', picture: async () => ({ jpeg: Buffer.from([0xff]) }), expected: { rejected: /unsupported image format/ } },
  { name: 'a JPEG cut at 10%', picture: async () => ({ jpeg: truncated(0.1) }), expected: { rejected: /premature end of JPEG/ } },
  { name: 'a JPEG cut at 50%', picture: async () => ({ jpeg: truncated(0.5) }), expected: { rejected: /premature end of JPEG/ } },
  { name: 'a JPEG cut at 90%', picture: async () => ({ jpeg: truncated(0.9) }), expected: { rejected: /premature end of JPEG/ } },
  {
    name: 'garbage bytes',
    picture: async () => ({ jpeg: Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919 + 17) % 256)) }),
    expected: { rejected: /unsupported image format/ },
  },
  {
    name: 'garbage behind a JPEG start marker',
    picture: async () => ({ jpeg: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(2000, 0x5a)]) }),
    expected: { rejected: /corrupt image: ./ },
  },
  { name: 'a PNG', picture: async () => ({ jpeg: await sky().png().toBuffer() }), expected: { analysed: [224, 224] } },
  { name: 'a 16-bit PNG', picture: async () => ({ jpeg: await sky().toColourspace('rgb16').png().toBuffer() }), expected: { analysed: [224, 224] } },
  { name: 'a PNG with alpha', picture: async () => ({ jpeg: await sky().ensureAlpha(0.5).png().toBuffer() }), expected: { analysed: [224, 224] } },
  { name: 'a GIF', picture: async () => ({ jpeg: await sky().gif().toBuffer() }), expected: { analysed: [224, 224] } },
  { name: 'a 1x1 JPEG', picture: async () => ({ jpeg: await sky().resize(1, 1).jpeg().toBuffer() }), expected: { analysed: [1, 1] } },
  { name: 'a 20000x20000 header (a decompression bomb)', picture: async () => ({ jpeg: await bombHeader(20_000) }), expected: { rejected: /exceeds pixel limit/ } },
  { name: 'a CMYK JPEG', picture: async () => ({ jpeg: await sky().toColourspace('cmyk').jpeg().toBuffer() }), expected: { analysed: [224, 224] } },
  { name: 'a greyscale JPEG', picture: async () => ({ jpeg: await sky().toColourspace('b-w').jpeg().toBuffer() }), expected: { analysed: [224, 224] } },
  {
    name: 'a JPEG with EXIF rotation (orientation 6), turned upright',
    picture: async () => ({ jpeg: await sky().resize(224, 112, { fit: 'fill' }).jpeg().withMetadata({ orientation: 6 }).toBuffer() }),
    expected: { analysed: [112, 224] },
  },
  {
    name: 'a raw 64x48 frame one row short',
    picture: async () => ({ rgb: { rgb: new Uint8Array(64 * 47 * 3), width: 64, height: 48 } }),
    expected: { rejected: /needs 9216 bytes, got 9024/ },
  },
  {
    name: 'a raw frame of 0x0 pixels',
    picture: async () => ({ rgb: { rgb: new Uint8Array(0), width: 0, height: 0 } }),
    expected: { rejected: /0x0 pixels cannot exist/ },
  },
  {
    name: 'a raw frame of fractional width',
    picture: async () => ({ rgb: { rgb: new Uint8Array(30), width: 2.5, height: 4 } }),
    expected: { rejected: /2\.5x4 pixels cannot exist/ },
  },
];

const { log, lines } = memoryLogger('warn');
const { bus, events } = recordingBus(['frame.rejected', 'sky.observed']);
const analyser = new FrameAnalyser({ bus, detector, log, birdScoreMin: 0.5 });
let nextAt = AT;

/** Analyses one frame at the next instant, 10 s after the previous. */
async function analyse(id: string, picture: Picture): Promise<AnalysedFrame> {
  nextAt += 10_000;
  return analyser.analyse({ id, at: nextAt, ...picture } as CameraFrame);
}

for (const [index, fault] of CASES.entries()) {
  test(`frame fault: ${fault.name}`, async () => {
    const id = `fault-${index}`;
    const result = await analyse(id, await fault.picture());

    const rejected = named(events, 'frame.rejected').filter((event) => event.payload.frameId === id);
    if ('analysed' in fault.expected) {
      assert.equal(result.findings.kind, 'seen', JSON.stringify(rejected.map((event) => event.payload.reason)));
      if (result.findings.kind === 'seen') {
        assert.deepEqual([result.findings.full.width, result.findings.full.height], fault.expected.analysed);
      }
      assert.equal(rejected.length, 0);
    } else {
      assert.equal(result.findings.kind, 'corrupt');
      assert.equal(rejected.length, 1, 'one frame.rejected for the frame');
      assert.match(rejected[0]!.payload.reason, /^corrupt image: /);
      assert.match(rejected[0]!.payload.reason, fault.expected.rejected);
      assert.equal(rejected[0]!.payload.at, nextAt, 'at the frame\'s own instant');
      const warning = lines.find((line) => line.frameId === id);
      assert.ok(warning, 'the rejection is logged with the frame id');
      assert.equal(warning.level, 40);
    }

    const goodId = `good-after-${index}`;
    const good = await analyse(goodId, { jpeg: GOOD[index % GOOD.length]! });
    assert.equal(good.findings.kind, 'seen', 'the next good frame is analysed');
    assert.ok(named(events, 'sky.observed').some((event) => event.payload.frameId === goodId));
  });
}
