/**
 * What the service asks of a body beyond the stored documents' schemas, applied to a generated
 * body so that only requests Azure takes are sent: ranges and sizes the older documents give in
 * prose only (2024-10-21 writes most as `minimum` / `maximum`), rules between fields, limits of the
 * deployment's model, and the documents' known slips (as `tests/helpers/spec_schema.ts` corrects
 * them). Each rule names its source; a body is changed only where it breaks one.
 *
 * @module
 */

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Numeric ranges the descriptions give ("between 0 and 2", "minimum of 1 and maximum of 4"). */
const RANGES: Record<string, Record<string, [number, number]>> = {
  "chat/completions": {
    temperature: [0, 2],
    top_p: [0, 1],
    presence_penalty: [-2, 2],
    frequency_penalty: [-2, 2],
    n: [1, 128],
    // The service: "integer below minimum value. Expected a value >= 1".
    max_tokens: [1, 4096],
    max_completion_tokens: [1, 4096],
    top_logprobs: [0, 20],
  },
  completions: {
    temperature: [0, 2],
    top_p: [0, 1],
    presence_penalty: [-2, 2],
    frequency_penalty: [-2, 2],
    n: [1, 128],
    max_tokens: [0, 4096],
    logprobs: [0, 5],
    best_of: [0, 20],
  },
  // text-embedding-3-small: 1536 dimensions at most.
  embeddings: { dimensions: [1, 1536] },
};

/** An identifier as function and tool names must be ("a-z, A-Z, 0-9, underscores and dashes"). */
function identifier(name: unknown, i: number): string {
  return typeof name === "string" && /^[a-zA-Z0-9_-]{1,64}$/.test(name) ? name : `fn_${i}`;
}

/** A text-or-tokens field: arrays hold 1 to `max` items ("Array size minimum of 1"). */
function textOrTokens(v: unknown, max: number): unknown {
  if (!Array.isArray(v)) return v;
  if (v.length === 0) return ["hi"];
  return v.slice(0, max);
}

function chatRules(body: Json, version: string): void {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (const m of messages) {
    if (!isObject(m)) continue;
    // The function message needs `name` (the older documents say function_call_id, a slip).
    if (m.role === "function") {
      m.name = identifier(m.name, 0);
      delete m.function_call_id;
    }
    if (typeof m.name === "string") m.name = identifier(m.name, 0);
    // The older documents' image part puts `url` beside `type` (a slip): image_url: { url }.
    if (Array.isArray(m.content)) {
      for (const p of m.content) {
        if (isObject(p) && p.type === "image_url" && !isObject(p.image_url)) {
          p.image_url = { url: typeof p.url === "string" ? p.url : "https://example.com/a.png" };
          if (typeof p.detail === "string") (p.image_url as Json).detail = p.detail;
          delete p.url;
          delete p.detail;
        }
      }
    }
  }
  // tools / functions: 1 to 128 (the service refuses []), names as identifiers.
  for (const key of ["tools", "functions"]) {
    const list = body[key];
    if (Array.isArray(list) && list.length === 0) delete body[key];
  }
  const tools = Array.isArray(body.tools) ? body.tools : [];
  tools.forEach((t, i) => {
    if (isObject(t) && isObject(t.function)) t.function.name = identifier(t.function.name, i);
  });
  const functions = Array.isArray(body.functions) ? body.functions : [];
  functions.forEach((f, i) => {
    if (isObject(f)) f.name = identifier(f.name, i);
  });
  // tool_choice needs tools; a named one names one of them (same for function_call).
  const toolNames = tools.flatMap((t) =>
    isObject(t) && isObject(t.function) ? [t.function.name] : []
  );
  if (body.tool_choice !== undefined && body.tool_choice !== null) {
    if (toolNames.length === 0) delete body.tool_choice;
    else if (isObject(body.tool_choice)) {
      // The older documents require neither `type` nor `function` of a named choice; 2024-10-21
      // requires both, as the service does.
      body.tool_choice = { type: "function", function: { name: toolNames[0] } };
    }
  }
  const functionNames = functions.flatMap((f) => isObject(f) ? [f.name] : []);
  if (body.function_call !== undefined && body.function_call !== null) {
    if (functionNames.length === 0) delete body.function_call;
    else if (isObject(body.function_call)) body.function_call = { name: functionNames[0] };
  }
  // top_logprobs needs logprobs: true; stream_options needs stream: true.
  if (typeof body.top_logprobs === "number") body.logprobs = true;
  if (isObject(body.stream_options)) body.stream = true;
  // json_schema.name: "a-z, A-Z, 0-9, or contain underscores and dashes, max length of 64".
  const format = body.response_format;
  if (isObject(format) && isObject(format.json_schema)) {
    format.json_schema.name = identifier(format.json_schema.name, 0);
  }
  // response_format json_object: some message must say "json".
  if (isObject(body.response_format) && body.response_format.type === "json_object") {
    messages.push({ role: "user", content: "answer in json" });
  }
  void version;
}

/**
 * Applies the rules to `body` (in place) for `op` ("chat/completions", "completions",
 * "embeddings", "images/generations") at `version`; returns it.
 */
export function serviceRules(op: string, version: string, body: Json): Json {
  for (const [name, [lo, hi]] of Object.entries(RANGES[op] ?? {})) {
    const v = body[name];
    if (typeof v === "number") body[name] = Math.min(hi, Math.max(lo, v));
  }
  // stop: a string or 1 to 4 strings.
  if (Array.isArray(body.stop)) body.stop = body.stop.length ? body.stop.slice(0, 4) : "x";
  if (op === "chat/completions") chatRules(body, version);
  if (op === "completions") {
    if ("prompt" in body) body.prompt = textOrTokens(body.prompt, 2048);
    // best_of: at least n, and not above 1 with stream ("results cannot be streamed").
    // best_of 0 (the 2024-10-21 minimum) is below any n: left out.
    if (typeof body.best_of === "number") {
      const best = body.stream === true ? 1 : body.best_of;
      const n = typeof body.n === "number" ? body.n : 1;
      if (best < n) body.n = Math.max(1, best);
      if (best === 0) delete body.best_of;
      else body.best_of = best;
    }
  }
  if (op === "embeddings") {
    // "Can be either `float` or `base64`" (2024-05-01-preview types it a plain string).
    if (typeof body.encoding_format === "string" && body.encoding_format !== "base64") {
      body.encoding_format = "float";
    }
    // The string branch of `input` is nullable (a slip: the service needs input) and has no
    // minLength (the service refuses "").
    if (body.input === null || body.input === "") body.input = "hi";
  }
  if (op === "images/generations") {
    // dall-e-3 sizes; the enum also lists DALL-E 2's.
    if (
      typeof body.size === "string" && !["1024x1024", "1792x1024", "1024x1792"].includes(body.size)
    ) {
      body.size = "1024x1024";
    }
  }
  return body;
}
