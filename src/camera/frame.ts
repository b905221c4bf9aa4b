/**
 * One still from the sky camera, as every frame source hands it to vision: a recorded
 * day's JPEG today; the live sources (RTSP, MJPEG and file readers through ffmpeg, HTTP
 * snapshots) are to deliver the same shape, so vision never knows where a frame came from.
 */
export interface CameraFrame {
  /** Names the frame in events and logs (a recorded day's file path, a live sequence id). */
  id: string;
  /** Capture instant, epoch ms; carried into every event about the frame. */
  at: number;
  /** The encoded image, JPEG (or anything sharp decodes). */
  jpeg: Buffer;
}
