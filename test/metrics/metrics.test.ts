import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BridgeHealth } from '../../src/bridge/bridge-health.js';
import { EventBus } from '../../src/bus/bus.js';
import { silentLogger } from '../../src/log.js';
import { SkyMetrics } from '../../src/metrics/metrics.js';
import type { OutputHealth } from '../../src/output/audio-output.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (comments skipped). */
function samplesOf(body: string): Sample[] {
  return body.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(match, `not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    return { name: match[1]!, labels, value: Number(match[3]) };
  });
}

/** The value of the one sample named `name` whose labels include `labels`, or undefined. */
async function valueOf(metrics: SkyMetrics, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const found = samplesOf((await metrics.render()).body).filter(
    (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  assert.ok(found.length <= 1, `${name} ${JSON.stringify(labels)} matches ${found.length} samples`);
  return found[0]?.value;
}

test('events on the bus are counted by name, and stop being counted once unfollowed', async () => {
  const metrics = new SkyMetrics({ defaultMetrics: false });
  const bus = new EventBus(silentLogger());
  const unfollow = metrics.follow(bus);
  assert.equal(await valueOf(metrics, 'skychoir_events_total', { name: 'bird.seen' }), 0, 'every name starts at 0');

  await bus.publish('bird.seen', { at: 1, frameId: 'f1', count: 1, detections: [] });
  await bus.publish('bird.seen', { at: 2, frameId: 'f2', count: 1, detections: [] });
  await bus.publish('frame.rejected', { at: 3, frameId: 'f3', reason: 'corrupt JPEG' });
  assert.equal(await valueOf(metrics, 'skychoir_events_total', { name: 'bird.seen' }), 2);
  assert.equal(await valueOf(metrics, 'skychoir_events_total', { name: 'frame.rejected' }), 1);
  assert.equal(await valueOf(metrics, 'skychoir_frames_rejected_total'), 1);

  unfollow();
  await bus.publish('bird.seen', { at: 4, frameId: 'f4', count: 1, detections: [] });
  assert.equal(await valueOf(metrics, 'skychoir_events_total', { name: 'bird.seen' }), 2);
});

test('camera and source status are one-hot gauges that follow the latest change', async () => {
  const metrics = new SkyMetrics({ defaultMetrics: false });
  const bus = new EventBus(silentLogger());
  metrics.follow(bus);

  await bus.publish('camera.status.changed', { at: 1, camera: 'rtsp://cam/1', status: 'online', previous: null });
  await bus.publish('camera.status.changed', { at: 2, camera: 'rtsp://cam/1', status: 'stalled', previous: 'online' });
  await bus.publish('source.status.changed', { at: 3, source: 'mqtt', status: 'offline', reason: 'refused' });

  assert.equal(await valueOf(metrics, 'skychoir_camera_status', { camera: 'rtsp://cam/1', status: 'stalled' }), 1);
  assert.equal(await valueOf(metrics, 'skychoir_camera_status', { camera: 'rtsp://cam/1', status: 'online' }), 0);
  assert.equal(await valueOf(metrics, 'skychoir_source_status', { source: 'mqtt', status: 'offline' }), 1);
  assert.equal(await valueOf(metrics, 'skychoir_source_status', { source: 'mqtt', status: 'online' }), 0);
});

test('frame analysis and chunk rendering fill their counters and histograms; bad durations are ignored', async () => {
  const metrics = new SkyMetrics({ defaultMetrics: false });
  metrics.frameAnalysed(0.02);
  metrics.frameAnalysed(0.3);
  metrics.frameAnalysed(Number.NaN);
  metrics.chunkRendered(1.5, 20);
  metrics.chunkRendered(-1, 20);
  metrics.audioLead(1.75);

  assert.equal(await valueOf(metrics, 'skychoir_frames_analysed_total'), 2);
  assert.equal(await valueOf(metrics, 'skychoir_frame_analysis_seconds_count'), 2);
  assert.equal(await valueOf(metrics, 'skychoir_frame_analysis_seconds_sum'), 0.32);
  assert.equal(await valueOf(metrics, 'skychoir_frame_analysis_seconds_bucket', { le: '0.025' }), 1);
  assert.equal(await valueOf(metrics, 'skychoir_frame_analysis_seconds_bucket', { le: '0.5' }), 2);
  assert.equal(await valueOf(metrics, 'skychoir_audio_chunks_rendered_total'), 1);
  assert.equal(await valueOf(metrics, 'skychoir_audio_chunk_render_seconds_bucket', { le: '1' }), 0);
  assert.equal(await valueOf(metrics, 'skychoir_audio_chunk_render_seconds_bucket', { le: '2' }), 1);
  assert.equal(await valueOf(metrics, 'skychoir_audio_rendered_seconds_total'), 20);
  assert.equal(await valueOf(metrics, 'skychoir_audio_lead_seconds'), 1.75);
});

test('weather polls are counted by provider and outcome', async () => {
  const metrics = new SkyMetrics({ defaultMetrics: false });
  metrics.weatherPolled('open-meteo', 'ok');
  metrics.weatherPolled('open-meteo', 'ok');
  metrics.weatherPolled('openweathermap', 'rate-limited');

  assert.equal(await valueOf(metrics, 'skychoir_weather_polls_total', { provider: 'open-meteo', outcome: 'ok' }), 2);
  assert.equal(await valueOf(metrics, 'skychoir_weather_polls_total', { provider: 'openweathermap', outcome: 'rate-limited' }), 1);
});

test('outputs and the bridge are read at each scrape: state, restarts, listeners, link and messages', async () => {
  const metrics = new SkyMetrics({ defaultMetrics: false });
  const outputs: OutputHealth[] = [
    { name: 'http mp3', state: 'running', restarts: 0, listeners: 3 },
    { name: 'icecast', state: 'reconnecting', restarts: 2 },
  ];
  const bridge: BridgeHealth = { state: 'online', since: 1, broker: 'mqtt://b', sent: 5, unsent: 1, received: 7, dropped: 2 };
  assert.equal(await valueOf(metrics, 'skychoir_mqtt_up'), undefined, 'no bridge, no link metric');
  metrics.watchOutputs(() => outputs);
  metrics.watchBridge(() => bridge);

  assert.equal(await valueOf(metrics, 'skychoir_output_state', { output: 'icecast', state: 'reconnecting' }), 1);
  assert.equal(await valueOf(metrics, 'skychoir_output_state', { output: 'icecast', state: 'running' }), 0);
  assert.equal(await valueOf(metrics, 'skychoir_output_restarts_total', { output: 'icecast' }), 2);
  assert.equal(await valueOf(metrics, 'skychoir_stream_listeners', { output: 'http mp3' }), 3);
  assert.equal(await valueOf(metrics, 'skychoir_stream_listeners', { output: 'icecast' }), undefined);
  assert.equal(await valueOf(metrics, 'skychoir_mqtt_up'), 1);
  assert.equal(await valueOf(metrics, 'skychoir_mqtt_messages_total', { outcome: 'received' }), 7);

  outputs[0] = { name: 'http mp3', state: 'running', restarts: 1, listeners: 250 };
  outputs[1] = { name: 'icecast', state: 'running', restarts: 3 };
  bridge.state = 'offline';
  assert.equal(await valueOf(metrics, 'skychoir_stream_listeners', { output: 'http mp3' }), 250);
  assert.equal(await valueOf(metrics, 'skychoir_output_state', { output: 'icecast', state: 'running' }), 1);
  assert.equal(await valueOf(metrics, 'skychoir_output_restarts_total', { output: 'icecast' }), 3);
  assert.equal(await valueOf(metrics, 'skychoir_mqtt_up'), 0);
});

test('a reader that throws leaves its own metrics empty and the page is still served', async () => {
  const metrics = new SkyMetrics({ defaultMetrics: false });
  metrics.watchOutputs(() => {
    throw new Error('output list unavailable');
  });
  metrics.audioLead(2);

  assert.equal(await valueOf(metrics, 'skychoir_output_state'), undefined);
  assert.equal(await valueOf(metrics, 'skychoir_audio_lead_seconds'), 2);
});

test("the page is Prometheus's text format, with Node's default metrics under the skychoir_ prefix", async () => {
  const metrics = new SkyMetrics();
  const page = await metrics.render();
  assert.match(page.contentType, /^text\/plain; version=0\.0\.4/);
  const names = new Set(samplesOf(page.body).map((sample) => sample.name));
  assert.ok(names.has('skychoir_process_resident_memory_bytes') || names.has('skychoir_nodejs_heap_size_used_bytes'), [...names].join(' '));
  assert.ok([...names].every((name) => name.startsWith('skychoir_')), 'every metric is prefixed');
  assert.match(page.body, /# HELP skychoir_audio_lead_seconds Seconds of audio rendered ahead/);
});
