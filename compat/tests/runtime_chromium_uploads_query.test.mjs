// Runtime matrix, Chromium: _uploads_query_scenarios.mjs (uploads from a fetched Response,
// `new Response(bytes)`, an async generator and toFile(); defaultQuery / query;
// withOptions({ defaultHeaders })) and the chat.completions.stream() and runTools() scenarios of
// runtime/scenarios.mjs run the bundled core in a page of headless Debian chromium
// (playwright-core), against the emulator bundle (with the matrix's EMULATOR_OPTIONS) served by
// node:http on 127.0.0.1 from the page's own origin (no CORS), which also serves the modules the
// page imports.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { createEmulator } from "../.build/emulator.mjs";
import { API_KEY, createHandler, uploadQueryScenarioNames } from "./_uploads_query_scenarios.mjs";
import { CHAT_STREAM_SCENARIO_NAMES, EMULATOR_OPTIONS } from "../runtime/scenarios.mjs";
import { serve } from "./_serve.mjs";
import { ranEveryTest, scenarioTests } from "./_matrix.mjs";

const CHROMIUM = "/usr/bin/chromium";
const skip = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is absent; install Debian's chromium (apt-get install -y chromium) to run this`;
const COMPAT = fileURLToPath(new URL("..", import.meta.url));
/** What the page may import, under /static/. */
const MODULES = [
  ".build/core.mjs",
  "tests/_uploads_query_scenarios.mjs",
  "runtime/scenarios.mjs",
  "runtime/_check.mjs",
  "runtime/run_tools_scenarios.mjs",
  "tests/_chat_stream_events.mjs",
];
const NAMES = uploadQueryScenarioNames(false);
let server;
let browser;
let report;

before(async () => {
  if (skip) return;
  const api = createHandler((options) => createEmulator({ ...EMULATOR_OPTIONS, ...options }));
  server = await serve(async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === "/") {
      return new Response("<!doctype html><title>matrix</title>", {
        headers: { "content-type": "text/html" },
      });
    }
    const module = pathname.startsWith("/static/") && pathname.slice(8);
    if (MODULES.includes(module)) {
      return new Response(await readFile(`${COMPAT}${module}`), {
        headers: { "content-type": "text/javascript" },
      });
    }
    return api(request);
  });
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  const page = await browser.newPage();
  await page.goto(`${server.url}/`);
  report = await page.evaluate(async (apiKey) => {
    const core = await import("/static/.build/core.mjs");
    const { runUploadQueryScenarios } = await import("/static/tests/_uploads_query_scenarios.mjs");
    const { runChatStreamScenarios } = await import("/static/runtime/scenarios.mjs");
    const endpoint = location.origin;
    return {
      userAgent: navigator.userAgent,
      results: await runUploadQueryScenarios({ core, endpoint }),
      chatStream: await runChatStreamScenarios({ core, endpoint, apiKey }),
    };
  }, API_KEY);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe("runtime matrix in headless chromium", { skip }, () => {
  ranEveryTest(
    "chromium: the page ran every upload/query scenario",
    /Chrome\//,
    () => report,
    NAMES.length,
  );
  scenarioTests("chromium", NAMES, () => report.results);
  test("chromium: the page ran every chat.completions.stream() scenario", () => {
    assert.equal(report.chatStream.length, CHAT_STREAM_SCENARIO_NAMES.length);
  });
  scenarioTests("chromium", CHAT_STREAM_SCENARIO_NAMES, () => report.chatStream);
});
