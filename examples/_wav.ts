// A WAV file for the audio examples, so they upload what a real service accepts.

/** `seconds` of silence as a WAV file: 16 kHz, 16-bit mono PCM after a 44-byte header. */
export function silentWav(seconds: number): Uint8Array<ArrayBuffer> {
  const dataBytes = seconds * 32_000;
  const wav = new Uint8Array(44 + dataBytes);
  const view = new DataView(wav.buffer);
  const ascii = (at: number, text: string) =>
    [...text].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  ascii(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVEfmt ");
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, 16_000, true); // sample rate
  view.setUint32(28, 32_000, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);
  return wav;
}
