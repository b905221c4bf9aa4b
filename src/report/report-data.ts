/**
 * What a render report is drawn from: the render log (see README, "The render log") read at
 * the boundary, and the spans of each stem rebuilt from the composer's plan.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';

const planEntrySchema = z.object({
  frame: z.number().int().nonnegative(),
  at: z.string(),
  layer: z.enum(['coarse', 'middle', 'fine']),
  action: z.enum(['start', 'stop']),
  stemId: z.string(),
  voiceId: z.number().int(),
  reason: z.string(),
});

const renderLogSchema = z.object({
  day: z.object({
    place: z.object({ name: z.string().optional(), latitude: z.number(), longitude: z.number(), timezone: z.string() }),
    startAt: z.string(),
    endAt: z.string(),
  }),
  speed: z.number().positive(),
  seed: z.number(),
  sampleRate: z.number().int().positive(),
  audioFrames: z.number().int().nonnegative(),
  events: z.array(z.object({ name: z.string(), at: z.string(), payload: z.record(z.string(), z.unknown()) })),
  plan: z.array(planEntrySchema),
});

export type ReportLog = z.infer<typeof renderLogSchema>;
export type ReportLayer = 'coarse' | 'middle' | 'fine';
export const LAYERS: readonly ReportLayer[] = ['coarse', 'middle', 'fine'];

/** Parses a render log object; a wrong shape is an InputError naming the field. */
export function parseRenderLog(value: unknown, source: string): ReportLog {
  const parsed = renderLogSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`render log "${source}" cannot be reported on: ${issue.path.join('.') || 'top level'}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * One voice of a stem from its start to the start of its fade-out (or to where it ended by
 * itself). Frames are audio frames of the render; instants are sky time, UTC ISO.
 */
export interface StemSpan {
  layer: ReportLayer;
  stemId: string;
  voiceId: number;
  startFrame: number;
  endFrame: number;
  startAt: string;
  endAt: string;
  /** Why the composer started it, in its own words. */
  reason: string;
  /** Why it stopped: the composer's words, "ended" (a one-shot ran out) or "end of the day". */
  endReason: string;
}

/** Length in frames and looping of each stem, where known: a one-shot then ends where its file does. */
export type StemLengths = Record<string, { durationFrames: number; loop: boolean }>;

/** Turns a render's plan into spans, in order of their starts. */
export function spansFromPlan(log: ReportLog, lengths: StemLengths = {}): StemSpan[] {
  const open = new Map<number, Omit<StemSpan, 'endFrame' | 'endAt' | 'endReason'>>();
  const spans: StemSpan[] = [];
  const close = (voice: Omit<StemSpan, 'endFrame' | 'endAt' | 'endReason'>, frame: number, endReason: string) => {
    spans.push({ ...voice, endFrame: frame, endAt: skyIso(log, frame), endReason });
  };

  for (const entry of log.plan) {
    if (entry.action === 'start') {
      open.set(entry.voiceId, {
        layer: entry.layer, stemId: entry.stemId, voiceId: entry.voiceId,
        startFrame: entry.frame, startAt: skyIso(log, entry.frame), reason: entry.reason,
      });
      continue;
    }
    const voice = open.get(entry.voiceId);
    if (!voice) continue; // a stop whose start a bounded plan forgot
    open.delete(entry.voiceId);
    close(voice, Math.min(entry.frame, oneShotEnd(voice, lengths) ?? Infinity), entry.reason);
  }

  for (const voice of open.values()) {
    const end = oneShotEnd(voice, lengths);
    if (end !== undefined && end < log.audioFrames) close(voice, end, 'ended');
    else close(voice, log.audioFrames, 'end of the day');
  }
  return spans.sort((a, b) => a.startFrame - b.startFrame || a.voiceId - b.voiceId);
}

/** Sky instant (epoch ms) of an audio frame: audio time scaled by the speed from the day's start. */
export function skyMsOfFrame(log: ReportLog, frame: number): number {
  return Date.parse(log.day.startAt) + (frame / log.sampleRate) * log.speed * 1000;
}

function skyIso(log: ReportLog, frame: number): string {
  return new Date(Math.round(skyMsOfFrame(log, frame))).toISOString();
}

function oneShotEnd(voice: { stemId: string; startFrame: number }, lengths: StemLengths): number | undefined {
  const length = lengths[voice.stemId];
  return length && !length.loop ? voice.startFrame + length.durationFrames : undefined;
}
