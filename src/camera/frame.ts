/**
 * One still from the sky camera, as every frame source hands it to vision: a recorded
 * day's JPEG or a snapshot's, or raw RGB from the ffmpeg readers of RTSP, MJPEG and
 * video files. Vision decodes both alike and never knows where a frame came from.
 */
export type CameraFrame = EncodedCameraFrame | RawCameraFrame;

interface FrameIdentity {
  /** Names the frame in events and logs (a recorded day's file path, a live sequence id). */
  id: string;
  /** Capture instant, epoch ms; carried into every event about the frame. */
  at: number;
}

export interface EncodedCameraFrame extends FrameIdentity {
  /** The encoded image, JPEG (or anything sharp decodes). */
  jpeg: Buffer;
  rgb?: never;
}

export interface RawCameraFrame extends FrameIdentity {
  /** The decoded picture, exactly as the source delivered it. */
  rgb: RgbImage;
  jpeg?: never;
}

/** A decoded image: interleaved 8-bit RGB, row-major, top-left first, no padding. */
export interface RgbImage {
  rgb: Uint8Array;
  width: number;
  height: number;
}
