import type { AudioBuffer } from 'node-web-audio-api';
import { envelopePoints, LevelPathReader, type EnvelopePoint } from './envelope.js';
import { stemChannels } from './stem-channels.js';
import { LoudnessFollower } from './loudness-follower.js';
import { MasterLimiter } from './master-limiter.js';
import { Reverb } from './reverb.js';
import { voiceEndFrame, type Voice } from './plan.js';
import { PanGrid } from './pan-grid.js';
import { PAN_GRID_FRAMES, panGains, panMoves } from './pan-path.js';

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
  /**
   * Loudness the master bus is held at by the slow loudness follower (loudness-follower.ts),
   * LUFS, measured where the follower sits: after the voices and the master gain, before
   * the limiter. Null or absent: no follower.
   */
  loudnessTargetLufs?: number | null;
  /** Whether the master bus has the room reverb (reverb.ts), its wet level given per chunk. */
  reverb?: boolean;
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
 * Renders any span of a plan: every voice that sounds in the span is its stem read from its
 * absolute position (loops wrapped), times its gain envelope, placed by an equal-power
 * stereo pan (the Web Audio StereoPannerNode's law for a stereo input; a moving pan by
 * frame, pan-grid.ts), summed on the master bus. Each output sample depends only on its
 * frame, so consecutive chunks join into the same samples as one long render; memory is
 * bounded by the chunk.
 *
 * The mix is computed here rather than in a node-web-audio-api OfflineAudioContext per
 * chunk: with node-web-audio-api 2.2.0 on Node 20 no such context is ever freed (about
 * 2 KiB of JS heap, held through its statechange callback, and 4-5 KiB of native memory
 * each, measured by bench/context-probe.ts), and the live mix makes two a second, close to
 * a gigabyte a day. What a chunk needs (looped reads, linear ramps, a pan) is a few
 * multiply-adds per sample.
 *
 * The master bus may hold a slow loudness follower (loudness-follower.ts), carried from
 * chunk to chunk the same way, and ends in a look-ahead peak limiter (master-limiter.ts): each chunk is
 * rendered with the limiter's look-ahead (1.5 ms) past its end, and the limiter's gain is
 * carried from one chunk to the next, so chunks rendered in order join into the same
 * samples as one long render, limiter included.
 *
 * The room reverb (reverb.ts) sits after the voices and before the follower, with its state
 * carried from chunk to chunk in the same way: chunks must come in order.
 */
export class ChunkRenderer {
  private readonly limiter: MasterLimiter | null;
  private readonly follower: LoudnessFollower | null;
  private readonly reverb: Reverb | null;

  constructor(private readonly options: ChunkRendererOptions) {
    const ceilingDb = options.limiterCeilingDb === undefined ? DEFAULT_LIMITER_CEILING_DB : options.limiterCeilingDb;
    this.limiter = ceilingDb === null ? null : new MasterLimiter(ceilingDb, options.sampleRate);
    const target = options.loudnessTargetLufs;
    this.follower = target === undefined || target === null ? null : new LoudnessFollower(target, options.sampleRate);
    this.reverb = options.reverb ? new Reverb(options.sampleRate) : null;
  }

  /**
   * Renders `frames` frames of the plan from absolute frame `startFrame`; `reverbLevels` is
   * the reverb's wet level path over absolute frames (reverb-plan.ts), dry when absent.
   */
  async render(startFrame: number, frames: number, voices: readonly Voice[], reverbLevels: readonly EnvelopePoint[] = []): Promise<RenderedChunk> {
    const renderedFrames = frames + (this.limiter?.lookAhead ?? 0);
    const left = new Float32Array(renderedFrames);
    const right = new Float32Array(renderedFrames);

    for (const voice of voices) {
      if (!sounds(voice, startFrame, renderedFrames)) continue;
      const stem = this.options.stem(voice.stemId);
      if (stem) this.addVoice(left, right, voice, stem, startFrame);
    }

    if (this.reverb) {
      this.reverb.process(startFrame, frames, left, right, reverbLevels);
      if (renderedFrames > frames) this.reverb.preview(startFrame, frames, renderedFrames, left, right, reverbLevels);
    }

    this.follower?.process(startFrame, frames, left, right, renderedFrames - frames);
    if (!this.limiter) return { startFrame, left, right };
    this.limiter.process(startFrame, frames, left, right);
    return { startFrame, left: left.slice(0, frames), right: right.slice(0, frames) };
  }

  /** Adds one voice into the chunk's buffers, which start at absolute frame `chunkStart`. */
  private addVoice(left: Float32Array, right: Float32Array, voice: Voice, stem: RenderableStem, chunkStart: number): void {
    const [stemLeft, stemRight] = stemChannels(stem.buffer);
    const stemFrames = stemLeft.length;
    if (stemFrames === 0) return;

    const from = Math.max(0, voice.startFrame - chunkStart);
    const end = voiceEndFrame(voice);
    const to = Math.min(left.length, end === null ? left.length : end - chunkStart, stem.loop ? left.length : voice.startFrame + stemFrames - chunkStart);
    if (to <= from) return;

    const scale = stem.trim * this.options.masterGain;
    const envelope = new LevelPathReader(envelopePoints(voice));
    let position = (chunkStart + from - voice.startFrame) % stemFrames;

    if (panMoves(voice)) {
      const grid = new PanGrid(voice);
      for (let i = from; i < to; ) {
        const cell = grid.cellAt(chunkStart + i);
        const cellEnd = Math.min(to, cell.cellStart + PAN_GRID_FRAMES - chunkStart);
        for (; i < cellEnd; i++) {
          const frame = chunkStart + i;
          const k = frame - cell.cellStart;
          const gain = envelope.at(frame) * scale;
          const inLeft = stemLeft[position]! * gain;
          const inRight = stemRight[position]! * gain;
          left[i]! += inLeft * (cell.leftFromLeft + cell.leftFromLeftSlope * k) + inRight * (cell.leftFromRight + cell.leftFromRightSlope * k);
          right[i]! += inRight * (cell.rightFromRight + cell.rightFromRightSlope * k) + inLeft * (cell.rightFromLeft + cell.rightFromLeftSlope * k);
          if (++position === stemFrames) position = 0;
        }
      }
      return;
    }

    const pan = panGains(voice.pan);
    for (let i = from; i < to; i++) {
      const gain = envelope.at(chunkStart + i) * scale;
      const inLeft = stemLeft[position]! * gain;
      const inRight = stemRight[position]! * gain;
      left[i]! += inLeft * pan.leftFromLeft + inRight * pan.leftFromRight;
      right[i]! += inRight * pan.rightFromRight + inLeft * pan.rightFromLeft;
      if (++position === stemFrames) position = 0;
    }
  }
}

/** Whether any part of the voice is audible in [startFrame, startFrame + frames). */
function sounds(voice: Voice, startFrame: number, frames: number): boolean {
  const end = voiceEndFrame(voice);
  return voice.startFrame < startFrame + frames && (end === null || end > startFrame);
}

