import { z } from 'zod';
import type { SkyEvents } from '../bus/events.js';

/**
 * An adapter for an existing NVR: Frigate publishes each tracked object on `frigate/events`
 * as `{ type: 'new' | 'update' | 'end', before, after }`, where `after` holds the object's
 * `id`, `camera`, `label`, `score`, `frame_time` (epoch seconds) and `box` ([x1, y1, x2, y2]
 * in pixels of the camera's detect resolution). A 'new' bird becomes `bird.seen`, once per
 * tracked bird; updates, ends and other labels are ignored.
 *
 * Known shortcoming: Frigate's message does not carry the frame size, so boxes are turned into
 * fractions with the detect resolution given here (Frigate's `detect.width/height`); a wrong
 * size gives wrong boxes (clamped to the frame). Flocks are not made from Frigate's birds.
 */
export interface FrigateDetectSize {
  width: number;
  height: number;
}

export type FrigateResult =
  | { kind: 'bird'; payload: SkyEvents['bird.seen'] }
  | { kind: 'ignored' }
  | { kind: 'rejected'; reason: string };

/** COCO's bird, as the project's detectors number it. */
const COCO_BIRD = 14;

const trackedObject = z.object({
  id: z.string().min(1).max(200),
  camera: z.string().min(1).max(200),
  label: z.string(),
  score: z.number().min(0).max(1),
  frame_time: z.number().positive().max(1e11),
  box: z.tuple([z.number(), z.number(), z.number(), z.number()]),
});
const frigateEvent = z.object({ type: z.enum(['new', 'update', 'end']), after: z.looseObject({ label: z.string() }) });

/** Turns one `frigate/events` message into a `bird.seen` payload, if it is a new bird. Never throws. */
export function frigateBirdSeen(body: Buffer, size: FrigateDetectSize): FrigateResult {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return { kind: 'rejected', reason: `not JSON (${(error as Error).message})` };
  }

  const event = frigateEvent.safeParse(json);
  if (!event.success) return { kind: 'rejected', reason: firstIssue(event.error) };
  if (event.data.type !== 'new' || event.data.after.label !== 'bird') return { kind: 'ignored' };

  const bird = trackedObject.safeParse(event.data.after);
  if (!bird.success) return { kind: 'rejected', reason: `after.${firstIssue(bird.error)}` };
  const { id, camera, score, frame_time: frameTimeS, box } = bird.data;
  const [x1, y1, x2, y2] = box;

  const left = clamp(Math.min(x1, x2), size.width);
  const right = clamp(Math.max(x1, x2), size.width);
  const top = clamp(Math.min(y1, y2), size.height);
  const bottom = clamp(Math.max(y1, y2), size.height);
  const payload: SkyEvents['bird.seen'] = {
    at: Math.round(frameTimeS * 1000),
    frameId: `frigate:${camera}:${id}`,
    count: 1,
    detections: [{
      label: 'bird',
      classId: COCO_BIRD,
      score,
      box: {
        x: left / size.width,
        y: top / size.height,
        width: (right - left) / size.width,
        height: (bottom - top) / size.height,
      },
    }],
  };
  return { kind: 'bird', payload };
}

/** A pixel coordinate held within 0..extent. */
function clamp(pixels: number, extent: number): number {
  return Math.min(extent, Math.max(0, pixels));
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.map(String).join('.') || '(message)'}: ${issue.message}`;
}
