/**
 * A stem file's length as its header declares it, read without decoding: WAV (the data
 * chunk's size over the byte rate), FLAC (STREAMINFO's total samples over its sample rate)
 * and Ogg Vorbis or Opus (the last page's granule position over the stream's rate). The
 * stem library uses it to refuse a file too long to decode before decoding it: a 2-hour
 * stereo stem decodes to 2.8 GB of samples and takes seconds of a core.
 *
 * Caveats: a header may be missing or lie (an MP3 has no such field, a FLAC stream may say 0
 * samples, a WAV written while streaming may give no size, a chained Ogg file has several
 * streams and only the last page is read): the answer is then null or wrong, so the decoded
 * length must be checked as well.
 */

/** Seconds the header declares, or null where the format or the header does not tell. */
export function declaredDurationS(bytes: Buffer): number | null {
  const magic = bytes.subarray(0, 4).toString('latin1');
  if (magic === 'RIFF') return wavDurationS(bytes);
  if (magic === 'fLaC') return flacDurationS(bytes);
  if (magic === 'OggS') return oggDurationS(bytes);
  return null;
}

function wavDurationS(bytes: Buffer): number | null {
  if (bytes.subarray(8, 12).toString('latin1') !== 'WAVE') return null;

  let byteRate = 0;
  let dataBytes = 0;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = bytes.subarray(at, at + 4).toString('latin1');
    const size = bytes.readUInt32LE(at + 4);
    if (id === 'fmt ' && at + 16 <= bytes.length) byteRate = bytes.readUInt32LE(at + 16);
    if (id === 'data') dataBytes = size;
    at += 8 + size + (size % 2);
  }

  const unknownSize = dataBytes === 0 || dataBytes === 0xffffffff;
  return byteRate > 0 && !unknownSize ? dataBytes / byteRate : null;
}

/** STREAMINFO is the first metadata block, its fields at fixed places after the 8-byte preamble. */
function flacDurationS(bytes: Buffer): number | null {
  if (bytes.length < 26 || (bytes[4]! & 0x7f) !== 0) return null;

  const sampleRate = (bytes[18]! << 12) | (bytes[19]! << 4) | (bytes[20]! >> 4);
  const totalSamples = (bytes[21]! & 0x0f) * 2 ** 32 + bytes.readUInt32BE(22);
  return sampleRate > 0 && totalSamples > 0 ? totalSamples / sampleRate : null;
}

function oggDurationS(bytes: Buffer): number | null {
  const rate = oggGranuleRate(bytes);
  const lastPage = bytes.lastIndexOf('OggS');
  if (rate === null || lastPage < 0 || lastPage + 14 > bytes.length) return null;

  const granule = bytes.readBigInt64LE(lastPage + 6);
  return granule > 0n ? Number(granule) / rate : null;
}

/** Granule positions count samples at the Vorbis stream's rate, or at 48 kHz for Opus. */
function oggGranuleRate(bytes: Buffer): number | null {
  if (bytes.length < 28) return null;
  const payload = 27 + bytes[26]!;
  if (bytes.subarray(payload, payload + 8).toString('latin1') === 'OpusHead') return 48_000;

  const isVorbis = bytes[payload] === 0x01 && bytes.subarray(payload + 1, payload + 7).toString('latin1') === 'vorbis';
  if (!isVorbis || payload + 16 > bytes.length) return null;
  const rate = bytes.readUInt32LE(payload + 12);
  return rate > 0 ? rate : null;
}
