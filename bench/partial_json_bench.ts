/**
 * The partial-JSON parse `chat.completions.stream()` runs on every chunk of a structured answer
 * (a `zodResponseFormat()` format, strict tools): every prefix of a ~19 KB JSON text cut in
 * ~1,870 pieces, through ours (`src/streaming/partial_json.ts`) and the openai SDK's vendored
 * parser, which its `stream()` runs the same way: re-reading the text so far on each chunk (cost
 * growing with the square of the answer's length), and ours reading on from where the last prefix
 * stopped (as our `stream()` does), which leaves one `JSON.parse()` of the mended text per chunk
 * (each chunk's value is new objects, as the SDK's).
 *
 * Run: `deno bench -A bench/partial_json_bench.ts`
 *
 * @module
 */
import { partialParse } from "../src/streaming/partial_json.ts";
import { partialParse as sdkPartialParse } from "openai/_vendor/partial-json-parser/parser";

const TEXT = JSON.stringify({
  items: Array.from({ length: 300 }, (_, i) => ({
    id: i,
    name: `item number ${i}`,
    tags: ["a", "b"],
    ok: true,
  })),
});
const STEP = Math.ceil(TEXT.length / 2000);
const PREFIXES: string[] = [];
for (let i = STEP; i <= TEXT.length; i += STEP) PREFIXES.push(TEXT.slice(0, i));
PREFIXES.push(TEXT);

// Both read the whole text the same way before anything is timed.
for (const parse of [partialParse, sdkPartialParse]) {
  if (JSON.stringify(parse(TEXT)) !== TEXT) throw new Error("a parser misread the whole text");
}

for (
  const [name, parse] of [
    ["ours, read on", undefined],
    ["ours, re-read", partialParse],
    ["openai SDK", sdkPartialParse],
  ] as const
) {
  Deno.bench(`${name}: every prefix of a ${TEXT.length}-char JSON text`, {
    group: "partial JSON",
    baseline: !parse,
  }, () => {
    const state = {};
    for (const prefix of PREFIXES) parse ? parse(prefix) : partialParse(prefix, state);
  });
}
