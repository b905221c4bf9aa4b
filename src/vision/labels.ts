/**
 * The 80 COCO class names in the order both detectors were trained on (0-based).
 * Spelling follows the Darknet list the models ship with ("aeroplane", "sofa").
 */
export const COCO_LABELS: readonly string[] = [
  'person', 'bicycle', 'car', 'motorbike', 'aeroplane', 'bus', 'train', 'truck', 'boat',
  'traffic light', 'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog',
  'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella',
  'handbag', 'tie', 'suitcase', 'frisbee', 'skis', 'snowboard', 'sports ball', 'kite',
  'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket', 'bottle',
  'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
  'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'sofa', 'pottedplant',
  'bed', 'diningtable', 'toilet', 'tvmonitor', 'laptop', 'mouse', 'remote', 'keyboard',
  'cell phone', 'microwave', 'oven', 'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase',
  'scissors', 'teddy bear', 'hair drier', 'toothbrush',
];

/** Number of classes both detectors score. */
export const COCO_CLASS_COUNT = 80;

/** Class ids that matter for the sky. */
export const COCO_CLASS = { aeroplane: 4, bird: 14, kite: 33 } as const;

/** The label of a class id, or `class <id>` for an id outside the list. */
export function cocoLabel(classId: number): string {
  return COCO_LABELS[classId] ?? `class ${classId}`;
}
