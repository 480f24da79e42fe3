// The playground page of the running edge app (`deno run -A edge/deno.ts`) driven in headless
// Debian chromium through playwright-core: streamed chat tokens appear, and an embeddings run
// shows a cache miss, then a hit.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { startEdgeApp } from "./_edge_app.mjs";

const CHROMIUM = "/usr/bin/chromium";
const skip = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is absent; install Debian's chromium (apt-get install -y chromium) to run this`;

let app;
let browser;
let page;

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
});

after(async () => {
  await browser?.close();
  await app?.close();
});

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
});
