// Token-billed transcriptions (the gpt-4o-transcribe family) are checked against the client's
// token budget and quota before they go upstream, as chat, completions and embeddings are: they
// were charged afterwards but never checked, so a key over its budget, or with its quota used up,
// could go on transcribing (and being charged) without end. Whisper, billed by the minute and
// charged nothing, is not checked.
import assert from "node:assert/strict";
import {
  clientIdOf,
  ClientTokenLimiter,
  type EdgeRequestEvent,
  type TokenLimiter,
} from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, recordingLimiter, testApp } from "./_helpers.ts";

const DEPLOYMENTS = [
  { name: "gpt-4o", model: "gpt-4o" },
  { name: "gpt-4o-transcribe", model: "gpt-4o-transcribe" },
  { name: "t4o", model: "gpt-4o-transcribe" },
  { name: "whisper", model: "whisper" },
];
// Known to be token-billed by its name (the app does not know what model a deployment runs).
const T4O = azurePath("gpt-4o-transcribe", "audio/transcriptions");

/** A transcription upload of `bytes` bytes (no header: 10 tokens per 1,000 bytes). */
function upload(bytes = 8_000, fields: Record<string, string> = {}): RequestInit {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(bytes)], "talk.mp3", { type: "audio/mpeg" }));
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return { method: "POST", body: form };
}

/** Lets the charges started with the event reach the limiter (one task later). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("tokenLimit: a gpt-4o-transcribe transcription of a client over its budget gets 429 and goes nowhere; Whisper still transcribes", async () => {
  const r = recordingLimiter(new ClientTokenLimiter({ tokensPerMinute: 100, now: () => 0 }));
  const events: EdgeRequestEvent[] = [];
  const t = testApp({
    emulator: { deployments: DEPLOYMENTS },
    tokenLimit: { limiter: r.limiter },
    onRequest: (event) => void events.push(event),
  });
  // Owes a minute's worth more than its budget: refused until it has refilled past zero.
  await r.limiter.charge(await clientIdOf(KEY), 200);
  const refusedFields: Record<string, string>[] = [
    {},
    { stream: "true" },
    { response_format: "text" },
  ];
  for (const fields of refusedFields) {
    const res = await t.call(T4O, upload(8_000, fields));
    assert.equal(res.status, 429, JSON.stringify(fields));
    assert.equal(res.headers.get("retry-after"), "61");
    assert.match((await errorOf(res)).message, /used more than 100 tokens per minute/);
  }
  // A deployment named otherwise is token-billed when its form's model or a stream says so.
  for (
    const fields of [{ model: "gpt-4o-transcribe" }, { stream: "true" }] as Record<string, string>[]
  ) {
    const res = await t.call(azurePath("t4o", "audio/transcriptions"), upload(8_000, fields));
    assert.equal(res.status, 429, JSON.stringify(fields));
    assert.equal(res.headers.get("retry-after"), "61");
    assert.match((await errorOf(res)).message, /used more than 100 tokens per minute/);
  }
  assert.deepEqual(t.upstream, [], "no refused transcription went upstream");
  const whisper = await t.call(azurePath("whisper", "audio/transcriptions"), upload());
  assert.equal(whisper.status, 200);
  await whisper.text();
  await settle();
  // Only the charge made above: the refusals and Whisper are charged nothing.
  assert.deepEqual(r.tokens, [200]);
  assert.deepEqual(events.map((e) => e.status), [429, 429, 429, 429, 429, 200]);
});

Deno.test("tokenQuota: a gpt-4o-transcribe transcription of a key whose quota is used up gets 403 TokenQuotaExceeded; Whisper still transcribes", async () => {
  const t = testApp({
    emulator: { deployments: DEPLOYMENTS },
    tokenQuota: { tokens: 50, period: "day" },
    now: () => Date.parse("2026-03-14T10:30:00.000Z"),
  });
  // 80 tokens of audio (and its text): charged, over the 50-token quota.
  const first = await t.call(T4O, upload(8_000, { response_format: "text" }));
  assert.equal(first.status, 200);
  await first.text();
  await settle();
  const refused = await t.call(T4O, upload());
  assert.equal(refused.status, 403);
  assert.equal((await errorOf(refused)).code, "TokenQuotaExceeded");
  assert.equal(t.upstream.length, 1, "the refused transcription never went upstream");
  const whisper = await t.call(azurePath("whisper", "audio/transcriptions"), upload());
  assert.equal(whisper.status, 200);
  await whisper.text();
});

Deno.test("tokenLimit: a token-billed transcription is refused while the client's requests in flight hold what is left of its budget, and lets its estimate go", async () => {
  // A budget that always has 1,000 tokens left: only the holds of requests in flight refuse.
  const limiter: TokenLimiter = {
    check: () => ({ ok: true, retryAfterSeconds: 0, remaining: 1000 }),
    charge: () => {},
  };
  const t = testApp({ emulator: { deployments: DEPLOYMENTS }, tokenLimit: { limiter } });
  // 100,000 bytes: held at 1,000 tokens while its reply is not read.
  const first = await t.call(T4O, upload(100_000, { stream: "true" }));
  assert.equal(first.status, 200);
  const second = await t.call(T4O, upload(1_000, { stream: "true" }));
  assert.equal(second.status, 429);
  assert.match((await errorOf(second)).message, /used up its token budget/);
  assert.equal(t.upstream.length, 1);
  // Once the first is charged, the budget is free again: the refused one held nothing after.
  await first.text();
  await settle();
  const third = await t.call(T4O, upload(1_000, { stream: "true" }));
  assert.equal(third.status, 200);
  await third.text();
});
