import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureSky } from '../../src/vision/cloud-cover.js';
import { decodeFrame } from '../../src/vision/frame-decode.js';
import { CCSN_DIR, paint, solidFrame } from './support.js';

const CLEAR_BLUE: [number, number, number] = [70, 130, 220];
const GREY_CLOUD: [number, number, number] = [180, 182, 190];

test('clear blue sky has no cover and grey cloud has full cover', () => {
  assert.equal(measureSky(solidFrame(64, 64, CLEAR_BLUE)).coverFraction, 0);
  assert.equal(measureSky(solidFrame(64, 64, GREY_CLOUD)).coverFraction, 1);
});

test('cover is the share of cloud among sky pixels', () => {
  const frame = solidFrame(64, 64, CLEAR_BLUE);
  paint(frame, { left: 0, top: 0, right: 16, bottom: 64 }, GREY_CLOUD);

  assert.equal(measureSky(frame).coverFraction, 0.25);
});

test('dark ground and sun glare are left out of the sky', () => {
  const frame = solidFrame(64, 64, CLEAR_BLUE);
  paint(frame, { left: 0, top: 48, right: 64, bottom: 64 }, [20, 15, 10]);
  paint(frame, { left: 0, top: 0, right: 8, bottom: 8 }, [255, 255, 255]);

  const sky = measureSky(frame);

  assert.equal(sky.coverFraction, 0);
  assert.equal(sky.skyFraction, (64 * 48 - 64) / (64 * 64));
});

test('a black frame has no measurable cover but still a brightness', () => {
  const sky = measureSky(solidFrame(64, 64, [2, 2, 2]));

  assert.equal(sky.coverFraction, null);
  assert.ok(Math.abs(sky.brightness - 2 / 255) < 1e-9);
});

test('brightness is the mean luma from 0 to 1', () => {
  assert.equal(measureSky(solidFrame(8, 8, [255, 255, 255])).brightness, 1);
  const grey = measureSky(solidFrame(8, 8, [128, 128, 128])).brightness;
  assert.ok(Math.abs(grey - 128 / 255) < 0.01);
});

/** Cover of every tenth CCSN photograph of a genus, through the real decoder. */
async function coverOfGenus(genus: string): Promise<number[]> {
  const files = readdirSync(join(CCSN_DIR, genus))
    .sort()
    .filter((_, index) => index % 10 === 0);
  const covers: number[] = [];
  for (const file of files) {
    const { thumbnail } = await decodeFrame(file, readFileSync(join(CCSN_DIR, genus, file)));
    const { coverFraction } = measureSky(thumbnail);
    assert.notEqual(coverFraction, null, `${file} has measurable sky`);
    covers.push(coverFraction!);
  }
  return covers;
}

const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;
const shareAbove = (values: number[], limit: number): number =>
  values.filter((v) => v > limit).length / values.length;

test('overcast stratus and nimbostratus read higher than cirrus and cumulus', async () => {
  const overcast = [...(await coverOfGenus('St')), ...(await coverOfGenus('Ns'))];
  const broken = [...(await coverOfGenus('Ci')), ...(await coverOfGenus('Cu'))];

  assert.ok(mean(overcast) > mean(broken) + 0.2, `${mean(overcast)} vs ${mean(broken)}`);
  assert.ok(shareAbove(overcast, 0.7) >= 0.8, `only ${shareAbove(overcast, 0.7)} above 0.7`);
  assert.ok(shareAbove(broken, 0.7) <= 0.5, `${shareAbove(broken, 0.7)} of broken skies above 0.7`);
});
