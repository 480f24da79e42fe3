// SDK switch of toFile()'s names (README.md, "Switching from the openai SDK", uploads): for a value
// with no name the SDK's File is named "unknown_file" and ours "" (an upload then asks for
// `filename`); toFile(file, name) renames a File in ours, the SDK's returns that File unchanged.
// Run with `sh compat/run.sh`.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as openai from "openai";
import * as ours from "../.build/core.mjs";

test("toFile(bytes) without a name: 'unknown_file' in the SDK, '' in ours", async () => {
  const bytes = () => new Uint8Array([82, 73, 70, 70]);
  assert.equal((await openai.toFile(bytes())).name, "unknown_file");
  assert.equal((await ours.toFile(bytes())).name, "");
});

test("toFile(file, name): ours renames the File, the SDK's returns it unchanged", async () => {
  const file = new File(["RIFF"], "own.wav");
  const sdk = await openai.toFile(file, "renamed.wav");
  assert.equal(sdk, file);
  assert.equal(sdk.name, "own.wav");
  assert.equal((await ours.toFile(file, "renamed.wav")).name, "renamed.wav");
});
