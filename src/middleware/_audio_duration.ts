/**
 * The length of audio in a container (MP4 / M4A / MOV, Ogg Opus or Vorbis, WebM / Matroska),
 * read from its headers a few bytes at a time: a bounded number of reads, none of the whole file.
 * @module
 */

/** A read the parse asks for: `length` bytes from `offset`, answered a character a byte. */
export type AudioRead = [offset: number, length: number];

/** A parse: yields the reads it needs, returns seconds (NaN when unknown). */
export type AudioSteps = Generator<AudioRead, number, string>;

/** The most boxes or elements walked at one level before giving up. */
const MOST_ELEMENTS = 64;

/** The largest Ogg page: a 27-byte header, 255 lacing values, 255 segments of 255 bytes. */
const OGG_PAGE = 27 + 255 + 255 * 255;

/** The most bytes of a Matroska Info element read (its title and app names are short). */
const INFO_WINDOW = 4096;

/** The longest audio believed: 24 hours. */
const DAY = 86_400;

/**
 * The unsigned integer of `n` bytes of `s` from `at`, big-endian (`little`: little-endian); NaN
 * when `s` is cut before its end.
 */
function uint(s: string, at: number, n: number, little = false): number {
  let value = 0;
  for (let i = 0; i < n; i++) value = value * 256 + s.charCodeAt(little ? at + n - 1 - i : at + i);
  return value;
}

/**
 * The first box of `type` among the MP4 boxes from `at` to `end`: its body's offset and its end
 * (a 64-bit `largesize` read; a size of 0 runs to `end`). Undefined when none is there, a box is
 * malformed, or one runs past `end` (a file cut, or `moov` after an `mdat` that is not all there).
 */
function* box(
  type: string,
  at: number,
  end: number,
): Generator<AudioRead, [number, number] | undefined, string> {
  for (let n = 0; n < MOST_ELEMENTS && at < end; n++) {
    const head: string = yield [at, 16];
    let size = uint(head, 0, 4);
    let body = 8;
    if (size === 1) [size, body] = [uint(head, 8, 8), 16];
    else if (size === 0) size = end - at;
    if (!(size >= body) || at + size > end) return undefined;
    if (head.slice(4, 8) === type) return [at + body, at + size];
    at += size;
  }
  return undefined;
}

/** Seconds of an MP4 / M4A / MOV: its `moov` box's `mvhd` duration over its timescale. */
function* mp4(size: number): AudioSteps {
  const moov = yield* box("moov", 0, size);
  const mvhd = moov && (yield* box("mvhd", ...moov));
  if (!mvhd) return NaN;
  // Version 0: 32-bit creation and modification times, timescale, duration; version 1: 64-bit
  // times and duration.
  const s = yield [mvhd[0], 32];
  return s.charCodeAt(0) === 1 ? uint(s, 24, 8) / uint(s, 20, 4) : uint(s, 16, 4) / uint(s, 12, 4);
}

/**
 * Seconds of an Ogg Opus or Vorbis stream: the granule position of its last page (searched
 * backwards in the last {@link OGG_PAGE} bytes, of the first page's stream) over the rate of its
 * identification header (Opus: 48 kHz, less its pre-skip; Vorbis: its sample rate).
 */
function* ogg(size: number): AudioSteps {
  const first = yield [0, 27 + 255 + 16];
  const serial = first.slice(14, 18);
  const id = first.slice(27 + first.charCodeAt(26));
  let rate = NaN;
  let skip = 0;
  if (id.startsWith("OpusHead")) [rate, skip] = [48_000, uint(id, 10, 2, true)];
  else if (id.startsWith("\x01vorbis")) rate = uint(id, 12, 4, true);
  if (!(rate > 0) || serial.length < 4) return NaN;
  const from = Math.max(0, size - OGG_PAGE);
  const tail = yield [from, size - from];
  for (
    let at = tail.lastIndexOf("OggS");
    at >= 0;
    at = at ? tail.lastIndexOf("OggS", at - 1) : -1
  ) {
    // Version 0, the same stream, and a granule position (-1: no packet ends on the page).
    if (tail.charCodeAt(at + 4) || tail.slice(at + 14, at + 18) !== serial) continue;
    const granule = tail.slice(at + 6, at + 14);
    if (granule !== "\xff".repeat(8)) return (uint(granule, 0, 8, true) - skip) / rate;
  }
  return NaN;
}

/**
 * The EBML element whose header starts `s` at `at`: its ID, its header's length and its size
 * (-1 when unknown, all its bits set). Undefined when not a valid header.
 */
function element(s: string, at: number): [number, number, number] | undefined {
  const b = s.charCodeAt(at);
  // A 1- to 4-byte ID (its length marker kept), then a 1- to 8-byte size (its marker dropped).
  const idLength = Math.clz32(b) - 23;
  const sizeAt = at + idLength;
  const c = s.charCodeAt(sizeAt);
  const sizeLength = Math.clz32(c) - 23;
  if (!(idLength <= 4 && sizeLength <= 8)) return undefined;
  const size = (c & 0xff >> sizeLength) * 256 ** (sizeLength - 1) +
    uint(s, sizeAt + 1, sizeLength - 1);
  if (Number.isNaN(size)) return undefined;
  return [
    uint(s, at, idLength),
    idLength + sizeLength,
    size === 2 ** (7 * sizeLength) - 1 ? -1 : size,
  ];
}

/**
 * Seconds of a WebM / Matroska file: its Segment's Info Duration (a 4- or 8-byte float) times
 * its TimecodeScale (1,000,000 ns unless given). NaN without a Duration (a live recording), or
 * when an element of unknown size (a Cluster) comes before Info.
 */
function* webm(size: number): AudioSteps {
  const header = element(yield [0, 12], 0);
  if (header?.[0] !== 0x1a45dfa3 || header[2] < 0) return NaN;
  let at = header[1] + header[2];
  const segment = element(yield [at, 12], 0);
  if (segment?.[0] !== 0x18538067) return NaN;
  at += segment[1];
  const end = segment[2] < 0 ? size : Math.min(size, at + segment[2]);
  for (let n = 0; n < MOST_ELEMENTS && at < end; n++) {
    const child = element(yield [at, 12], 0);
    if (!child) return NaN;
    const [id, length, bytes] = child;
    if (id === 0x1549a966) {
      const info = yield [
        at + length,
        Math.min(bytes < 0 ? end - at - length : bytes, INFO_WINDOW),
      ];
      let scale = 1e6;
      let duration = NaN;
      for (let i = 0, m = 0; m < MOST_ELEMENTS && i < info.length; m++) {
        const e = element(info, i);
        if (!e || e[2] < 0 || i + e[1] + e[2] > info.length) break;
        const [eid, head, n] = e;
        if (eid === 0x2ad7b1) scale = uint(info, i + head, n);
        if (eid === 0x4489 && (n === 4 || n === 8)) {
          const view = new DataView(new ArrayBuffer(8));
          for (let k = 0; k < n; k++) view.setUint8(k, info.charCodeAt(i + head + k));
          duration = n === 4 ? view.getFloat32(0) : view.getFloat64(0);
        }
        i += head + n;
      }
      return duration * scale / 1e9;
    }
    if (bytes < 0) return NaN;
    at += length + bytes;
  }
  return NaN;
}

/**
 * Seconds of the audio in a container of `size` bytes starting with `head` (at least its first
 * 16 bytes, a character a byte): MP4 / M4A / MOV (a first box `ftyp`, `moov`, `mdat`, `wide`,
 * `free` or `skip`), Ogg Opus or Vorbis, WebM / Matroska. NaN for other audio, when its length
 * is not found, or is not above 0 and at most 24 hours.
 */
export function* containerSeconds(size: number, head: string): AudioSteps {
  const seconds = /^[^]{4}(ftyp|moov|mdat|wide|free|skip)/.test(head)
    ? yield* mp4(size)
    : head.startsWith("OggS")
    ? yield* ogg(size)
    : head.startsWith("\x1a\x45\xdf\xa3")
    ? yield* webm(size)
    : NaN;
  return seconds > 0 && seconds <= DAY ? seconds : NaN;
}

/** Runs `steps` with a synchronous `read`. */
export function runSteps(steps: AudioSteps, read: (offset: number, length: number) => string) {
  let step = steps.next("");
  while (!step.done) step = steps.next(read(...step.value));
  return step.value;
}
