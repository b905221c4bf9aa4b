import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../src/log.js';

/** A logger writing into an array, and the lines parsed back to objects. */
function memoryLogger(level: string, components?: Record<string, string>) {
  const lines: string[] = [];
  const log = createLogger(level, { write: (line) => void lines.push(line) }, components);
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, lines, records };
}

test('a component set to debug logs debug lines while the root stays at info', () => {
  const { log, records } = memoryLogger('info', { camera: 'debug' });
  const camera = log.child({ component: 'camera' });
  const vision = log.child({ component: 'vision' });

  camera.debug({ frameId: 'f1' }, 'frame read');
  vision.debug('detections');
  log.debug('root detail');
  vision.info('model loaded');

  assert.deepEqual(
    records().map((record) => [record.component ?? null, record.msg]),
    [['camera', 'frame read'], ['vision', 'model loaded']],
  );
});

test('a component set to warn drops its info lines while others keep theirs', () => {
  const { log, records } = memoryLogger('info', { 'frame-sequence': 'warn' });
  const sequence = log.child({ component: 'frame-sequence' });

  sequence.info('frame in order');
  sequence.warn('frame out of order');
  log.child({ component: 'weather' }).info('polled');

  assert.deepEqual(records().map((record) => record.msg), ['frame out of order', 'polled']);
});

test('grandchildren take the level of the component they belong to, or of the one they rename to', () => {
  const { log, records } = memoryLogger('warn', { camera: 'debug', ffmpeg: 'error' });
  const camera = log.child({ component: 'camera' });

  camera.child({ source: 'rtsp' }).debug('grandchild detail');
  camera.child({ component: 'ffmpeg' }).warn('ffmpeg warning');
  camera.child({ component: 'ffmpeg' }).error('ffmpeg died');
  log.child({ stage: 'x' }).info('plain child at root level');

  assert.deepEqual(records().map((record) => record.msg), ['grandchild detail', 'ffmpeg died']);
  assert.equal(records()[0]!.source, 'rtsp');
});

test('secrets are still scrubbed from a component logging below the root level', () => {
  const { log, lines } = memoryLogger('error', { camera: 'trace' });
  const camera = log.child({ component: 'camera' });

  camera.debug({ url: 'rtsp://admin:hunter2@cam/1', password: 'sekrit-pass' }, 'opening mqtt://u:pa55word@broker:1883');

  const text = lines.join('');
  assert.equal(lines.length, 1);
  assert.ok(!text.includes('hunter2') && !text.includes('sekrit-pass') && !text.includes('pa55word'), text);
  assert.match(text, /rtsp:\/\/admin:\*\*\*@cam\/1/);
});

test('an unknown level for a component is refused at creation, naming the component', () => {
  assert.throws(
    () => createLogger('info', { write: () => {} }, { camera: 'loud' }),
    /log\.components\.camera: unknown level 'loud'/,
  );
});

test('callers without components keep working: one level for every child', () => {
  const { log, records } = memoryLogger('info');
  log.child({ component: 'camera' }).debug('hidden');
  log.child({ component: 'camera' }).info('shown');
  assert.deepEqual(records().map((record) => record.msg), ['shown']);
});
