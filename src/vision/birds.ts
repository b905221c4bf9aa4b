/**
 * The bird-candidate rule. Distant birds come out of the COCO detectors small and
 * often labelled kite or aeroplane, among many false alarms (tree tops, poles, cloud
 * puffs, the sun). A detection counts as a bird candidate when:
 *
 * 1. first look (whole frame): it is labelled bird, kite or aeroplane, scores at least
 *    {@link FIRST_LOOK_SCORE_MIN}, and is small (each side at most a fifth of the frame);
 * 2. its pixels pass {@link isSkySilhouette}: a dark, isolated shape in bright, even sky;
 * 3. second look: a square crop around it, scaled up to the detector's input, again
 *    yields a bird, kite or aeroplane over its centre scoring at least `scoreMin`.
 *
 * Measured on the 2,543 CCSN photographs (224x224) with FastestDet and `scoreMin` 0.5:
 * steps 1-2 keep 39 of about 1,300 first-look candidates; the second look lifts real
 * birds (Ci-N041: 0.31 on the whole frame, 0.70 in the crop) and drops most of what is
 * left (tree tops, poles, balloons), so 19 photographs are flagged: 11 birds or
 * aircraft, 8 false alarms (two flags on a pole, a mountain peak against cloud, an
 * aircraft's wing seen from a window, dark cloud wisps). Known misses: birds of a flock
 * that touch each other or a cloud edge, white aircraft against blue (no silhouette),
 * birds cut by the frame's edge. YOLOX-Nano scores lower (obj x cls) and its second look
 * calls some birds "person": with the same rule it flags only 3 photographs, missing
 * Cc-N062 and Ci-N041; FastestDet is the better bird finder here as well as the faster.
 * The first look is one inference on the whole frame. Adding four overlapping tiles
 * (60% of the frame each, scaled up) flagged 22 more CCSN photographs, about 5 of them
 * real birds and 15 lamps, poles and cloud holes, for five times the cost: not done.
 * Tiny distant birds are better served by motion-region crops from the camera stage.
 */
import type { Detection, FrameBox } from '../bus/events.js';
import { COCO_CLASS } from './labels.js';
import { nonMaxSuppression } from './nms.js';
import { cropBoxToFrame, cropFrame, type PixelRect, type RgbFrame } from './rgb-frame.js';
import { boxToPixels, describeSurroundings, isSkySilhouette } from './sky-ring.js';

/** Anything that finds objects in an RGB frame; the {@link Detector} worker in production. */
export interface FrameDetector {
  detect(rgb: Uint8Array, width: number, height: number): Promise<Detection[]>;
}

export interface BirdRuleOptions {
  /** Second-look score (0..1) a candidate needs; `vision.birdScoreMin` in the config. */
  scoreMin: number;
  /** Most second looks per frame (each is one inference); the best first looks go first. */
  maxSecondLooks?: number;
}

/** Labels that may be a bird: COCO's bird, kite and aeroplane. */
export const BIRD_LIKE_CLASS_IDS: ReadonlySet<number> = new Set([
  COCO_CLASS.bird,
  COCO_CLASS.kite,
  COCO_CLASS.aeroplane,
]);

/** First-look score floor: low, because the second look decides. */
export const FIRST_LOOK_SCORE_MIN = 0.25;

/** Largest side of a candidate's box, as a fraction of the frame's side. */
export const MAX_BOX_SIDE_FRACTION = 0.2;

/** Second-look crop: at least this fraction of the frame's shorter side... */
const CROP_MIN_SIDE_FRACTION = 0.35;
/** ...and at least this many times the box's larger side. */
const CROP_BOX_MULTIPLE = 4;
/** In the crop, the confirming box may be at most this fraction of the crop's side. */
const CONFIRM_MAX_SIDE_FRACTION = 0.5;
/** Slack (fraction of the crop) around the confirming box when testing it covers the centre. */
const CONFIRM_CENTRE_SLACK = 0.05;
const DEFAULT_MAX_SECOND_LOOKS = 3;

/** Steps 1 and 2 of the rule, without the second look (pure, no inference). */
export function firstLookCandidates(
  frame: RgbFrame,
  detections: readonly Detection[],
): Detection[] {
  return detections
    .filter(
      (detection) =>
        BIRD_LIKE_CLASS_IDS.has(detection.classId) &&
        detection.score >= FIRST_LOOK_SCORE_MIN &&
        detection.box.width <= MAX_BOX_SIDE_FRACTION &&
        detection.box.height <= MAX_BOX_SIDE_FRACTION,
    )
    .filter((detection) => isSkySilhouette(describeSurroundings(frame, detection.box)))
    .sort((a, b) => b.score - a.score);
}

/**
 * The bird candidates in a frame, given the whole-frame detections: boxes and scores
 * come from the second look, mapped back to the frame. Costs one inference per
 * first-look candidate (at most `maxSecondLooks`). Rejects if the detector does.
 */
export async function findBirdCandidates(
  frame: RgbFrame,
  detections: readonly Detection[],
  detector: FrameDetector,
  options: BirdRuleOptions,
): Promise<Detection[]> {
  const firstLooks = firstLookCandidates(frame, detections).slice(
    0,
    options.maxSecondLooks ?? DEFAULT_MAX_SECOND_LOOKS,
  );

  const confirmed: Detection[] = [];
  for (const candidate of firstLooks) {
    const second = await secondLook(frame, candidate.box, detector, options.scoreMin);
    if (second) confirmed.push(second);
  }

  return nonMaxSuppression(confirmed, { iouMax: 0.3, classAgnostic: true });
}

/** Runs the detector on a square crop around `box`; the confirming detection or null. */
async function secondLook(
  frame: RgbFrame,
  box: FrameBox,
  detector: FrameDetector,
  scoreMin: number,
): Promise<Detection | null> {
  const rect = secondLookRect(frame, box);
  const crop = cropFrame(frame, rect);
  const found = await detector.detect(crop.rgb, crop.width, crop.height);

  const side = rect.right - rect.left;
  const centreX = ((box.x + box.width / 2) * frame.width - rect.left) / side;
  const centreY = ((box.y + box.height / 2) * frame.height - rect.top) / side;
  const best = found
    .filter(
      (detection) =>
        BIRD_LIKE_CLASS_IDS.has(detection.classId) &&
        detection.score >= scoreMin &&
        Math.max(detection.box.width, detection.box.height) <= CONFIRM_MAX_SIDE_FRACTION &&
        covers(detection.box, centreX, centreY, CONFIRM_CENTRE_SLACK),
    )
    .sort((a, b) => b.score - a.score)[0];
  if (!best) return null;

  return { ...best, box: cropBoxToFrame(best.box, rect, frame) };
}

/** A square around the box's centre, clipped inside the frame (shifted, not shrunk). */
export function secondLookRect(frame: RgbFrame, box: FrameBox): PixelRect {
  const pixels = boxToPixels(frame, box);
  const boxSide = Math.max(pixels.right - pixels.left, pixels.bottom - pixels.top);
  const shorter = Math.min(frame.width, frame.height);
  const side = Math.min(
    shorter,
    Math.round(Math.max(CROP_MIN_SIDE_FRACTION * shorter, CROP_BOX_MULTIPLE * boxSide)),
  );

  const centreX = (pixels.left + pixels.right) / 2;
  const centreY = (pixels.top + pixels.bottom) / 2;
  const left = Math.round(Math.min(Math.max(0, centreX - side / 2), frame.width - side));
  const top = Math.round(Math.min(Math.max(0, centreY - side / 2), frame.height - side));
  return { left, top, right: left + side, bottom: top + side };
}

function covers(box: FrameBox, x: number, y: number, slack: number): boolean {
  return (
    x >= box.x - slack &&
    x <= box.x + box.width + slack &&
    y >= box.y - slack &&
    y <= box.y + box.height + slack
  );
}
