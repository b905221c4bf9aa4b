import { AudioContext } from 'node-web-audio-api';
import type { Logger } from 'pino';
import { InputError } from '../errors.js';
import type { AudioOutput, OutputHealth } from './audio-output.js';

export interface DeviceOptions {
  /** Hz of the PCM written; the context runs at this rate (no resampling). */
  sampleRate: number;
  log: Logger;
  /** The sound card: undefined for the system default, a device id, or { type: 'none' } (no device: tests). */
  sinkId?: string | { type: 'none' };
  /** Chunks that would start more than this far ahead of the card are dropped (s); bounds memory. */
  maxAheadS?: number;
  /** A chunk that arrives late starts this far after the card's current time (s). */
  lateMarginS?: number;
}

/** One scheduled chunk, in the context's time (s). */
export interface ScheduledChunk {
  startS: number;
  durationS: number;
}

const KEPT_SCHEDULE = 64;

/**
 * Plays the mix on the local sound card (node-web-audio-api). Each chunk becomes an
 * AudioBuffer played by its own source node, scheduled to start exactly where the previous
 * one ends, so chunks join without a gap. A chunk that arrives after its start time (the
 * mix fell behind the card) starts `lateMarginS` from now and the gap is counted. Each node
 * is disconnected when it ends, so nodes never pile up (case A4).
 */
export class DeviceOutput implements AudioOutput {
  readonly name = 'device';
  private context: AudioContext | null = null;
  private nextStartS = 0;
  private state: OutputHealth['state'] = 'stopped';
  private detail: string | undefined;
  private readonly log: Logger;
  /** The latest scheduled chunks, oldest first (at most 64). */
  readonly schedule: ScheduledChunk[] = [];
  /** Times a chunk could not start where the previous one ended (a gap was heard). */
  gaps = 0;
  /** Chunks dropped because too much was queued already. */
  droppedChunks = 0;
  /** Source nodes scheduled or playing, not yet ended. */
  activeNodes = 0;
  endedNodes = 0;

  constructor(private readonly options: DeviceOptions) {
    this.log = options.log.child({ component: 'device' });
  }

  /** Opens the sound card; an InputError "no sound card: ..." when there is none. */
  async start(): Promise<void> {
    const { sampleRate, sinkId } = this.options;
    try {
      this.context = new AudioContext({ latencyHint: 'playback', sampleRate, ...(sinkId !== undefined ? { sinkId } : {}) });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.state = 'failed';
      this.detail = `no sound card: ${why}`;
      throw new InputError(`no sound card: ${why} (output.device)`);
    }

    this.nextStartS = 0;
    this.state = 'running';
    this.log.info({ sampleRate: this.context.sampleRate, sink: typeof sinkId === 'object' ? 'none' : (sinkId ?? 'default') }, 'playing on the sound card');
  }

  write(pcm: Buffer): void {
    const context = this.context;
    if (!context || pcm.length < 8) return;

    const buffer = toAudioBuffer(context, pcm, this.options.sampleRate);
    const nowS = context.currentTime;
    const marginS = this.options.lateMarginS ?? 0.05;
    if (this.nextStartS < nowS + 0.005) {
      if (this.nextStartS > 0) this.countGap(nowS - this.nextStartS);
      this.nextStartS = nowS + marginS;
    }
    if (this.nextStartS - nowS > (this.options.maxAheadS ?? 10)) {
      this.droppedChunks += 1;
      return;
    }

    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    source.onended = () => {
      source.disconnect();
      this.activeNodes -= 1;
      this.endedNodes += 1;
    };
    source.start(this.nextStartS);
    this.activeNodes += 1;

    this.schedule.push({ startS: this.nextStartS, durationS: buffer.duration });
    if (this.schedule.length > KEPT_SCHEDULE) this.schedule.shift();
    this.nextStartS += buffer.duration;
  }

  async stop(): Promise<void> {
    const context = this.context;
    this.context = null;
    if (context) await context.close();
    if (this.state !== 'failed') this.state = 'stopped';
  }

  health(): OutputHealth {
    const detail = this.detail ?? (this.gaps || this.droppedChunks ? `${this.gaps} gaps, ${this.droppedChunks} chunks dropped` : undefined);
    return { name: this.name, state: this.state, detail, restarts: 0 };
  }

  private countGap(lateS: number): void {
    this.gaps += 1;
    this.log.debug({ lateMs: Math.round(lateS * 1000), gaps: this.gaps }, 'chunk arrived late; gap');
  }
}

/** Interleaved f32le stereo into a two-channel AudioBuffer. */
function toAudioBuffer(context: AudioContext, pcm: Buffer, sampleRate: number): AudioBuffer {
  const aligned = pcm.byteOffset % 4 === 0 ? pcm : Buffer.from(pcm);
  const samples = new Float32Array(aligned.buffer, aligned.byteOffset, Math.floor(aligned.length / 4));
  const frames = samples.length >> 1;
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = samples[2 * i] as number;
    right[i] = samples[2 * i + 1] as number;
  }

  const buffer = context.createBuffer(2, frames, sampleRate);
  buffer.copyToChannel(left, 0);
  buffer.copyToChannel(right, 1);
  return buffer;
}
