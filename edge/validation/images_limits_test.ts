// checkImagesBody() / checkSpeechBody(): the ends of their limits pass, just past them is refused
// naming the field (images n 1 to 10; speech input 1 to 4096 characters counted as code points,
// voice non-empty, speed 0.25 to 4).
import assert from "node:assert/strict";
import { checkImagesBody, checkSpeechBody } from "./images.ts";

function imagesParam(body: Record<string, unknown>): string | null | undefined {
  const r = checkImagesBody({ prompt: "a cat", ...body });
  return r.ok ? undefined : r.problem.param;
}

function speechParam(body: Record<string, unknown>): string | null | undefined {
  const r = checkSpeechBody({ input: "hello", voice: "alloy", ...body });
  return r.ok ? undefined : r.problem.param;
}

Deno.test("checkImagesBody() takes n from 1 to 10", () => {
  assert.equal(imagesParam({ n: 10 }), undefined);
  assert.equal(imagesParam({ n: 11 }), "n");
});

Deno.test("checkSpeechBody() takes input of 1 to 4096 characters, an emoji counted once", () => {
  assert.equal(speechParam({ input: "a" }), undefined);
  assert.equal(speechParam({ input: "" }), "input");
  assert.equal(speechParam({ input: "a".repeat(4096) }), undefined);
  assert.equal(speechParam({ input: "a".repeat(4097) }), "input");
  // 2 UTF-16 code units each
  assert.equal(speechParam({ input: "😀".repeat(4096) }), undefined);
  assert.equal(speechParam({ input: "😀".repeat(4097) }), "input");
});

Deno.test("checkSpeechBody() takes a voice of one character and speed from 0.25 to 4", () => {
  assert.equal(speechParam({ voice: "a" }), undefined);
  assert.equal(speechParam({ voice: "" }), "voice");
  assert.equal(speechParam({ speed: 0.25 }), undefined);
  assert.equal(speechParam({ speed: 4 }), undefined);
  assert.equal(speechParam({ speed: 0.24 }), "speed");
  assert.equal(speechParam({ speed: 4.01 }), "speed");
});
