// The playground page of the running edge app (`deno run -A edge/deno.ts`) driven in headless
// Debian chromium through playwright-core: streamed chat tokens appear, an embeddings run
// shows a cache miss, then a hit, and an audio file is transcribed (streamed through a second
// app whose upstream is the emulator bundle, serving a gpt-4o-transcribe deployment, over HTTP).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { startEdgeApp } from "./_edge_app.mjs";
import { serve } from "./_serve.mjs";

const CHROMIUM = "/usr/bin/chromium";
const skip = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is absent; install Debian's chromium (apt-get install -y chromium) to run this`;

let app;
let browser;
let page;
/** The emulator bundle over HTTP, with a gpt-4o-transcribe deployment, and an app in front. */
let transcriber;
let streamApp;
let streamPage;

/** The emulator's transcript of the second app's uploads: long for a file named long*.wav. */
const transcript = (name) =>
  name.startsWith("long")
    ? Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ") + "."
    : `Streamed ${name}. This is a deterministic transcript.`;

before(async () => {
  if (skip) return;
  const { chromium } = await import("playwright-core");
  app = await startEdgeApp({ AOAI_EDGE_EMULATOR_DELAY_MS: "20" });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  page = await browser.newPage();
  await page.goto(`${app.url}/`);
  await page.fill("#key", app.key);
  const { createEmulator } = await import("../.build/emulator.mjs");
  const emulator = createEmulator({
    apiKeys: ["playground-transcribe-upstream-key"],
    chunkDelayMs: 20,
    deployments: [{ name: "gpt-4o-transcribe", model: "gpt-4o-transcribe" }],
    transcript: (file) => transcript(file.name),
  });
  transcriber = await serve((request) => emulator.fetch(request));
  streamApp = await startEdgeApp({
    AZURE_OPENAI_ENDPOINT: transcriber.url,
    AZURE_OPENAI_API_KEY: "playground-transcribe-upstream-key",
  });
  streamPage = await browser.newPage();
  await streamPage.goto(`${streamApp.url}/`);
  await streamPage.fill("#key", streamApp.key);
  await streamPage.fill("#tr-model", "gpt-4o-transcribe");
  await streamPage.check("#tr-stream");
});

after(async () => {
  await browser?.close();
  await streamApp?.close();
  await transcriber?.close();
  await app?.close();
});

/** `seconds` of 16 kHz 16-bit mono silence as a WAV file, for `setInputFiles`. */
function wav(name, seconds = 1) {
  const data = 32_000 * seconds;
  const buffer = Buffer.alloc(44 + data);
  buffer.write("RIFF", 0, "latin1");
  buffer.writeUInt32LE(36 + data, 4);
  buffer.write("WAVEfmt ", 8, "latin1");
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20);
  buffer.writeUInt16LE(1, 22);
  buffer.writeUInt32LE(16_000, 24);
  buffer.writeUInt32LE(32_000, 28);
  buffer.writeUInt16LE(2, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write("data", 36, "latin1");
  buffer.writeUInt32LE(data, 40);
  return { name, mimeType: "audio/wav", buffer };
}

/** Waits for the transcription status to match `pattern` on page `p`, and gives it. */
async function trStatus(p, pattern) {
  await p.waitForFunction(
    (source) => new RegExp(source).test(document.getElementById("tr-status").textContent),
    pattern.source,
  );
  return await p.textContent("#tr-status");
}

describe("playground in headless chromium", { skip }, () => {
  test("typing a message streams the tokens into the page", async () => {
    // Count DOM updates of the output while the reply streams.
    await page.evaluate(() => {
      globalThis.__updates = 0;
      new MutationObserver(() => globalThis.__updates++).observe(
        document.getElementById("chat-output"),
        { childList: true, characterData: true, subtree: true },
      );
    });
    await page.fill("#chat-input", "hello from chromium with several words");
    await page.click("#chat-send");
    await page.waitForFunction(() =>
      document.getElementById("chat-status").textContent.startsWith("done")
    );
    const output = await page.textContent("#chat-output");
    assert.equal(output, "You said: hello from chromium with several words");
    const status = await page.textContent("#chat-status");
    const pieces = Number(/done: (\d+) streamed pieces/.exec(status)?.[1]);
    assert.ok(pieces > 3, status);
    const updates = await page.evaluate(() => globalThis.__updates);
    assert.ok(
      updates > 3,
      `the output changed ${updates} times while streaming`,
    );
  });

  test("an embeddings run shows a miss, the same run again a hit", async () => {
    await page.fill("#emb-input", "browser vector one\nbrowser vector two");
    await page.click("#emb-send");
    await page.waitForFunction(() =>
      /cache: /.test(document.getElementById("emb-status").textContent)
    );
    const first = await page.textContent("#emb-status");
    assert.match(
      first,
      /^cache: miss · 2 vectors × 1536 · upstream tokens [1-9]/,
    );
    await page.evaluate(
      () => (document.getElementById("emb-status").textContent = ""),
    );
    await page.click("#emb-send");
    await page.waitForFunction(() =>
      /cache: /.test(document.getElementById("emb-status").textContent)
    );
    const second = await page.textContent("#emb-status");
    assert.match(second, /^cache: hit · 2 vectors × 1536 · upstream tokens 0/);
    assert.equal(
      await page.textContent("#emb-stats"),
      "this page: 1 hit, 0 partial, 1 miss",
    );
  });

  test("a second send while a reply streams replaces it instead of interleaving", async () => {
    await page.fill("#key", app.key);
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
    await page.fill("#chat-input", long);
    await page.click("#chat-send");
    // The first reply is streaming when the second send goes out.
    await page.waitForFunction(() => document.getElementById("chat-output").textContent.length > 0);
    await page.fill("#chat-input", "the second message");
    await page.click("#chat-send");
    await page.waitForFunction(() =>
      document.getElementById("chat-status").textContent.startsWith("done")
    );
    assert.equal(
      await page.textContent("#chat-output"),
      "You said: the second message",
    );
  });

  test("Stop ends the reply still streaming and says so", async () => {
    await page.fill("#key", app.key);
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
    await page.fill("#chat-input", long);
    assert.equal(
      await page.isDisabled("#chat-stop"),
      true,
      "nothing to stop yet",
    );
    await page.click("#chat-send");
    await page.waitForFunction(() => document.getElementById("chat-output").textContent.length > 0);
    // The reply's request ends when Stop is pressed: the rest of the stream is not read.
    const ended = page.waitForEvent(
      "requestfailed",
      (req) => req.url().endsWith("/v1/chat/completions"),
    );
    await page.click("#chat-stop");
    await ended;
    assert.match(await page.textContent("#chat-status"), /^stopped/);
    const output = await page.textContent("#chat-output");
    assert.ok(`You said: ${long}`.startsWith(output), output);
    assert.notEqual(output, `You said: ${long}`);
    assert.equal(
      await page.isDisabled("#chat-stop"),
      true,
      "nothing left to stop",
    );
  });

  /** Holds embeddings requests whose inputs say "held" until `release()`; others pass. */
  async function holdEmbeddings() {
    let release;
    const gate = new Promise((resolve) => (release = resolve));
    const held = [];
    let arrived;
    const handler = async (route) => {
      if (!route.request().postData()?.includes("held")) {
        return route.continue();
      }
      held.push(route.request());
      arrived?.();
      await gate;
      // An aborted request can no longer be continued.
      await route.continue().catch(() => {});
    };
    await page.route("**/v1/embeddings", handler);
    return {
      /** The next held request, once the page has sent it. */
      next: (count) =>
        held.length >= count
          ? Promise.resolve(held[count - 1])
          : new Promise((resolve) => (arrived = () =>
            held.length >= count && resolve(held[count - 1]))
          ),
      release,
      async close() {
        release();
        await page.unroute("**/v1/embeddings", handler);
      },
    };
  }

  test("a second embeddings run while one is in flight replaces it instead of interleaving", async () => {
    await page.fill("#key", app.key);
    const hold = await holdEmbeddings();
    try {
      const before = await page.textContent("#emb-stats");
      await page.fill("#emb-input", "held one\nheld two\nheld three");
      await page.click("#emb-send");
      const first = await hold.next(1);
      const aborted = page.waitForEvent(
        "requestfailed",
        (req) => req === first,
      );
      await page.evaluate(
        () => (document.getElementById("emb-status").textContent = ""),
      );
      await page.fill("#emb-input", "second run, let through");
      await page.click("#emb-send");
      await page.waitForFunction(() =>
        /cache: /.test(document.getElementById("emb-status").textContent)
      );
      assert.match(
        await page.textContent("#emb-status"),
        /^cache: miss · 1 vectors × 1536/,
      );
      // The first run's answer, let through now, must not land on the page: it was aborted.
      hold.release();
      const late = page.waitForFunction(() =>
        / 3 vectors /.test(document.getElementById("emb-status").textContent)
      );
      late.catch(() => {});
      aborted.catch(() => {});
      const outcome = await Promise.race([
        aborted.then(() => "aborted"),
        late.then(() => "the first run's answer replaced the second's"),
      ]);
      assert.equal(outcome, "aborted");
      assert.match(
        await page.textContent("#emb-status"),
        /^cache: miss · 1 vectors × 1536/,
      );
      const misses = (text) => Number(/(\d+) miss/.exec(text)[1]);
      assert.equal(
        misses(await page.textContent("#emb-stats")),
        misses(before) + 1,
      );
    } finally {
      await hold.close();
    }
  });

  test("Stop ends an embeddings run in flight and says so", async () => {
    await page.fill("#key", app.key);
    const hold = await holdEmbeddings();
    try {
      assert.equal(
        await page.isDisabled("#emb-stop"),
        true,
        "nothing to stop yet",
      );
      await page.fill("#emb-input", "held to be stopped");
      await page.click("#emb-send");
      const request = await hold.next(1);
      const aborted = page.waitForEvent(
        "requestfailed",
        (req) => req === request,
      );
      await page.click("#emb-stop");
      await aborted;
      assert.match(await page.textContent("#emb-status"), /^stopped/);
      assert.equal(
        await page.isDisabled("#emb-stop"),
        true,
        "nothing left to stop",
      );
    } finally {
      await hold.close();
    }
  });

  test("a reply cut by the content filter says so", async () => {
    await page.fill("#key", app.key);
    await page.fill("#chat-input", "please __filter_output__ this");
    await page.click("#chat-send");
    await page.waitForFunction(() =>
      /^(done|failed|HTTP)/.test(
        document.getElementById("chat-status").textContent,
      )
    );
    assert.match(await page.textContent("#chat-status"), /content_filter/);
  });

  /** Serves `body` as the chat stream, sends, and gives the final status. */
  async function statusForStream(body) {
    await page.route("**/v1/chat/completions", (route) =>
      route.fulfill({
        status: 200,
        headers: { "content-type": "text/event-stream" },
        body,
      }));
    try {
      await page.fill("#chat-input", "anything");
      await page.click("#chat-send");
      await page.waitForFunction(() =>
        /^(done|failed|cut)/.test(
          document.getElementById("chat-status").textContent,
        )
      );
      return await page.textContent("#chat-status");
    } finally {
      await page.unroute("**/v1/chat/completions");
    }
  }

  test("an error event in the stream is shown, not 'done'", async () => {
    const status = await statusForStream(
      'data: {"choices":[{"index":0,"delta":{"content":"partial"}}]}\n\n' +
        'data: {"error":{"code":"server_error","message":"The server had an error"}}\n\n',
    );
    assert.match(status, /^failed: .*The server had an error/);
  });

  test("a stream that ends without [DONE] is reported as cut", async () => {
    const status = await statusForStream(
      'data: {"choices":[{"index":0,"delta":{"content":"partial"}}]}\n\n',
    );
    assert.match(status, /^cut/);
  });

  test("a reply with no content shows no negative first-token time", async () => {
    const status = await statusForStream(
      'data: {"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}\n\ndata: [DONE]\n\n',
    );
    assert.match(status, /^done: 0 streamed pieces/);
    assert.doesNotMatch(status, /-\d/);
  });

  test("a wrong key shows the 401 message", async () => {
    await page.fill("#key", "wrong-key-value");
    await page.click("#emb-send");
    await page.waitForFunction(() =>
      /HTTP 401/.test(document.getElementById("emb-status").textContent)
    );
    assert.match(await page.textContent("#emb-status"), /client keys/);
  });
  test("a transcription of a small WAV shows its text (the default deployment, not streamed)", async () => {
    await page.fill("#key", app.key);
    // The built-in emulator of `deno task serve` serves the form's default deployment.
    assert.equal(await page.inputValue("#tr-model"), "whisper");
    assert.equal(await page.isChecked("#tr-stream"), false);
    await page.setInputFiles("#tr-file", wav("hello.wav"));
    await page.click("#tr-send");
    const status = await trStatus(page, /^(done|failed|HTTP)/);
    assert.match(status, /^done: \d+ characters/);
    assert.equal(
      await page.textContent("#tr-output"),
      "The emulator heard hello.wav, 32044 bytes. This is a deterministic transcript.",
    );
    assert.equal(await page.isDisabled("#tr-stop"), true, "nothing left to stop");
  });

  test("a streamed transcription on a Whisper deployment shows the service's 400", async () => {
    await page.fill("#key", app.key);
    await page.setInputFiles("#tr-file", wav("hello.wav"));
    await page.check("#tr-stream");
    try {
      await page.click("#tr-send");
      const status = await trStatus(page, /^(done|failed|HTTP)/);
      // The service's message first, then which deployments stream (the page says so).
      assert.equal(
        status,
        "HTTP 400: Streaming is not supported for model 'whisper'. Only gpt-4o-transcribe-family " +
          "deployments (gpt-4o-transcribe, gpt-4o-mini-transcribe) stream: uncheck Stream, or " +
          "name one of those deployments. The built-in emulator has none.",
      );
      assert.equal(await page.textContent("#tr-output"), "");
    } finally {
      await page.uncheck("#tr-stream");
    }
  });

  test("a streamed transcription shows the deltas as they arrive, then the final text", async () => {
    // Every text the output showed, in order.
    await streamPage.evaluate(() => {
      const out = document.getElementById("tr-output");
      globalThis.__shown = [];
      new MutationObserver(() => globalThis.__shown.push(out.textContent)).observe(out, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await streamPage.setInputFiles("#tr-file", wav("hello.wav"));
    await streamPage.click("#tr-send");
    const status = await trStatus(streamPage, /^(done|cut|failed|HTTP)/);
    const pieces = Number(/^done: (\d+) streamed pieces/.exec(status)?.[1]);
    assert.ok(pieces > 3, status);
    assert.match(status, / · tokens \d+ in, \d+ out$/);
    const text = transcript("hello.wav");
    assert.equal(await streamPage.textContent("#tr-output"), text);
    const shown = (await streamPage.evaluate(() => globalThis.__shown)).filter(Boolean);
    const partial = shown.filter((s) => s !== text);
    assert.ok(partial.length > 3, `the output showed ${JSON.stringify(shown)}`);
    for (const s of partial) assert.ok(text.startsWith(s), s);
    assert.equal(shown.at(-1), text);
  });

  test("Stop ends a streamed transcription in flight and says so", async () => {
    assert.equal(await streamPage.isDisabled("#tr-stop"), true, "nothing to stop yet");
    await streamPage.setInputFiles("#tr-file", wav("long.wav"));
    await streamPage.click("#tr-send");
    await streamPage.waitForFunction(() =>
      document.getElementById("tr-output").textContent.length > 0
    );
    const ended = streamPage.waitForEvent(
      "requestfailed",
      (req) => req.url().includes("/audio/transcriptions"),
    );
    await streamPage.click("#tr-stop");
    await ended;
    assert.match(await streamPage.textContent("#tr-status"), /^stopped/);
    const output = await streamPage.textContent("#tr-output");
    assert.ok(transcript("long.wav").startsWith(output), output);
    assert.notEqual(output, transcript("long.wav"));
    assert.equal(await streamPage.isDisabled("#tr-stop"), true, "nothing left to stop");
  });

  test("a second Transcribe while one streams replaces it instead of interleaving", async () => {
    await streamPage.setInputFiles("#tr-file", wav("long.wav"));
    await streamPage.click("#tr-send");
    await streamPage.waitForFunction(() =>
      document.getElementById("tr-output").textContent.length > 0
    );
    const first = streamPage.waitForEvent(
      "requestfailed",
      (req) => req.url().includes("/audio/transcriptions"),
    );
    await streamPage.setInputFiles("#tr-file", wav("short.wav"));
    await streamPage.click("#tr-send");
    await first;
    const status = await trStatus(streamPage, /^(done|cut|failed|HTTP)/);
    assert.match(status, /^done: /);
    assert.equal(await streamPage.textContent("#tr-output"), transcript("short.wav"));
  });
});
