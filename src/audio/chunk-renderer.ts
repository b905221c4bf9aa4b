import { OfflineAudioContext } from 'node-web-audio-api';
import { envelopeGainAt, envelopePoints } from './envelope.js';
import { MasterLimiter } from './master-limiter.js';
import { voiceEndFrame, type Voice } from './plan.js';

/** What the renderer needs of a stem: its audio and whether it loops over the whole file. */
export interface RenderableStem {
  buffer: AudioBuffer;
  loop: boolean;
  /** Linear playback gain of the stem: its loudness normalisation times the manifest trim. */
  trim: number;
}

export interface ChunkRendererOptions {
  sampleRate: number;
  /** Linear gain of the master bus. */
  masterGain: number;
  /**
   * Ceiling of the limiter after the master gain, in dBFS (sample peak); default -1
   * (`DEFAULT_LIMITER_CEILING_DB`); null for none.
   */
  limiterCeilingDb?: number | null;
  /** Finds a stem by id; a voice whose stem is missing is skipped (the caller logs it). */
  stem: (id: string) => RenderableStem | undefined;
}

/** One rendered chunk: planar stereo samples. */
export interface RenderedChunk {
  startFrame: number;
  left: Float32Array;
  right: Float32Array;
}

/** The master limiter's ceiling when the options name none (dBFS, sample peak). */
export const DEFAULT_LIMITER_CEILING_DB = -1;

/**
 * Renders any span of a plan offline with node-web-audio-api. Each chunk is a fresh
 * OfflineAudioContext in which every voice that sounds in the span is started at its
 * absolute position (loops wrapped) with its envelope cut to the span, so consecutive
 * chunks join into the same samples as one long render; memory is bounded by the chunk.
 *
 * The master bus ends in a look-ahead peak limiter (master-limiter.ts) run on the rendered
 * samples: each chunk is rendered with the limiter's look-ahead (1.5 ms) past its end, and
 * the limiter's gain is carried from one chunk to the next, so chunks rendered in order
 * join into the same samples as one long render, limiter included.
 *
 * Caveat: the graph holds no state that outlives a chunk (no reverb, no filters); an
 * effect with a tail needs a pre-roll longer than the tail before it can be added here.
 */
export class ChunkRenderer {
  private readonly limiter: MasterLimiter | null;

  constructor(private readonly options: ChunkRendererOptions) {
    const ceilingDb = options.limiterCeilingDb === undefined ? DEFAULT_LIMITER_CEILING_DB : options.limiterCeilingDb;
    this.limiter = ceilingDb === null ? null : new MasterLimiter(ceilingDb, options.sampleRate);
  }

  async render(startFrame: number, frames: number, voices: readonly Voice[]): Promise<RenderedChunk> {
    const { sampleRate } = this.options;
    const renderedFrames = frames + (this.limiter?.lookAhead ?? 0);
    const context = new OfflineAudioContext({ numberOfChannels: 2, length: renderedFrames, sampleRate });

    const master = context.createGain();
    master.gain.value = this.options.masterGain;
    master.connect(context.destination);

    for (const voice of voices) {
      if (!sounds(voice, startFrame, renderedFrames)) continue;
      const stem = this.options.stem(voice.stemId);
      if (stem) this.addVoice(context, master, voice, stem, startFrame, renderedFrames);
    }

    const rendered = await context.startRendering();
    const left = rendered.getChannelData(0);
    const right = rendered.getChannelData(1);
    if (!this.limiter) return { startFrame, left, right };

    this.limiter.process(startFrame, frames, left, right);
    return { startFrame, left: left.slice(0, frames), right: right.slice(0, frames) };
  }

  private addVoice(
    context: OfflineAudioContext,
    master: GainNode,
    voice: Voice,
    stem: RenderableStem,
    chunkStart: number,
    chunkFrames: number,
  ): void {
    const { sampleRate } = this.options;
    const stemFrames = stem.buffer.length;

    const elapsed = chunkStart - voice.startFrame;
    if (!stem.loop && elapsed >= stemFrames) return;

    const source = context.createBufferSource();
    source.buffer = stem.buffer;
    source.loop = stem.loop;

    const gain = context.createGain();
    this.automate(gain.gain, voice, stem.trim, chunkStart, chunkFrames);

    const panner = context.createStereoPanner();
    panner.pan.value = voice.pan;

    source.connect(gain).connect(panner).connect(master);

    if (elapsed >= 0) {
      const offsetFrames = stem.loop ? elapsed % stemFrames : elapsed;
      source.start(0, offsetFrames / sampleRate);
    } else {
      source.start(-elapsed / sampleRate, 0);
    }

    const end = voiceEndFrame(voice);
    if (end !== null && end - chunkStart < chunkFrames) source.stop((end - chunkStart) / sampleRate);
  }

  /** Writes the part of the voice's envelope that falls in this chunk, in chunk time. */
  private automate(param: AudioParam, voice: Voice, trim: number, chunkStart: number, chunkFrames: number): void {
    const { sampleRate } = this.options;
    const points = envelopePoints(voice);

    param.setValueAtTime(envelopeGainAt(points, chunkStart) * trim, 0);
    for (const point of points) {
      if (point.frame <= chunkStart) continue;
      param.linearRampToValueAtTime(point.gain * trim, (point.frame - chunkStart) / sampleRate);
      if (point.frame >= chunkStart + chunkFrames) break;
    }
  }
}

/** Whether any part of the voice is audible in [startFrame, startFrame + frames). */
function sounds(voice: Voice, startFrame: number, frames: number): boolean {
  const end = voiceEndFrame(voice);
  return voice.startFrame < startFrame + frames && (end === null || end > startFrame);
}
