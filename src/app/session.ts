import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { EventBus } from '../bus/bus.js';
import { SKY_EVENT_NAMES } from '../bus/event-names.js';
import type { SkyEventName } from '../bus/events.js';
import { ChunkRenderer, type RenderedChunk } from '../audio/chunk-renderer.js';
import { loadStemLibrary, stemLoudnessFor, type StemLibrary } from '../audio/stem-library.js';
import { Composer } from '../composer/composer.js';
import { loadScore } from '../composer/score-load.js';
import { readSkyMemoryFile, SkyMemoryFileError } from '../composer/sky-memory-file.js';
import { prominenceFor } from '../composer/sky-memory-setup.js';
import type { SkyMemoryData } from '../composer/sky-memory.js';
import type { SkyConfig } from '../config/schema.js';
import { InputError } from '../errors.js';
import { readDay, type RecordedDay } from '../days/reader.js';
import { scheduleDay } from '../days/replay.js';
import { VirtualClock } from '../time/clock.js';
import { SunWatcher } from '../time/sun.js';
import { Timeline } from '../time/timeline.js';
import { FrameAnalyser } from '../vision/analyser.js';
import { openCloudClassifier } from './cloud-classifier.js';
import { openDetector } from './detector.js';
import { WeatherStage } from '../weather/weather-stage.js';
import { EventLog } from './event-log.js';
import { FramePrefetch } from './frame-prefetch.js';

/** The shortest piece a day may be played as, in audio seconds: a speed that gives less is refused. */
const SHORTEST_PIECE_S = 1;

export interface DaySessionOptions {
  config: SkyConfig;
  dayDir: string;
  /** Sky seconds per audio second: 1 plays the day in real time, 96 in a quarter of an hour. */
  speed: number;
  log: Logger;
  /**
   * A sky memory file to judge rare events by (as `run` writes it; read only). Without one the
   * day starts from an empty memory: never from the daemon's `memory.path`, so that the same
   * day, seed, score and stems give the same audio wherever they are rendered.
   */
  memoryPath?: string;
}

/**
 * A recorded day played through the real stages on a virtual clock: the day's replies and
 * frames are scheduled at their instants, analysed, published on the bus, composed, and
 * rendered chunk by chunk. Offline render and live replay differ only in how fast they
 * ask for the next chunk.
 */
export class DaySession {
  readonly timeline: Timeline;
  readonly totalFrames: number;
  readonly events = new EventLog();
  private nextFrame = 0;

  private constructor(
    readonly day: RecordedDay,
    readonly composer: Composer,
    readonly clock: VirtualClock,
    readonly bus: EventBus,
    readonly stems: StemLibrary,
    private readonly renderer: ChunkRenderer,
    private readonly chunkFrames: number,
    private readonly closers: Array<() => void | Promise<void>>,
  ) {
    this.timeline = composer.timeline;
    this.totalFrames = this.timeline.frameAt(day.manifest.endAt);
  }

  static async open(options: DaySessionOptions): Promise<DaySession> {
    const { config, log } = options;

    const score = loadScore(config.composer.scorePath);
    const day = await readDay(options.dayDir, log);
    const daySeconds = (day.manifest.endAt - day.manifest.startAt) / 1000;
    if (daySeconds / options.speed < SHORTEST_PIECE_S) {
      throw new InputError(
        `speed ${options.speed} would play the ${daySeconds} s day in ${(daySeconds / options.speed).toPrecision(2)} s; ` +
          `the highest speed for this day is ${Math.floor(daySeconds / SHORTEST_PIECE_S)}`,
      );
    }
    // Before the detector's workers start, so that a bad memory file leaves nothing running.
    const learned = await givenMemory(options.memoryPath, day.manifest.place.timezone);
    const stems = await loadStemLibrary(resolve(config.audio.stemsDir), log, { stemLufs: stemLoudnessFor(config.audio) });
    const detector = await openDetector(config, log);
    const classifier = await openCloudClassifier(config, log);

    const clock = new VirtualClock(day.manifest.startAt, (err) => log.error({ err }, 'replayed task failed; replay goes on'));
    const bus = new EventBus(log.child({ component: 'bus' }));
    const timeline = new Timeline(day.manifest.startAt, options.speed, config.audio.sampleRate);

    const composer = new Composer({
      timeline,
      stems: stems.all().map(({ info, durationFrames }) => ({ info, durationFrames })),
      seed: config.composer.seed,
      accentLatencyS: config.composer.accentLatencyS,
      score,
      latitude: day.manifest.place.latitude,
      log: log.child({ component: 'composer' }),
      prominence: prominenceFor(config, day.manifest.place, learned, log),
    });

    const renderer = new ChunkRenderer({
      sampleRate: config.audio.sampleRate,
      masterGain: 10 ** (config.audio.masterGainDb / 20),
      limiterCeilingDb: config.audio.limiterCeilingDb,
      loudnessTargetLufs: config.audio.targetLufs,
      reverb: true,
      stem: (id) => {
        const stem = stems.get(id);
        return stem && { buffer: stem.buffer, loop: stem.info.loop, trim: stem.gain };
      },
    });

    const session = new DaySession(
      day, composer, clock, bus, stems, renderer,
      Math.round(config.audio.chunkS * config.audio.sampleRate),
      [() => detector?.close(), () => classifier?.close()],
    );
    await session.wire(config, { detector, classifier }, log);
    return session;
  }

  /** Whether every frame of the day has been rendered. */
  get finished(): boolean {
    return this.nextFrame >= this.totalFrames;
  }

  /** Frames rendered so far. */
  get renderedFrames(): number {
    return this.nextFrame;
  }

  /**
   * Advances the day to the end of the next chunk (running every reply and frame due by
   * then), lets the composer decide, and renders the chunk. Null once the day is over.
   */
  async nextChunk(): Promise<RenderedChunk | null> {
    if (this.finished) return null;

    const startFrame = this.nextFrame;
    const frames = Math.min(this.chunkFrames, this.totalFrames - startFrame);
    await this.clock.advanceTo(this.timeline.instantAt(startFrame + frames));
    this.composer.update(this.clock.now());

    const chunk = await this.renderer.render(startFrame, frames, this.composer.voicesIn(startFrame, frames), this.composer.reverb.pointsFrom(startFrame));
    this.composer.prune(startFrame);
    this.composer.holdFrom(startFrame + frames);
    this.nextFrame += frames;
    return chunk;
  }

  async close(): Promise<void> {
    for (const close of this.closers.reverse()) await close();
  }

  private async wire(config: SkyConfig, models: VisionModels, log: Logger): Promise<void> {
    this.events.follow(this.bus, EVENTS_LOGGED);
    this.composer.follow(this.bus);

    const weather = new WeatherStage({ bus: this.bus, clock: this.clock, log });
    const { latitude, longitude } = this.day.manifest.place;
    const sun = new SunWatcher({ bus: this.bus, clock: this.clock, latitude, longitude });
    this.closers.push(() => weather.stop(), () => sun.stop());

    const analyser = new FrameAnalyser({
      bus: this.bus,
      ...models,
      log,
      birdScoreMin: config.vision.birdScoreMin,
      camera: 'recorded day',
      place: { latitude, longitude },
      skyWindowMs: config.vision.skyWindowS * 1000,
    });

    const prefetch = new FramePrefetch(this.day.frames, analyser);

    scheduleDay(this.day, this.clock, {
      onWeatherReply: (reply) => weather.acceptReply(reply),
      onFrame: async (frame) => {
        if (!frame.jpeg) {
          prefetch.discard(frame.id);
          await this.bus.publish('frame.rejected', { at: frame.at, frameId: frame.id, reason: frame.error ?? 'unreadable' });
          return;
        }
        const camera = { id: frame.id, at: frame.at, jpeg: frame.jpeg };
        await analyser.publish(camera, await prefetch.findingsFor(camera));
      },
    });

    await sun.start();
  }
}

/** The memory file a render was given, or null for none; a missing or unusable file is an {@link InputError}. */
async function givenMemory(path: string | undefined, timeZone: string): Promise<SkyMemoryData | null> {
  if (path === undefined) return null;
  const file = resolve(path);
  try {
    return await readSkyMemoryFile(file, timeZone);
  } catch (error) {
    if (error instanceof SkyMemoryFileError) throw error;
    throw new SkyMemoryFileError(file, `cannot read (${(error as Error).message})`);
  }
}

interface VisionModels {
  detector: Awaited<ReturnType<typeof openDetector>>;
  classifier: Awaited<ReturnType<typeof openCloudClassifier>>;
}

/** The render log keeps every event of the bus. */
const EVENTS_LOGGED: readonly SkyEventName[] = SKY_EVENT_NAMES;
