import axios from 'axios';

/** What an HTTP camera URL serves: a multipart MJPEG stream, or one JPEG per request. */
export type HttpCameraKind = 'mjpeg' | 'snapshot';

/**
 * Asks the URL once (a GET whose body is dropped as soon as the headers are in) and reads
 * its Content-Type: `multipart/x-mixed-replace` is an MJPEG stream, `image/*` a snapshot.
 * Rejects with an Error saying what was answered otherwise; the reason may hold the URL
 * only as the caller passes it on, so callers scrub it.
 */
export async function probeHttpCameraKind(url: string, timeoutMs: number, signal?: AbortSignal): Promise<HttpCameraKind> {
  const response = await axios.get(url, {
    responseType: 'stream', timeout: timeoutMs, maxRedirects: 3, signal,
    validateStatus: (status) => status >= 200 && status < 300,
  });
  (response.data as NodeJS.ReadableStream & { destroy(): void }).destroy();

  const contentType = String(response.headers['content-type'] ?? '').toLowerCase();
  if (contentType.startsWith('multipart/x-mixed-replace')) return 'mjpeg';
  if (contentType.startsWith('image/')) return 'snapshot';
  throw new Error(`the camera answers "${contentType || 'no Content-Type'}": neither an MJPEG stream ` +
    '(multipart/x-mixed-replace) nor a snapshot (image/jpeg); set the camera kind explicitly');
}
