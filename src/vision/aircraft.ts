/**
 * Aircraft apart from birds. The COCO detectors call most distant birds "aeroplane" too
 * (all four birds of the CCSN photographs come out so on their second look), so the
 * label alone cannot tell them apart. An aircraft here is what the bird rule does not
 * take: an aeroplane-labelled detection scoring at least {@link AIRCRAFT_SCORE_MIN} that
 * is not a bird candidate, because it is too large for a distant bird or is not a dark
 * silhouette (a white airliner against blue sky).
 *
 * Caveat: a distant aircraft seen as a small dark silhouette is counted as a bird; one
 * photograph in CCSN (Cc-N062) is a bird or an aircraft and nobody can tell which.
 */
import type { Detection } from '../bus/events.js';
import { COCO_CLASS } from './labels.js';
import { intersectionOverUnion } from './nms.js';

/** Least whole-frame score for an aeroplane to count as an aircraft. */
export const AIRCRAFT_SCORE_MIN = 0.6;

/** Largest side of an aircraft's box, as a fraction of the frame: more is the detector seeing shapes in cloud. */
const AIRCRAFT_MAX_SIDE_FRACTION = 0.6;

/** The whole-frame detections that are aircraft, given the frame's bird candidates. */
export function aircraftAmong(detections: readonly Detection[], birds: readonly Detection[]): Detection[] {
  return detections.filter(
    (detection) =>
      detection.classId === COCO_CLASS.aeroplane &&
      detection.score >= AIRCRAFT_SCORE_MIN &&
      Math.max(detection.box.width, detection.box.height) <= AIRCRAFT_MAX_SIDE_FRACTION &&
      birds.every((bird) => intersectionOverUnion(bird.box, detection.box) === 0),
  );
}
