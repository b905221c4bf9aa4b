import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { OggPageSplitter } from '../../src/output/ogg-pages.js';

/** Two seconds of Ogg/Opus from ffmpeg, as the live stream's encoder writes it. */
const opus = execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=440:d=2', '-ac', '2', '-ar', '48000',
  '-c:a', 'libopus', '-page_duration', '200000', '-f', 'ogg', 'pipe:1']);

test('real ffmpeg Ogg/Opus cut in 1000-byte chunks gives every page whole, headers first, in sequence', () => {
  const splitter = new OggPageSplitter();
  const pages = [];
  for (let at = 0; at < opus.length; at += 1000) pages.push(...splitter.push(opus.subarray(at, at + 1000)));

  assert.equal(Buffer.concat(pages.map((page) => page.bytes)).compare(opus), 0, 'the pages are the stream, byte for byte');
  assert.ok(pages.length > 10);
  assert.ok(pages[0]!.beginsStream && pages.slice(1).every((page) => !page.beginsStream));
  assert.equal(pages[0]!.bytes.subarray(28, 36).toString('ascii'), 'OpusHead');
  assert.equal(pages[1]!.bytes.subarray(28, 36).toString('ascii'), 'OpusTags');
  assert.deepEqual(pages.map((page) => page.sequence), pages.map((_, index) => index));
  assert.equal(pages[1]!.granulePosition, 0n);
  assert.ok(pages[2]!.granulePosition > 0n);
  assert.equal(splitter.skippedBytes, 0);
});

test('a stream joined mid-page, or with a corrupt byte, skips to the next good page', () => {
  const whole = new OggPageSplitter().push(opus);
  const splitter = new OggPageSplitter();

  const fromMiddle = splitter.push(opus.subarray(whole[0]!.bytes.length + 10));
  assert.equal(fromMiddle[0]!.sequence, 2, 'the cut OpusTags page is skipped');

  const corrupt = Buffer.from(opus);
  const thirdPageStart = whole[0]!.bytes.length + whole[1]!.bytes.length;
  corrupt[thirdPageStart + 40] = (corrupt[thirdPageStart + 40]! + 1) % 256;
  const pages = new OggPageSplitter().push(corrupt);
  assert.deepEqual(pages.slice(0, 3).map((page) => page.sequence), [0, 1, 3], 'the page failing its CRC is dropped');
});
