/**
 * The playground page served at `/`: chat with streamed tokens, embeddings with cache hit / miss
 * figures and audio transcription (streamed or not), calling this app's own routes with a client
 * key typed into the page.
 *
 * @module
 */

/**
 * Options of {@link renderPlayground}.
 *
 * @example Start the app's playground on your own deployments
 * ```ts
 * import { createEdgeApp, type PlaygroundOptions } from "@aoai/edge/edge";
 * const playground: PlaygroundOptions = {
 *   chatDeployment: "gpt-4o-mini",
 *   embeddingsDeployment: "text-embedding-3-large",
 * };
 * const app = createEdgeApp({
 *   upstream: { endpoint: "https://my-res.openai.azure.com", apiKey: "<azure key>" },
 *   clientKeys: ["a-long-client-key"],
 *   playground,
 * });
 * const html = await (await app.fetch(new Request("https://edge.example/"))).text();
 * console.log(html.includes('value="gpt-4o-mini"')); // true
 * ```
 */
export interface PlaygroundOptions {
  /** Deployment the chat form starts with (default `gpt-4o`). */
  chatDeployment?: string;
  /** Deployment the embeddings form starts with (default `text-embedding-3-small`). */
  embeddingsDeployment?: string;
  /**
   * Deployment the transcription form starts with (default `whisper`, which the built-in emulator
   * serves; streamed transcriptions need a gpt-4o-transcribe-family deployment).
   */
  transcriptionDeployment?: string;
}

/**
 * The api-version of the transcription form's Azure-style requests: one with the
 * gpt-4o-transcribe models and their streamed transcriptions on Azure OpenAI, which the built-in
 * emulator takes too.
 */
const TRANSCRIPTION_API_VERSION = "2025-03-01-preview";

function escapeAttr(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
label{display:block;margin:.5rem 0 .2rem;font-weight:600}
input,textarea{width:100%;box-sizing:border-box;font:inherit;padding:.4rem}
textarea{min-height:4.5rem}button{margin-top:.5rem;font:inherit;padding:.35rem 1rem}
pre{white-space:pre-wrap;background:#f4f4f6;padding:.7rem;min-height:2rem;border-radius:4px}
.status{color:#555;font-size:.9rem}.row{display:flex;gap:1rem}.row>div{flex:1}
.check{font-weight:400}.check input{width:auto;margin-right:.4rem}
.status.error{color:#b00020;font-weight:600}.hint{color:#555;font-size:.9rem;font-weight:400}
`;

const SCRIPT = `
const $ = (id) => document.getElementById(id);
const keyInput = $("key");
keyInput.value = sessionStorage.getItem("aoai-edge-key") || "";
keyInput.addEventListener("change", () => sessionStorage.setItem("aoai-edge-key", keyInput.value));
function headers() {
  return { "content-type": "application/json", "api-key": keyInput.value.trim() };
}
async function failure(res) {
  let text = await res.text();
  try { text = JSON.parse(text).error.message; } catch (_) {}
  return "HTTP " + res.status + ": " + text;
}
// Shows text in a form's status line, marked as an error or not.
function show(status, text, error) {
  status.textContent = text;
  status.classList.toggle("error", !!error);
}
// Calls onData with each server-sent event's data (its data: lines joined) as the body streams
// in. False when the run was aborted meanwhile (a read that resolved after a Stop or a second
// send), true at the body's end.
async function eachEvent(res, run, onData) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return true;
    if (run.signal.aborted) return false;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.search(/\\r?\\n\\r?\\n/)) !== -1) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut).replace(/^\\r?\\n\\r?\\n/, "");
      const data = block.split(/\\r?\\n/).filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).replace(/^ /, "")).join("\\n");
      if (data) onData(data);
    }
  }
}
// The run in flight of each form: a second send (or Stop) aborts it, so two never interleave.
let chatRun = null, embRun = null;
$("chat-stop").addEventListener("click", () => {
  if (!chatRun) return;
  chatRun.abort();
  chatRun = null;
  $("chat-stop").disabled = true;
  $("chat-status").textContent = "stopped";
});
$("chat-send").addEventListener("click", async () => {
  const out = $("chat-output"), status = $("chat-status");
  if (chatRun) chatRun.abort();
  const run = chatRun = new AbortController();
  $("chat-stop").disabled = false;
  out.textContent = ""; show(status, "sending…");
  const started = performance.now();
  let first = 0, events = 0, finish = "", ended = false;
  try {
    const res = await fetch("v1/chat/completions", {
      method: "POST", headers: headers(), signal: run.signal,
      body: JSON.stringify({ model: $("chat-model").value.trim(), stream: true,
        messages: [{ role: "user", content: $("chat-input").value }] }),
    });
    if (!res.ok) { show(status, await failure(res), true); return; }
    const read = await eachEvent(res, run, (data) => {
      if (data === "[DONE]") return void (ended = true);
      const chunk = JSON.parse(data);
      if (chunk.error) throw new Error(chunk.error.message || JSON.stringify(chunk.error));
      const choice = chunk.choices && chunk.choices[0];
      if (choice && choice.finish_reason) finish = choice.finish_reason;
      const piece = choice && choice.delta ? choice.delta.content : "";
      if (piece) {
        if (!first) first = performance.now();
        events++;
        out.textContent += piece;
      }
    });
    if (!read) return; // a read that resolved after a Stop or a second send
    const cache = res.headers.get("x-aoai-cache");
    status.textContent = (ended ? "done: " : "cut (no [DONE]): ") + events + " streamed pieces" +
      (first ? ", first after " + Math.round(first - started) + " ms" : "") +
      ", total " + Math.round(performance.now() - started) + " ms" +
      (finish && finish !== "stop" ? " · finish: " + finish : "") +
      (cache ? " · cache: " + cache : "");
  } catch (err) {
    if (run.signal.aborted) return;
    show(status, "failed: " + err, true);
    run.abort(); // lets go of the rest of the stream
  } finally {
    if (chatRun === run) {
      chatRun = null;
      $("chat-stop").disabled = true;
    }
  }
});
const tally = { hit: 0, miss: 0, partial: 0 };
$("emb-stop").addEventListener("click", () => {
  if (!embRun) return;
  embRun.abort();
  embRun = null;
  $("emb-stop").disabled = true;
  $("emb-status").textContent = "stopped";
});
$("emb-send").addEventListener("click", async () => {
  const status = $("emb-status");
  if (embRun) embRun.abort();
  const run = embRun = new AbortController();
  $("emb-stop").disabled = false;
  show(status, "sending…");
  const inputs = $("emb-input").value.split("\\n").map((s) => s.trim()).filter(Boolean);
  const started = performance.now();
  try {
    const res = await fetch("v1/embeddings", {
      method: "POST", headers: headers(), signal: run.signal,
      body: JSON.stringify({ model: $("emb-model").value.trim(), input: inputs }),
    });
    if (!res.ok) { show(status, await failure(res), true); return; }
    const body = await res.json();
    const ms = Math.round(performance.now() - started);
    const cache = res.headers.get("x-aoai-cache") || "off";
    if (cache in tally) tally[cache]++;
    const dims = body.data.length ? body.data[0].embedding.length : 0;
    status.textContent = "cache: " + cache + " · " + body.data.length + " vectors × " + dims +
      " · upstream tokens " + (body.usage ? body.usage.prompt_tokens : "?") + " · " + ms + " ms";
    $("emb-stats").textContent = "this page: " + tally.hit + " hit, " + tally.partial +
      " partial, " + tally.miss + " miss";
  } catch (err) {
    if (!run.signal.aborted) show(status, "failed: " + err, true);
  } finally {
    if (embRun === run) {
      embRun = null;
      $("emb-stop").disabled = true;
    }
  }
});
let trRun = null;
$("tr-stop").addEventListener("click", () => {
  if (!trRun) return;
  trRun.abort();
  trRun = null;
  $("tr-stop").disabled = true;
  $("tr-status").textContent = "stopped";
});
function tokens(usage) {
  return usage && usage.input_tokens !== undefined
    ? " · tokens " + usage.input_tokens + " in, " + usage.output_tokens + " out" : "";
}
$("tr-send").addEventListener("click", async () => {
  const out = $("tr-output"), status = $("tr-status");
  const file = $("tr-file").files[0];
  if (trRun) trRun.abort();
  trRun = null;
  $("tr-stop").disabled = true;
  out.textContent = "";
  if (!file) { show(status, "choose an audio file first", true); return; }
  const run = trRun = new AbortController();
  $("tr-stop").disabled = false;
  show(status, "sending…");
  const stream = $("tr-stream").checked;
  const form = new FormData();
  form.append("file", file, file.name);
  if (stream) form.append("stream", "true");
  const started = performance.now();
  let first = 0, events = 0, ended = false, usage = null;
  try {
    // No content-type: the browser sets multipart/form-data with its boundary.
    const res = await fetch("openai/deployments/" +
      encodeURIComponent($("tr-model").value.trim()) +
      "/audio/transcriptions?api-version=${TRANSCRIPTION_API_VERSION}", {
      method: "POST", headers: { "api-key": keyInput.value.trim() }, body: form,
      signal: run.signal,
    });
    // A body read to its end may still resolve after a Stop or a second send: not shown then.
    if (!res.ok) {
      let text = await failure(res);
      // Whisper (and so deno task serve's built-in emulator, which has no gpt-4o-transcribe
      // deployment) refuses a stream with a 400 naming it: say what would stream.
      if (stream && res.status === 400 && /stream/i.test(text)) {
        text += " Only gpt-4o-transcribe-family deployments (gpt-4o-transcribe, " +
          "gpt-4o-mini-transcribe) stream: uncheck Stream, or name one of those deployments. " +
          "The built-in emulator has none.";
      }
      if (!run.signal.aborted) show(status, text, true);
      return;
    }
    if (!stream) {
      const body = await res.json();
      if (run.signal.aborted) return;
      out.textContent = body.text;
      status.textContent = "done: " + body.text.length + " characters, total " +
        Math.round(performance.now() - started) + " ms" + tokens(body.usage);
      return;
    }
    const read = await eachEvent(res, run, (data) => {
      if (data === "[DONE]") return;
      const event = JSON.parse(data);
      if (event.error) throw new Error(event.error.message || JSON.stringify(event.error));
      if (event.type === "transcript.text.delta" && event.delta) {
        if (!first) first = performance.now();
        events++;
        out.textContent += event.delta;
      } else if (event.type === "transcript.text.done") {
        ended = true;
        out.textContent = event.text;
        usage = event.usage;
      }
    });
    if (!read) return; // a read that resolved after a Stop or a second send
    status.textContent = (ended ? "done: " : "cut (no transcript.text.done): ") + events +
      " streamed pieces" +
      (first ? ", first after " + Math.round(first - started) + " ms" : "") +
      ", total " + Math.round(performance.now() - started) + " ms" + tokens(usage);
  } catch (err) {
    if (run.signal.aborted) return;
    show(status, "failed: " + err, true);
    run.abort(); // lets go of the rest of the stream
  } finally {
    if (trRun === run) {
      trRun = null;
      $("tr-stop").disabled = true;
    }
  }
});
`;

/**
 * The playground HTML: one self-contained page (inline CSS and JS, no external requests). The
 * client key is typed into the page and kept in `sessionStorage` only.
 *
 * The HTML alone is not enough to serve the page safely: its inline script runs only under a
 * `content-security-policy` that admits it by hash, and the page must not be framed. To serve it
 * yourself, use {@link playgroundRoute}, which answers with this HTML and those headers.
 *
 * @example Read the HTML (to serve it, see playgroundRoute())
 * ```ts
 * import { renderPlayground } from "@aoai/edge/edge";
 * const html = renderPlayground({ chatDeployment: "gpt-4o" });
 * console.log(html.startsWith("<!doctype html>")); // true
 * ```
 */
export function renderPlayground(options: PlaygroundOptions = {}): string {
  const chat = escapeAttr(options.chatDeployment ?? "gpt-4o");
  const embeddings = escapeAttr(options.embeddingsDeployment ?? "text-embedding-3-small");
  const transcription = escapeAttr(options.transcriptionDeployment ?? "whisper");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>aoai-edge playground</title>
<style>${STYLE}</style>
</head>
<body>
<h1>aoai-edge playground</h1>
<label for="key">Client key (one of AOAI_EDGE_KEYS; printed at start when generated)</label>
<input id="key" type="password" autocomplete="off" placeholder="client key">
<h2>Chat (streamed)</h2>
<label for="chat-model">Deployment</label>
<input id="chat-model" value="${chat}">
<label for="chat-input">Message</label>
<textarea id="chat-input">Say hello in five words.</textarea>
<button id="chat-send" type="button">Send</button>
<button id="chat-stop" type="button" disabled>Stop</button>
<pre id="chat-output" aria-live="polite"></pre>
<div id="chat-status" class="status"></div>
<h2>Embeddings (cached)</h2>
<label for="emb-model">Deployment</label>
<input id="emb-model" value="${embeddings}">
<label for="emb-input">Inputs, one per line</label>
<textarea id="emb-input">edge caching
vectors as Float32</textarea>
<button id="emb-send" type="button">Embed</button>
<button id="emb-stop" type="button" disabled>Stop</button>
<div id="emb-status" class="status"></div>
<div id="emb-stats" class="status"></div>
<h2>Transcription</h2>
<label for="tr-file">Audio file (flac, m4a, mp3, mp4, mpeg, mpga, oga, ogg, wav or webm; up to 25 MB)</label>
<input id="tr-file" type="file" accept="audio/*,.flac,.m4a,.mp3,.mp4,.mpeg,.mpga,.oga,.ogg,.wav,.webm">
<label for="tr-model">Deployment</label>
<input id="tr-model" value="${transcription}">
<label class="check"><input id="tr-stream" type="checkbox">Stream the text as it is transcribed
<span class="hint">(gpt-4o-transcribe and gpt-4o-mini-transcribe deployments only; Whisper answers 400,
and so does the built-in emulator of <code>deno task serve</code>, which has no such deployment)</span></label>
<button id="tr-send" type="button">Transcribe</button>
<button id="tr-stop" type="button" disabled>Stop</button>
<pre id="tr-output" aria-live="polite"></pre>
<div id="tr-status" class="status"></div>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

async function cspHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
}

/**
 * The app's `GET /` handler, for serving the playground yourself: {@link renderPlayground}'s
 * page with headers that keep it from being framed, sniffed, re-based or leaking a referrer, and
 * a CSP admitting only its own inline script and style (by hash: an injected `<script>` or
 * `on...=` attribute does not run). Each call answers a new `Response`.
 *
 * @example Serve the page on your own route
 * ```ts
 * import { playgroundRoute } from "@aoai/edge/edge";
 * const playground = playgroundRoute({ chatDeployment: "gpt-4o" });
 * const handler = (req: Request) =>
 *   new URL(req.url).pathname === "/playground" ? playground() : new Response(null, { status: 404 });
 * const res = await handler(new Request("https://edge.example/playground"));
 * console.log(res.headers.get("x-frame-options")); // DENY
 * console.log(res.headers.get("content-security-policy")?.includes("script-src 'sha256-")); // true
 * ```
 */
export function playgroundRoute(options: PlaygroundOptions = {}): () => Promise<Response> {
  const page = renderPlayground(options);
  let headers: Promise<Record<string, string>> | undefined;
  const headersOnce = async () => ({
    "content-type": "text/html; charset=utf-8",
    // default-src does not cover framing, <base> or form targets: closed here too. No img-src:
    // the page shows no image. Its script sets text only: with Trusted Types, a string given to
    // innerHTML, document.write or eval throws.
    "content-security-policy": `default-src 'none'; script-src ${await cspHash(SCRIPT)}; ` +
      `style-src ${await cspHash(STYLE)}; connect-src 'self'; ` +
      "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; " +
      "require-trusted-types-for 'script'; trusted-types 'none'",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    // For browsers that do not know frame-ancestors.
    "x-frame-options": "DENY",
  });
  return async () => new Response(page, { headers: await (headers ??= headersOnce()) });
}
