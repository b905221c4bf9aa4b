/**
 * `skychoir run`: the live pipeline on the system clock. Parts start in order (outputs and
 * the server, the mix, the sun, the weather, vision and the camera, the MQTT bridge) and
 * stop in reverse; the music starts first and never waits for a source: a weather provider
 * or a camera that is down is retried in the background while the mix plays from the time
 * of day and the last known sky. On the stop signal the mix fades out, the outputs flush,
 * and the day being recorded is closed.
 */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { loadStemLibrary, stemLoudnessFor, type StemLibrary } from '../audio/stem-library.js';
import { hostname } from 'node:os';
import { MqttBridge } from '../bridge/mqtt-bridge.js';
import { EventBus } from '../bus/bus.js';
import { SkyMetrics } from '../metrics/metrics.js';
import { Composer } from '../composer/composer.js';
import { loadScore } from '../composer/score-load.js';
import { loadLiveSkyMemory } from '../composer/sky-memory-file.js';
import { memoryStatusOf, prominenceFor } from '../composer/sky-memory-setup.js';
import { maskUrlPassword } from '../config/redact.js';
import type { SkyConfig } from '../config/schema.js';
import { SkyServer } from '../server/http-server.js';
import type { Clock } from '../time/clock.js';
import { SunWatcher } from '../time/sun.js';
import { Timeline } from '../time/timeline.js';
import { FrameAnalyser } from '../vision/analyser.js';
import { CameraStage, cameraSourceOptions } from './camera-stage.js';
import { openCloudClassifier } from './cloud-classifier.js';
import { openDetector } from './detector.js';
import { LiveDayRecording } from './live-recording.js';
import { LiveMix } from './live-mix.js';
import { keyFrom, layersFrom, StatusBook } from './live-status.js';
import { LiveWeather } from './live-weather.js';
import { DaemonOutputs } from './daemon-outputs.js';
import { SkyMemoryKeeper } from './sky-memory-keeper.js';
import { missingOf, sourcesOf } from './daemon-health.js';

export interface DaemonOptions {
  config: SkyConfig;
  log: Logger;
  clock: Clock;
  version: string;
  /** Aborting it stops the daemon gracefully. */
  signal: AbortSignal;
  onListening?: (address: { host: string; port: number }) => void;
  /** Timings a test shortens: weather polls (seconds) and the audio chunk (seconds). */
  tuning?: { weatherIntervalS?: number; weatherBackoffFloorS?: number; weatherMaxBackoffS?: number; chunkS?: number };
}

/** Plan entries a live composer keeps for the status (the oldest are forgotten). */
const KEPT_PLAN_ENTRIES = 500;

export async function runDaemon(options: DaemonOptions): Promise<void> {
  const { config, log, clock } = options;
  // A bad score is a startup error, before anything starts (the message names file, rule and problem).
  const score = loadScore(config.composer.scorePath);
  const startedAt = clock.now();
  /** Stopped first, in reverse: the sources (camera, weather, sun) and vision. */
  const sourceStops: Array<() => void | Promise<void>> = [];
  /** Stopped after the fade-out, in the order pushed: the outputs (flushed), the recording, the server. */
  const finalStops: Array<() => void | Promise<void>> = [];
  const bus = new EventBus(log.child({ component: 'bus' }));
  const book = new StatusBook(config);
  book.follow(bus);
  const metrics = config.server.metrics ? new SkyMetrics() : null;
  metrics?.follow(bus);
  const bridge = config.mqtt.url
    ? new MqttBridge({
        url: config.mqtt.url,
        topicPrefix: config.mqtt.topicPrefix,
        accept: config.mqtt.accept,
        bus, log, clock,
        origin: `skychoir@${hostname()}:${process.pid}`,
      })
    : null;

  const stems = await loadStems(config, log);
  // This place's sky as learned by earlier runs (a bad file is set aside, never fatal).
  const memoryLog = log.child({ component: 'sky-memory' });
  const memoryFile = resolve(config.memory.path);
  const learned = await loadLiveSkyMemory(memoryFile, config.place.timezone, clock.now(), memoryLog);
  const prominence = prominenceFor(config, config.place, learned, log);
  const composer = new Composer({
    // Audio frame 0 sounds now: the mix starts rendering right after.
    timeline: new Timeline(clock.now(), 1, config.audio.sampleRate),
    stems: stems?.all().map(({ info, durationFrames }) => ({ info, durationFrames })) ?? [],
    seed: config.composer.seed,
    accentLatencyS: config.composer.accentLatencyS,
    score,
    latitude: config.place.latitude,
    log: log.child({ component: 'composer' }),
    keepEntries: KEPT_PLAN_ENTRIES,
    prominence,
  });
  composer.follow(bus);
  const keeper = new SkyMemoryKeeper(prominence.memory, memoryFile, config.memory.saveIntervalS, memoryLog);
  keeper.follow(bus);
  // Saved after the sources have stopped and the music has faded: everything learned is in.
  finalStops.push(() => keeper.stop());

  let fadeOut: (() => Promise<void>) | null = null;
  const shutdown = async (): Promise<void> => {
    for (const stop of sourceStops.reverse()) await stopQuietly(stop, log);
    if (fadeOut) await fadeOut();
    for (const stop of finalStops) await stopQuietly(stop, log);
  };

  // A part that cannot start at all (the port is taken) stops what had started, then tells.
  try {
    const outputs = new DaemonOutputs(config, clock, log);
    await outputs.start();
    finalStops.push(() => outputs.stop());
    metrics?.watchOutputs(() => outputs.health());
    if (bridge) metrics?.watchBridge(() => bridge.health());

    const mix = new LiveMix({
      composer, stems, clock, log,
      outputs: outputs.all,
      sampleRate: config.audio.sampleRate,
      masterGainDb: config.audio.masterGainDb,
      targetLufs: config.audio.targetLufs,
      limiterCeilingDb: config.audio.limiterCeilingDb,
      chunkS: options.tuning?.chunkS ?? 0.5,
      leadS: config.run.leadS,
      onChunk: (audioS, renderS, leadS) => {
        metrics?.chunkRendered(renderS, audioS);
        metrics?.audioLead(leadS);
      },
    });

    const recording = config.run.recordDaysDir ? new LiveDayRecording(resolve(config.run.recordDaysDir), config, clock, log) : null;
    if (recording) finalStops.push(() => recording.close());

    const weather = new LiveWeather({
      config, bus, clock, log,
      onReply: (reply) => recording?.addWeather(reply),
      onPolled: (provider, outcome) => metrics?.weatherPolled(provider, outcome),
      intervalS: options.tuning?.weatherIntervalS,
      backoffFloorS: options.tuning?.weatherBackoffFloorS,
      maxBackoffS: options.tuning?.weatherMaxBackoffS,
    });
    const sun = new SunWatcher({ bus, clock, latitude: config.place.latitude, longitude: config.place.longitude });

    let camera: CameraStage | null = null;
    let analyser: FrameAnalyser | null = null;
    const server = new SkyServer({
      host: config.output.host,
      port: config.output.port,
      streams: outputs.streams,
      dashboard: config.server.dashboard,
      log: log.child({ component: 'server' }),
      framePng: () => book.framePng,
      metrics: metrics ? () => metrics.render() : undefined,
      control: config.server.token ? { token: config.server.token, setMasterGainDb: (db) => mix.setMasterGainDb(db) } : undefined,
      status: () =>
        book.build({
          version: options.version,
          startedAt,
          now: () => clock.now(),
          sources: () => sourcesOf(weather, camera, analyser, bridge),
          missing: () => missingOf(config, stems, weather, analyser, mix.bedPlaying),
          outputs: () => outputs.health(),
          listeners: () => outputs.listeners(),
          layers: () => layersFrom(composer.entries, composer.playingAt(Math.max(0, mix.renderedFrames - 1))),
          key: () => keyFrom(composer.harmony.moves, Math.max(0, mix.renderedFrames - 1)),
          memory: () => memoryStatusOf(prominence.memory),
          weatherStale: () => weather.isStale,
        }),
    });
    // Not `onListening?.(await server.start())`: optional call skips its argument when absent.
    const address = await server.start();
    options.onListening?.(address);
    finalStops.push(() => server.close());

    // The sun's phase first: the bed's first choice is then the phase's, not the placeholder
    // for an unknown phase that its hold would keep for half a minute.
    await sun.start();
    sourceStops.push(() => sun.stop());
    const mixing = mix.run();
    fadeOut = async () => {
      await mix.fadeOut(config.run.fadeOutS);
      await mixing;
    };
    weather.start();
    sourceStops.push(() => weather.stop());
    log.info({ place: config.place.name, startedAt: new Date(startedAt).toISOString() }, 'skychoir is playing');
    if (bridge) {
      bridge.start();
      sourceStops.push(() => bridge.stop());
    }

    if (config.camera.url) {
      const [detector, classifier] = await Promise.all([openDetector(config, log), openCloudClassifier(config, log)]);
      sourceStops.push(async () => {
        await detector?.close();
        await classifier?.close();
      });
      analyser = new FrameAnalyser({
        bus, detector, classifier, log,
        birdScoreMin: config.vision.birdScoreMin,
        camera: maskUrlPassword(config.camera.url),
        place: config.place,
        skyWindowMs: config.vision.skyWindowS * 1000,
      });
      camera = new CameraStage({
        url: config.camera.url,
        bus, clock, log, analyser,
        source: cameraSourceOptions(config),
        onAnalysed: async (frame, analysed) => {
          recording?.addFrame(frame);
          if (analysed.findings.kind === 'seen') metrics?.frameAnalysed(analysed.findings.analysisMs / 1000);
          await book.frameAnalysed(frame.id, frame.at, analysed);
        },
      });
      camera.start();
      const started = camera;
      sourceStops.push(() => started.stop());
    }
  } catch (error) {
    await shutdown();
    throw error;
  }

  await new Promise<void>((done) => {
    if (options.signal.aborted) done();
    options.signal.addEventListener('abort', () => done(), { once: true });
  });

  log.info('stopping');
  await shutdown();
  log.info('skychoir stopped');
}

async function loadStems(config: SkyConfig, log: Logger): Promise<StemLibrary | null> {
  try {
    return await loadStemLibrary(resolve(config.audio.stemsDir), log, { stemLufs: stemLoudnessFor(config.audio) });
  } catch (error) {
    log.error({ err: error, stemsDir: config.audio.stemsDir }, 'no stem pack could be loaded: the safe bed plays');
    return null;
  }
}

async function stopQuietly(stop: () => void | Promise<void>, log: Logger): Promise<void> {
  try {
    await stop();
  } catch (error) {
    log.error({ err: error }, 'a part failed to stop cleanly; stopping the rest');
  }
}
