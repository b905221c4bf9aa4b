import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frigateBirdSeen } from '../../src/bridge/frigate.js';

const size = { width: 1280, height: 720 };

/** A frigate/events message as Frigate's MQTT documentation shows it, for a bird. */
function frigateMessage(type: string, after: Record<string, unknown>): Buffer {
  const tracked = {
    id: '1607123955.475377-mxklsc', camera: 'garden', frame_time: 1607123961.837752, label: 'bird',
    sub_label: null, top_score: 0.91, false_positive: false, start_time: 1607123955.475377, end_time: null,
    score: 0.78, box: [640, 180, 704, 216], area: 2304, region: [600, 100, 900, 400], current_zones: [],
    ...after,
  };
  return Buffer.from(JSON.stringify({ type, before: tracked, after: tracked }));
}

test("a new bird from Frigate becomes bird.seen with the frame's time and the box as fractions", () => {
  assert.deepEqual(frigateBirdSeen(frigateMessage('new', {}), size), {
    kind: 'bird',
    payload: {
      at: 1607123961838,
      frameId: 'frigate:garden:1607123955.475377-mxklsc',
      count: 1,
      detections: [{ label: 'bird', classId: 14, score: 0.78, box: { x: 0.5, y: 0.25, width: 0.05, height: 0.05 } }],
    },
  });
});

test('updates, ends and other labels are ignored, so each tracked bird is told once', () => {
  assert.deepEqual(frigateBirdSeen(frigateMessage('update', {}), size), { kind: 'ignored' });
  assert.deepEqual(frigateBirdSeen(frigateMessage('end', {}), size), { kind: 'ignored' });
  assert.deepEqual(frigateBirdSeen(frigateMessage('new', { label: 'person' }), size), { kind: 'ignored' });
});

test('a box outside the configured detect size is clamped to the frame', () => {
  const result = frigateBirdSeen(frigateMessage('new', { box: [1200, 700, 1400, 800] }), size);
  assert.equal(result.kind, 'bird');
  const box = (result as { payload: { detections: Array<{ box: object }> } }).payload.detections[0]!.box;
  assert.deepEqual(box, { x: 1200 / 1280, y: 700 / 720, width: 80 / 1280, height: 20 / 720 });
});

test('broken Frigate messages are rejected with what was wrong', () => {
  assert.match((frigateBirdSeen(Buffer.from('{'), size) as { reason: string }).reason, /^not JSON/);
  assert.match((frigateBirdSeen(Buffer.from('{"type":"created","after":{"label":"bird"}}'), size) as { reason: string }).reason, /^type: /);
  assert.match((frigateBirdSeen(frigateMessage('new', { score: 'high' }), size) as { reason: string }).reason, /^after\.score: /);
  assert.match((frigateBirdSeen(frigateMessage('new', { box: [1, 2] }), size) as { reason: string }).reason, /^after\.box/);
});
