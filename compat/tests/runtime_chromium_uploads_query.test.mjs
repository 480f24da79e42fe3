// Runtime matrix, Chromium: _uploads_query_scenarios.mjs (uploads from a fetched Response,
// `new Response(bytes)`, an async generator and toFile(); defaultQuery / query;
// withOptions({ defaultHeaders })) runs the bundled core in a page of headless Debian chromium
// (playwright-core), against the emulator bundle served by node:http on 127.0.0.1 from the page's
// own origin (no CORS), which also serves the modules the page imports.
import { after, before, describe } from "node:test";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { createEmulator } from "../.build/emulator.mjs";
import { createHandler, uploadQueryScenarioNames } from "./_uploads_query_scenarios.mjs";
import { serve } from "./_serve.mjs";
import { ranEveryTest, scenarioTests } from "./_matrix.mjs";

const CHROMIUM = "/usr/bin/chromium";
const skip = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is absent; install Debian's chromium (apt-get install -y chromium) to run this`;
const COMPAT = fileURLToPath(new URL("..", import.meta.url));
/** What the page may import, under /static/. */
const MODULES = [".build/core.mjs", "tests/_uploads_query_scenarios.mjs", "runtime/scenarios.mjs"];
const NAMES = uploadQueryScenarioNames(false);
let server;
let browser;
let report;

before(async () => {
  if (skip) return;
  const api = createHandler(createEmulator);
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
  report = await page.evaluate(async () => {
    const core = await import("/static/.build/core.mjs");
    const { runUploadQueryScenarios } = await import("/static/tests/_uploads_query_scenarios.mjs");
    return {
      userAgent: navigator.userAgent,
      results: await runUploadQueryScenarios({ core, endpoint: location.origin }),
    };
  });
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
});
