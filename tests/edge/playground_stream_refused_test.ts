// The playground's transcription form with Stream checked, against `deno task serve`'s built-in
// emulator (its default deployments: no gpt-4o-transcribe, so whisper answers 400): the page
// shows the 400's message as an error and says which deployments stream, and the checkbox says
// so before anyone sends. The page script runs here on a minimal stand-in for its DOM.
import assert from "node:assert/strict";
import { createEdgeApp, renderPlayground } from "../../edge/mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

const KEY = "a-long-client-key-0001";

/** An element of the page, as far as its script uses one. */
class Element {
  value = "";
  textContent = "";
  checked = false;
  disabled = false;
  files: File[] = [];
  #classes = new Set<string>();
  #listeners: Record<string, () => Promise<void> | void> = {};
  classList = {
    toggle: (name: string, on: boolean) =>
      void (on ? this.#classes.add(name) : this.#classes.delete(name)),
    contains: (name: string) => this.#classes.has(name),
  };
  addEventListener(type: string, listener: () => Promise<void> | void) {
    this.#listeners[type] = listener;
  }
  click(): Promise<void> | void {
    return this.#listeners.click?.();
  }
}

/** Runs the page's script against `deno task serve`'s app (the emulator's defaults). */
function page(html: string) {
  const emulator = createEmulator();
  const app = createEdgeApp({
    upstream: {
      endpoint: "http://emulator.local",
      apiKey: emulator.apiKey,
      fetch: (request, init) => emulator.fetch(request, init),
    },
    clientKeys: [KEY],
  });
  const elements = new Map<string, Element>();
  const document = {
    getElementById: (id: string) => elements.get(id) ?? elements.set(id, new Element()).get(id),
  };
  const sessionStorage = { getItem: () => KEY, setItem: () => {} };
  const fetch = (url: string, init: RequestInit) =>
    app.fetch(new Request(new URL(url, "http://edge.test/"), init));
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
  new Function("document", "sessionStorage", "fetch", script)(document, sessionStorage, fetch);
  return (id: string) => document.getElementById(id)!;
}

Deno.test("playground: a stream the emulator's whisper refuses shows its 400 message as an error, and which deployments stream", async () => {
  const $ = page(renderPlayground());
  $("tr-model").value = "whisper";
  $("tr-stream").checked = true;
  $("tr-file").files = [new File([new Uint8Array(64)], "memo.wav", { type: "audio/wav" })];
  await $("tr-send").click();
  const status = $("tr-status");
  assert.match(status.textContent, /^HTTP 400: Streaming is not supported for model 'whisper'\./);
  assert.match(status.textContent, /Only gpt-4o-transcribe-family deployments .* stream/);
  assert.match(status.textContent, /uncheck Stream/);
  assert.equal(status.classList.contains("error"), true);
  // Unchecked, the same upload transcribes: the status is no error any more.
  $("tr-stream").checked = false;
  await $("tr-send").click();
  assert.match(status.textContent, /^done: /);
  assert.equal(status.classList.contains("error"), false);
  assert.match($("tr-output").textContent, /memo\.wav/);
});

Deno.test("playground: a transcription refused for another reason gets no stream hint", async () => {
  const $ = page(renderPlayground());
  $("tr-model").value = "nope";
  $("tr-stream").checked = true;
  $("tr-file").files = [new File([new Uint8Array(64)], "memo.wav", { type: "audio/wav" })];
  await $("tr-send").click();
  assert.match($("tr-status").textContent, /^HTTP 404: /);
  assert.doesNotMatch($("tr-status").textContent, /uncheck Stream/);
  assert.equal($("tr-status").classList.contains("error"), true);
});

Deno.test("playground: the Stream checkbox says which deployments stream, and that the built-in emulator has none", () => {
  const html = renderPlayground();
  const label = /<label class="check"><input id="tr-stream"[\s\S]*?<\/label>/.exec(html)?.[0] ?? "";
  assert.match(label, /gpt-4o-transcribe and gpt-4o-mini-transcribe deployments only/);
  assert.match(
    label,
    /built-in emulator of <code>deno task serve<\/code>, which has no such deployment/,
  );
});
