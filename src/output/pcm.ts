/** Interleaves planar stereo float samples into little-endian f32 bytes (ffmpeg's f32le). */
export function interleaveF32(left: Float32Array, right: Float32Array): Buffer {
  const interleaved = new Float32Array(left.length * 2);
  for (let i = 0; i < left.length; i++) {
    interleaved[2 * i] = left[i]!;
    interleaved[2 * i + 1] = right[i]!;
  }
  return Buffer.from(interleaved.buffer, interleaved.byteOffset, interleaved.byteLength);
}
