/**
 * Birds in motion crops: the detector looks at each crop (scaled up to its input by the
 * detector itself), and bird-like detections over a score are kept, mapped back to the
 * frame, and de-duplicated across overlapping crops. Distant birds a few pixels wide,
 * which the whole-frame look misses, come out of a crop a few times larger.
 *
 * Measured (test/vision/flock-scene.test.ts): five real birds cut from CCSN photographs
 * (about 10 px long) crossing a 672 px sky over eight frames: motion gave 3-4 regions
 * (close birds merge) and 2-3 crops a frame, and this look found 4 or 5 of the 5 birds in
 * every frame (scores 0.6-0.9; two or three of them labelled aeroplane), nothing in the
 * empty frames. The whole-frame rule of birds.ts, with up to ten second looks, found 0 or
 * 1 of them in the same frames (at 224 px, where the birds are three times larger relative
 * to the frame, it finds all five). Caveat: no pixel rule is applied here, so a moving
 * non-bird the detector calls bird, kite or aeroplane (a kite, a balloon, a drone) counts;
 * telling aircraft from birds is left to the caller (small aeroplane-labelled silhouettes
 * are mostly birds).
 */
import type { Detection } from '../bus/events.js';
import { BIRD_LIKE_CLASS_IDS, type FrameDetector } from './birds.js';
import { nonMaxSuppression } from './nms.js';
import { cropBoxToFrame, cropFrame, type PixelRect, type RgbFrame } from './rgb-frame.js';

export interface CropLookOptions {
  /** Score (0..1) a bird-like detection in a crop needs; `vision.birdScoreMin`. */
  scoreMin: number;
}

/** In a crop, a bird's box may be at most this fraction of the crop's side (else it is cloud). */
const MAX_SIDE_IN_CROP = 0.5;

/**
 * The bird-like detections (bird, kite, aeroplane) in the crops, boxes as frame fractions,
 * best first. One inference per crop, in order. Rejects if the detector does.
 */
export async function findBirdsInCrops(
  frame: RgbFrame,
  crops: readonly PixelRect[],
  detector: FrameDetector,
  options: CropLookOptions,
): Promise<Detection[]> {
  const found: Detection[] = [];

  for (const rect of crops) {
    const crop = cropFrame(frame, rect);
    const detections = await detector.detect(crop.rgb, crop.width, crop.height);
    for (const detection of detections) {
      const { box } = detection;
      const birdLike = BIRD_LIKE_CLASS_IDS.has(detection.classId) && detection.score >= options.scoreMin;
      if (!birdLike || Math.max(box.width, box.height) > MAX_SIDE_IN_CROP) continue;
      found.push({ ...detection, box: cropBoxToFrame(box, rect, frame) });
    }
  }

  return nonMaxSuppression(found, { iouMax: 0.3, classAgnostic: true });
}
