/**
 * The live mix: renders the composer's plan chunk by chunk with the same renderer as an
 * offline render, paced to stay a little ahead of real time, and hands every chunk to every
 * output. It never falls silent: with no stem loaded, or when the mix has been silent for
 * `silentAfterS` although it should sound, the safe bed fades in until the stems sound
 * again. The stems pass the renderer's slow loudness follower, as offline, before the master
 * gain. Master gain changes and the final fade-out are ramps, never steps. The master
 * limiter comes after the gain and the bed, so nothing handed out exceeds its ceiling; it
 * delays the stream by its look-ahead (1.5 ms).
 */
import type { Logger } from 'pino';
import { ChunkRenderer } from '../audio/chunk-renderer.js';
import { SafeBed } from '../audio/safe-bed.js';
import { StreamLimiter } from '../audio/stream-limiter.js';
import type { StemLibrary } from '../audio/stem-library.js';
import type { Composer } from '../composer/composer.js';
import type { AudioOutput } from '../output/audio-output.js';
import { interleaveF32 } from '../output/pcm.js';
import type { Clock } from '../time/clock.js';
import { Pacer } from '../time/pacer.js';
import { LevelRamp } from './level-ramp.js';

export interface LiveMixOptions {
  composer: Composer;
  /** The stems; an empty library plays the safe bed alone. */
  stems: StemLibrary | null;
  clock: Clock;
  log: Logger;
  outputs: readonly AudioOutput[];
  sampleRate: number;
  masterGainDb: number;
  /**
   * Loudness the mix is held at after the master gain, LUFS (config audio.targetLufs). The
   * renderer's loudness follower, the same stage as an offline render's, holds the stems at
   * `targetLufs - masterGainDb` before the gain, so a master gain set live still moves the level.
   */
  targetLufs: number;
  /** Ceiling of the master limiter, the last stage before the outputs, in dBFS (sample peak). */
  limiterCeilingDb: number;
  /** Audio seconds per chunk (0.5 answers events sooner; longer costs less). */
  chunkS: number;
  /** Audio seconds rendered ahead of real time. */
  leadS: number;
  /** A mix this long below the silence level brings in the safe bed. Default 10 s. */
  silentAfterS?: number;
  /** Told after each chunk: its length, how long it took to render, and how far the audio is ahead of real time, seconds. */
  onChunk?: (audioS: number, renderS: number, leadS: number) => void;
}

/** Peak below which a chunk counts as silent (-80 dBFS). */
const SILENCE_PEAK = 1e-4;

export class LiveMix {
  private readonly renderer: ChunkRenderer;
  private readonly bed: SafeBed;
  private readonly level: LevelRamp;
  private readonly limiter: StreamLimiter;
  private readonly log: Logger;
  private rendered = 0;
  private silentFrames = 0;
  private renderFailures = 0;
  private stopping: { fadeS: number; done: () => void } | null = null;

  constructor(private readonly options: LiveMixOptions) {
    this.log = options.log.child({ component: 'mix' });
    this.bed = new SafeBed(options.sampleRate);
    this.level = new LevelRamp(options.sampleRate, 10 ** (options.masterGainDb / 20));
    this.limiter = new StreamLimiter(options.limiterCeilingDb, options.sampleRate);
    const stems = options.stems;
    this.renderer = new ChunkRenderer({
      sampleRate: options.sampleRate,
      masterGain: 1,
      limiterCeilingDb: null,
      loudnessTargetLufs: options.targetLufs - options.masterGainDb,
      reverb: true,
      stem: (id) => {
        const stem = stems?.get(id);
        return stem && { buffer: stem.buffer, loop: stem.info.loop, trim: stem.gain };
      },
    });
    if (!stems || stems.all().length === 0) {
      this.log.warn('no stem could be loaded: the safe bed plays');
      this.bed.set(true);
    }
  }

  /** Audio frames handed to the outputs so far. */
  get renderedFrames(): number {
    return this.rendered;
  }

  /** Whether the safe bed is sounding. */
  get bedPlaying(): boolean {
    return this.bed.audible;
  }

  /** Sets the master gain, ramped over 0.2 s. */
  setMasterGainDb(db: number): void {
    this.level.rampTo(10 ** (db / 20), 0.2);
    this.log.info({ db }, 'master gain set');
  }

  /** Renders and hands out chunks until {@link fadeOut} has faded to silence. */
  async run(): Promise<void> {
    const { composer, sampleRate } = this.options;
    const chunkFrames = Math.round(this.options.chunkS * sampleRate);
    const pacer = new Pacer({ leadMs: this.options.leadS * 1000 });

    for (;;) {
      await pacer.waitFor((this.rendered / sampleRate) * 1000);
      const started = performance.now();

      composer.update(this.options.clock.now());
      const chunk = await this.renderChunk(chunkFrames);
      composer.prune(this.rendered);
      composer.holdFrom(this.rendered + chunkFrames);

      this.watchSilence(chunk.left, chunk.right);
      this.bed.mixInto(chunk.left, chunk.right);
      this.level.apply(chunk.left, chunk.right);
      const limited = this.limiter.process(chunk.left, chunk.right);

      const pcm = interleaveF32(limited.left, limited.right);
      for (const output of this.options.outputs) output.write(pcm);
      this.rendered += chunkFrames;
      const leadS = pacer.aheadMs((this.rendered / sampleRate) * 1000) / 1000;
      this.options.onChunk?.(chunkFrames / sampleRate, (performance.now() - started) / 1000, leadS);

      if (this.stopping && this.level.silent) {
        this.stopping.done();
        return;
      }
    }
  }

  /**
   * The stems' chunk, or silence with the safe bed called in when the renderer fails (a
   * stem's buffer gone bad, the audio library throwing): the outputs never miss a chunk.
   */
  private async renderChunk(frames: number): Promise<{ left: Float32Array; right: Float32Array }> {
    try {
      const { composer } = this.options;
      const chunk = await this.renderer.render(this.rendered, frames, composer.voicesIn(this.rendered, frames), composer.reverb.pointsFrom(this.rendered));
      this.renderFailures = 0;
      return chunk;
    } catch (error) {
      if (this.renderFailures++ === 0) this.log.error({ err: error }, 'rendering the stems failed: the safe bed plays until it works again');
      this.bed.set(true);
      this.silentFrames = Number.POSITIVE_INFINITY;
      return { left: new Float32Array(frames), right: new Float32Array(frames) };
    }
  }

  /** Fades the mix out over `fadeS` and resolves once the silent end has been handed out. */
  fadeOut(fadeS: number): Promise<void> {
    this.log.info({ fadeS }, 'fading out');
    return new Promise((resolve) => {
      this.stopping = { fadeS, done: resolve };
      this.level.rampTo(0, fadeS);
    });
  }

  /** Tracks the stems' own level; a long silence brings in the bed, sound sends it away. */
  private watchSilence(left: Float32Array, right: Float32Array): void {
    if (!this.options.stems || this.options.stems.all().length === 0) return;

    let peak = 0;
    for (let i = 0; i < left.length; i++) peak = Math.max(peak, Math.abs(left[i]!), Math.abs(right[i]!));
    const silentLimit = (this.options.silentAfterS ?? 10) * this.options.sampleRate;

    if (peak >= SILENCE_PEAK) {
      if (this.bed.audible && this.silentFrames >= silentLimit) this.log.info('the stems sound again: safe bed fading out');
      this.silentFrames = 0;
      this.bed.set(false);
      return;
    }

    this.silentFrames += left.length;
    if (this.silentFrames >= silentLimit && !this.bed.audible) {
      this.log.warn({ silentS: this.silentFrames / this.options.sampleRate }, 'the mix fell silent: safe bed fading in');
      this.bed.set(true);
    }
  }
}
