// The playground page in headless Debian chromium (through compat/'s playwright-core, as
// compat/tests/playground.test.mjs drives it): markup in anything the server or the upstream
// sends (a model's answer, an upstream error message, an error event in a stream, a transcript)
// shows as text, and the client key typed into the page stays in sessionStorage and the api-key
// header (never a URL, localStorage or a Referer). Skipped without chromium or compat's
// node_modules.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { createEdgeApp } from "../../edge/mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

const CHROMIUM = "/usr/bin/chromium";
const PLAYWRIGHT = new URL("../../compat/node_modules/playwright-core/index.js", import.meta.url);
const ignore = !existsSync(CHROMIUM) || !existsSync(PLAYWRIGHT);

const KEY = "a-long-client-key-0001";
/** Would run under a page that inserted server text as HTML without a CSP. */
const MARKUP = `<img src=x onerror="document.title='xss'"><b id=injected>bold</b>`;

/**
 * The page's globals, as far as the functions playwright runs in it use them (this file has no
 * DOM types; those functions are sent as source, so they name `globalThis` themselves).
 */
interface PageGlobals {
  document: {
    getElementById(id: string): { textContent: string };
    querySelectorAll(selectors: string): { length: number };
    title: string;
    addEventListener(type: string, listener: (event: unknown) => void): void;
  };
  sessionStorage: { getItem(key: string): string | null };
  localStorage: { length: number };
  location: { href: string };
}

/** The emulator, except two chat deployments whose upstream answers carry markup. */
function upstream(emulator: ReturnType<typeof createEmulator>) {
  return async (request: Request | string | URL, init?: RequestInit) => {
    const req = new Request(request, init);
    const body = req.method === "POST" && /chat\/completions/.test(req.url)
      ? await req.clone().json().catch(() => ({}))
      : {};
    const deployment = /deployments\/([^/]+)\//.exec(req.url)?.[1] ?? body.model;
    if (deployment === "evil-error") {
      return Response.json(
        { error: { code: "BadRequest", message: MARKUP, param: null, type: null } },
        { status: 400 },
      );
    }
    if (deployment === "evil-event") {
      const event = { error: { message: MARKUP, type: "server_error" } };
      return new Response(`data: ${JSON.stringify(event)}\n\n`, {
        headers: { "content-type": "text/event-stream" },
      });
    }
    return emulator.fetch(req);
  };
}

Deno.test({
  name:
    "playground in chromium shows server and upstream markup as text, keeps the key out of URLs",
  ignore,
  async fn() {
    const emulator = createEmulator({ transcript: () => MARKUP });
    const app = createEdgeApp({
      upstream: {
        endpoint: "http://emulator.local",
        apiKey: emulator.apiKey,
        fetch: upstream(emulator),
      },
      clientKeys: [KEY],
      playground: { transcriptionDeployment: "whisper" },
    });
    // What reached the server: each request's URL, Referer and api-key.
    const requests: { url: string; referer: string | null; key: string | null }[] = [];
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
      const { headers } = request;
      requests.push({
        url: request.url,
        referer: headers.get("referer"),
        key: headers.get("api-key"),
      });
      return app.fetch(request);
    });
    const require = createRequire(import.meta.url);
    const { chromium } = require(PLAYWRIGHT.pathname);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
    });
    try {
      const page = await browser.newPage();
      // The CSP blocks nothing the page does (its script, style, fetches).
      await page.addInitScript(() => {
        const g = globalThis as unknown as PageGlobals & { violations: string[] };
        g.violations = [];
        g.document.addEventListener("securitypolicyviolation", (e) => {
          const v = e as unknown as { effectiveDirective: string; blockedURI: string };
          g.violations.push(`${v.effectiveDirective} ${v.blockedURI}`);
        });
      });
      const origin = `http://127.0.0.1:${server.addr.port}`;
      await page.goto(`${origin}/`);
      await page.fill("#key", KEY);
      await page.press("#key", "Tab"); // the change event stores it

      /** Clicks `button`, waits for `status` to leave "sending…", gives the status's text. */
      const run = async (button: string, status: string) => {
        await page.click(button);
        await page.waitForFunction(
          (id: string) =>
            !/^(|sending…)$/.test(
              (globalThis as unknown as PageGlobals).document.getElementById(id).textContent,
            ),
          status,
        );
        return await page.textContent(`#${status}`);
      };

      // A model's answer (the emulator echoes the message).
      await page.fill("#chat-input", MARKUP);
      assert.match(await run("#chat-send", "chat-status") ?? "", /^done/);
      assert.equal(await page.textContent("#chat-output"), `You said: ${MARKUP}`);

      // An upstream's JSON error message.
      await page.fill("#chat-model", "evil-error");
      assert.equal(await run("#chat-send", "chat-status"), `HTTP 400: ${MARKUP}`);

      // An error event in the stream.
      await page.fill("#chat-model", "evil-event");
      assert.equal(await run("#chat-send", "chat-status"), `failed: Error: ${MARKUP}`);

      // A transcript.
      await page.setInputFiles("#tr-file", {
        name: "memo.wav",
        mimeType: "audio/wav",
        buffer: Buffer.alloc(64), // playwright takes a Node Buffer
      });
      assert.match(await run("#tr-send", "tr-status") ?? "", /^done/);
      assert.equal(await page.textContent("#tr-output"), MARKUP);

      const dom = await page.evaluate(() => {
        const { document, sessionStorage, localStorage, location } =
          globalThis as unknown as PageGlobals;
        return {
          injected: document.querySelectorAll("#injected, pre img, .status img").length,
          title: document.title,
          session: sessionStorage.getItem("aoai-edge-key"),
          local: localStorage.length,
          url: location.href,
          violations: (globalThis as unknown as { violations: string[] }).violations,
        };
      });
      assert.deepEqual(dom, {
        injected: 0,
        title: "aoai-edge playground",
        session: KEY,
        local: 0,
        url: `${origin}/`,
        violations: [],
      });

      // Trusted Types: a string given to an HTML sink throws (after the check above: the attempt
      // is a violation).
      const sink = await page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        const out = document.getElementById("chat-output") as unknown as { innerHTML: string };
        try {
          out.innerHTML = "<b>x</b>";
          return "inserted";
        } catch (err) {
          return (err as Error).name;
        }
      });
      assert.equal(sink, "TypeError");
      // The key goes in the api-key header only; no request names it in its URL or a Referer.
      const api = requests.filter((r) => /^\/(v1|openai)\//.test(new URL(r.url).pathname));
      assert.equal(api.length, 4);
      for (const r of requests) {
        assert.ok(!r.url.includes(KEY), r.url);
        assert.equal(r.referer, null, r.url);
      }
      for (const r of api) assert.equal(r.key, KEY, r.url);
    } finally {
      await browser.close();
      await server.shutdown();
    }
  },
});
