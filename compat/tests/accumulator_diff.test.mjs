// Generated differential test of the stream accumulators. A seeded PRNG builds a few hundred
// Azure-like chunk sequences together with the reply they stand for (the non-streamed
// `chat.completion` / `text_completion` the same content would give, per the 2024-10-21 spec:
// createChatCompletionResponse / createCompletionResponse). Each chat sequence is read by our
// bundled core (ChatCompletionStream over SSE bytes -> finalChatCompletion()) and by the official
// openai SDK (ChatCompletionStream.fromReadableStream() over newline-delimited JSON ->
// finalChatCompletion()), both in random-sized writes.
// - Ours must equal the reply exactly.
// - Every leaf where the SDK differs from ours must be explained by one rule of SDK_DIFFERENCES
//   (each checks the SDK's value, not just the path, and says who is right); every rule must
//   fire somewhere, so a rule that no longer happens fails too.
// The SDK has no accumulator for text completions; ours (CompletionStream.finalCompletion()) is
// checked against the reply only. Deterministic: same seeds, same streams. Run with
// `sh compat/run.sh` (builds compat/.build/core.mjs first).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ChatCompletionStream as SdkChatCompletionStream } from "openai/lib/ChatCompletionStream";
import { ChatCompletionStream, CompletionStream } from "../.build/core.mjs";

const CHAT_CASES = 300;
const COMPLETION_CASES = 120;
const SEED = 0x5eed13;

/** mulberry32: a small seeded PRNG; `int(n)` in [0, n). */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return {
    int,
    bool: (p = 0.5) => next() < p,
    pick: (items) => items[int(items.length)],
  };
}

const TOKENS = [
  "Hel",
  "lo",
  " wor",
  "ld",
  " 日本",
  "語",
  " é",
  "😀",
  ",",
  " ok",
  "\n",
  ' "q"',
  " ",
];
const ARGS = [
  '{"city":"Paris","unit":"c"}',
  '{"tz":"UTC"}',
  "{}",
  '{"q":"日本語 😀","n":[1,2]}',
];
const NAMES = ["get_weather", "get_time", "search", "noop"];
const CATEGORIES = ["hate", "self_harm", "sexual", "violence"];
const SEVERITIES = ["safe", "safe", "safe", "low", "medium"];
const RANK = { safe: 0, low: 1, medium: 2, high: 3 };

const bytesOf = (text) => [...new TextEncoder().encode(text)];
const chatLogprob = (token, logprob) => ({
  token,
  logprob,
  bytes: bytesOf(token),
  top_logprobs: [{ token, logprob, bytes: bytesOf(token) }],
});

/** Splits `text` into 1..4 pieces at random places (pieces may be ""). */
function split(r, text) {
  const cuts = Array.from({ length: r.int(4) }, () => r.int(text.length + 1))
    .sort(
      (a, b) => a - b,
    );
  const out = [];
  let at = 0;
  for (const cut of cuts) {
    out.push(text.slice(at, cut));
    at = cut;
  }
  out.push(text.slice(at));
  return out;
}

/** A per-choice verdict as Azure sends it for one checked range. */
function verdict(r, worst = false) {
  const out = {};
  for (const category of CATEGORIES) {
    out[category] = { filtered: false, severity: r.pick(SEVERITIES) };
  }
  if (worst) out[r.pick(CATEGORIES)] = { filtered: true, severity: "high" };
  if (r.bool(0.3)) {
    out.protected_material_text = { filtered: false, detected: r.bool(0.2) };
  }
  return out;
}

/**
 * The verdict of the whole text from the verdicts of its ranges: per category the highest
 * severity, `filtered`/`detected` true once any range said so (written apart from our _merge.ts).
 */
function wholeVerdict(verdicts) {
  const out = {};
  for (const v of verdicts) {
    for (const [key, value] of Object.entries(v)) {
      const old = out[key];
      if (!old) out[key] = { ...value };
      else {
        if ("filtered" in value) old.filtered ||= value.filtered;
        if ("detected" in value) old.detected ||= value.detected;
        if ("severity" in value && RANK[value.severity] > RANK[old.severity]) {
          old.severity = value.severity;
        }
      }
    }
  }
  return out;
}

const PROMPT_FILTER = (index) => ({
  prompt_index: index,
  content_filter_results: {
    hate: { filtered: false, severity: "safe" },
    self_harm: { filtered: false, severity: "safe" },
    sexual: { filtered: false, severity: "safe" },
    violence: { filtered: false, severity: "safe" },
    jailbreak: { filtered: false, detected: false },
  },
});

/**
 * Merges per-choice queues of chunk choices into chunks: order kept within a choice, choices
 * interleaved at random, sometimes two choices in one chunk (never one choice twice).
 */
function interleave(r, queues) {
  const at = queues.map(() => 0);
  const out = [];
  for (;;) {
    const open = queues.map((_, i) => i).filter((i) => at[i] < queues[i].length);
    if (!open.length) return out;
    const first = r.pick(open);
    const group = [queues[first][at[first]++]];
    const other = open.filter((i) => i !== first && at[i] < queues[i].length);
    if (other.length && r.bool(0.3)) {
      const second = r.pick(other);
      group.push(queues[second][at[second]++]);
    }
    out.push(group);
  }
}

/**
 * One chat case: `chunks` (what the service streams), `reply` (the non-streamed completion the
 * same content gives) and the facts the difference rules check (`last` per choice index).
 */
function chatCase(seed) {
  const r = prng(seed);
  const azure = r.bool(0.7);
  const n = r.pick([1, 1, 1, 2, 3]);
  const wantLogprobs = r.bool(0.35);
  const includeUsage = r.bool(0.5);
  const fingerprint = r.pick(["set", "nullThenSet", "null", "absent"]);
  const id = `chatcmpl-${seed.toString(16)}`;
  const created = 1727000000 + r.int(1000);
  const model = "gpt-4o-2024-08-06";
  const facts = {
    fingerprint,
    gap: false,
    openingLogprobs: [],
    lastFilter: [],
    lastOffsets: [],
  };
  const queues = [];
  const choices = [];
  const annotations = [];
  for (let index = 0; index < n; index++) {
    const kind = r.pick([
      "text",
      "text",
      "refusal",
      "tools",
      "function",
      "textTools",
    ]);
    const queue = [];
    const piece = (delta, extra = {}) => {
      const p = {
        index,
        ...(delta === undefined ? {} : { delta }),
        finish_reason: null,
      };
      if (wantLogprobs || r.bool(0.5)) p.logprobs = null;
      Object.assign(p, extra);
      if (azure && !("content_filter_results" in p)) {
        // Azure checks text in batches: some chunks carry the verdict of the last batch.
        if (r.bool(0.4)) p.content_filter_results = verdict(r);
      }
      queue.push(p);
      return p;
    };
    const textual = kind === "text" || kind === "textTools" ||
      kind === "refusal";
    const member = kind === "refusal" ? "refusal" : "content";
    const tokens = Array.from(
      { length: textual ? (r.bool(0.05) ? 0 : 1 + r.int(12)) : 0 },
      () => r.pick(TOKENS),
    );
    const logprobs = tokens.map((t, i) => chatLogprob(t, -(i + 1) / 8));
    // Opening delta: text streams open with content "", refusals with refusal "", calls with
    // content null. Sometimes the first token rides on it.
    const opening = {
      role: "assistant",
      content: textual && member === "content" ? "" : null,
    };
    if (member === "refusal") opening.refusal = "";
    else if (r.bool(0.6)) opening.refusal = null;
    const openingExtra = azure ? { content_filter_results: {} } : {};
    let from = 0;
    if (wantLogprobs && textual) {
      openingExtra.logprobs = member === "content"
        ? { content: [], refusal: null }
        : { content: null, refusal: [] };
    }
    if (tokens.length && r.bool(0.25)) {
      opening[member] = tokens[0];
      from = 1;
      if (wantLogprobs) {
        openingExtra.logprobs = {
          content: null,
          refusal: null,
          [member]: [logprobs[0]],
        };
        facts.openingLogprobs[index] = { member, items: [logprobs[0]] };
      }
    }
    piece(opening, openingExtra);
    // Content in pieces: 1..3 tokens per chunk.
    while (from < tokens.length) {
      const take = 1 + r.int(3);
      const part = tokens.slice(from, from + take);
      const extra = wantLogprobs
        ? {
          logprobs: {
            content: null,
            refusal: null,
            [member]: logprobs.slice(from, from + take),
          },
        }
        : {};
      piece({ [member]: part.join("") }, extra);
      from += take;
      // An empty fragment now and then, as the service sends them.
      if (r.bool(0.1)) {
        piece(
          { [member]: "" },
          wantLogprobs ? { logprobs: { content: null, refusal: null, [member]: [] } } : {},
        );
      }
    }
    // Tool calls by index: id/type/name only in the first part, arguments in pieces, parts of
    // several calls in one chunk, sometimes gaps in the indexes.
    let calls;
    if (kind === "tools" || kind === "textTools") {
      const count = 1 + r.int(3);
      const gap = r.bool(0.15);
      facts.gap ||= gap;
      calls = Array.from({ length: count }, (_, i) => ({
        index: gap ? i * 2 + 1 : i,
        id: `call_${seed.toString(16)}_${index}_${i}`,
        name: r.pick(NAMES),
        arguments: r.pick(ARGS),
      }));
      const parts = calls.map((call) => {
        const [head, ...rest] = split(r, call.arguments);
        const headInFirst = r.bool(0.5);
        return [
          {
            index: call.index,
            id: call.id,
            type: "function",
            function: { name: call.name, arguments: headInFirst ? head : "" },
          },
          ...(headInFirst ? rest : [head, ...rest]).map((a) => ({
            index: call.index,
            function: { arguments: a },
          })),
        ];
      });
      const parallel = r.bool(0.4);
      const cursor = parts.map(() => 0);
      // The first call's first part may ride on the opening delta (role + content null).
      if (kind === "tools" && r.bool(0.5)) {
        queue[0].delta.tool_calls = [parts[0][0]];
        cursor[0] = 1;
      }
      let current = 0;
      while (cursor.some((c, i) => c < parts[i].length)) {
        const open = parts.map((_, i) => i).filter((i) => cursor[i] < parts[i].length);
        if (!parallel) current = open[0];
        else current = r.pick(open);
        const group = [parts[current][cursor[current]++]];
        const next = open.find((i) => i !== current && cursor[i] < parts[i].length);
        if (parallel && next !== undefined && r.bool(0.5)) {
          group.push(parts[next][cursor[next]++]);
        }
        piece({ tool_calls: group });
      }
    }
    let functionCall;
    if (kind === "function") {
      functionCall = { name: r.pick(NAMES), arguments: r.pick(ARGS) };
      const [head, ...rest] = split(r, functionCall.arguments);
      piece({ function_call: { name: functionCall.name, arguments: head } });
      for (const a of rest) piece({ function_call: { arguments: a } });
    }
    // finish_reason on the last delta, on a later chunk with an empty delta or without delta.
    const finish = kind === "tools" || kind === "textTools"
      ? "tool_calls"
      : kind === "function"
      ? "function_call"
      : kind === "refusal"
      ? "stop"
      : r.pick(["stop", "stop", "length", "content_filter"]);
    const finishExtra = { finish_reason: finish };
    if (azure) {
      finishExtra.content_filter_results = finish === "content_filter" ? verdict(r, true) : {};
    }
    const placement = r.pick(["last", "empty", "none"]);
    if (placement === "last" && queue.length > 1) {
      Object.assign(queue.at(-1), finishExtra);
    } else if (placement === "none") piece(undefined, finishExtra);
    else {
      const delta = r.bool(0.3) ? { content: null } : {};
      piece(delta, {
        ...finishExtra,
        ...(wantLogprobs ? { logprobs: null } : {}),
      });
    }
    // Azure async filter: annotation chunks without delta, during the choice and after it.
    if (azure && queue.length > 2 && r.bool(0.3)) {
      const at = 1 + r.int(queue.length - 2);
      queue.splice(at, 0, {
        index,
        finish_reason: null,
        content_filter_results: verdict(r),
        content_filter_offsets: {
          check_offset: at,
          start_offset: 0,
          end_offset: at,
        },
      });
    }
    const verdicts = queue.map((p) => p.content_filter_results).filter(Boolean);
    if (azure && r.bool(0.35)) {
      const v = verdict(r);
      verdicts.push(v);
      const end = tokens.join("").length;
      annotations.push({
        index,
        finish_reason: null,
        content_filter_results: v,
        content_filter_offsets: {
          check_offset: end,
          start_offset: 0,
          end_offset: end,
        },
      });
    }
    const text = tokens.join("");
    const message = {
      role: "assistant",
      content: member === "content" && textual ? text : null,
      refusal: member === "refusal" ? text : null,
    };
    if (calls) {
      message.tool_calls = calls.map((c) => ({
        id: c.id,
        type: "function",
        function: { name: c.name, arguments: c.arguments },
      }));
    }
    if (functionCall) message.function_call = functionCall;
    choices.push({
      index,
      message,
      finish_reason: finish,
      logprobs: wantLogprobs && textual
        ? { content: null, refusal: null, [member]: logprobs }
        : null,
      ...(azure ? { content_filter_results: wholeVerdict(verdicts) } : {}),
    });
    queues.push(queue);
  }
  // Top-level fields: id/model/created on every chunk, system_fingerprint per pattern,
  // `usage: null` on each chunk and a usage-only last chunk with include_usage.
  const groups = interleave(r, queues);
  const groupsWithAnnotations = [...groups, ...annotations.map((a) => [a])];
  const fp = `fp_${seed.toString(16)}`;
  const fpAt = (i) =>
    fingerprint === "set" ? fp : fingerprint === "null" ? null : fingerprint === "nullThenSet"
      // Switches before the last content chunk (annotation chunks may carry no fingerprint).
      ? (i < Math.ceil(groups.length / 2) ? null : fp)
      : undefined;
  const chunks = [];
  if (azure) {
    chunks.push({
      choices: [],
      created: 0,
      id: "",
      model: "",
      object: "",
      prompt_filter_results: [PROMPT_FILTER(0)],
    });
  }
  const total = groupsWithAnnotations.length + (includeUsage ? 1 : 0);
  const top = (i) => {
    const out = { id, object: "chat.completion.chunk", created, model };
    const f = fpAt(i);
    if (f !== undefined) out.system_fingerprint = f;
    if (includeUsage) out.usage = null;
    return out;
  };
  groupsWithAnnotations.forEach((choicesOfChunk, i) => {
    // Async filter annotations come with empty id/model/created, as Azure sends them.
    const annotation = i >= groups.length;
    chunks.push(
      annotation && r.bool(0.5)
        ? { id: "", object: "", created: 0, model: "", choices: choicesOfChunk }
        : { ...top(i), choices: choicesOfChunk },
    );
  });
  const usage = {
    prompt_tokens: 10 + r.int(50),
    completion_tokens: 1 + r.int(100),
    total_tokens: 0,
  };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  if (r.bool(0.5)) usage.completion_tokens_details = { reasoning_tokens: 0 };
  if (includeUsage) chunks.push({ ...top(total - 1), choices: [], usage });
  // What each choice's last chunk said (the SDK keeps it).
  for (const chunk of chunks) {
    for (const c of chunk.choices) {
      if ("content_filter_results" in c) {
        facts.lastFilter[c.index] = c.content_filter_results;
      }
      if ("content_filter_offsets" in c) {
        facts.lastOffsets[c.index] = c.content_filter_offsets;
      }
    }
  }
  const reply = { id, object: "chat.completion", created, model, choices };
  if (fingerprint !== "absent") {
    reply.system_fingerprint = fingerprint === "null" ? null : fp;
  }
  if (azure) reply.prompt_filter_results = [PROMPT_FILTER(0)];
  if (includeUsage) reply.usage = usage;
  return { seed, chunks, reply, facts };
}

/** A text completions case: Azure-like chunks and the non-streamed `text_completion`. */
function completionCase(seed) {
  const r = prng(seed);
  const azure = r.bool(0.7);
  const prompts = r.pick([1, 1, 2]);
  const n = r.pick([1, 1, 2]);
  const wantLogprobs = r.bool(0.4);
  const includeUsage = r.bool(0.5);
  const id = `cmpl-${seed.toString(16)}`;
  const created = 1727000000 + r.int(1000);
  const model = "gpt-35-turbo-instruct";
  const fingerprint = r.pick([undefined, null, "fp_c"]);
  const queues = [];
  const choices = [];
  for (let index = 0; index < prompts * n; index++) {
    const tokens = Array.from({ length: r.int(10) }, () => r.pick(TOKENS));
    const start = 20 + r.int(30);
    const offsets = tokens.map((_, i) => start + tokens.slice(0, i).join("").length);
    const lps = tokens.map((_, i) => -(i + 1) / 4);
    const queue = [];
    const piece = (text, from, to, extra = {}) => {
      const p = {
        text,
        index,
        logprobs: wantLogprobs
          ? {
            tokens: tokens.slice(from, to),
            token_logprobs: lps.slice(from, to),
            top_logprobs: tokens.slice(from, to).map((t, i) => ({
              [t]: lps[from + i],
            })),
            text_offset: offsets.slice(from, to),
          }
          : null,
        finish_reason: null,
        ...extra,
      };
      if (azure && !p.content_filter_results && r.bool(0.5)) {
        p.content_filter_results = verdict(r);
      }
      queue.push(p);
    };
    for (let from = 0; from < tokens.length;) {
      const take = 1 + r.int(3);
      piece(tokens.slice(from, from + take).join(""), from, from + take);
      from += take;
    }
    const finish = r.pick(["stop", "length", "content_filter"]);
    const finishExtra = { finish_reason: finish };
    if (azure) {
      finishExtra.content_filter_results = finish === "content_filter" ? verdict(r, true) : {};
    }
    if (queue.length && r.bool(0.4)) Object.assign(queue.at(-1), finishExtra);
    else {
      // The finish chunk's logprobs: null, or empty arrays (always when no token came).
      const nullLogprobs = wantLogprobs && tokens.length && r.bool(0.5);
      piece(
        "",
        0,
        0,
        nullLogprobs ? { ...finishExtra, logprobs: null } : finishExtra,
      );
    }
    const verdicts = queue.map((p) => p.content_filter_results).filter(Boolean);
    queues.push(queue);
    choices.push({
      index,
      text: tokens.join(""),
      finish_reason: finish,
      logprobs: wantLogprobs
        ? {
          tokens,
          token_logprobs: lps,
          top_logprobs: tokens.map((t, i) => ({ [t]: lps[i] })),
          text_offset: offsets,
        }
        : null,
      ...(azure ? { content_filter_results: wholeVerdict(verdicts) } : {}),
    });
  }
  const top = () => ({
    id,
    object: "text_completion",
    created,
    model,
    ...(fingerprint === undefined ? {} : { system_fingerprint: fingerprint }),
    ...(includeUsage ? { usage: null } : {}),
  });
  const chunks = [];
  const promptFilters = Array.from(
    { length: prompts },
    (_, i) => PROMPT_FILTER(i),
  );
  if (azure) {
    // One prompt-filter-only chunk, or one per prompt.
    const lists = r.bool(0.5) ? [promptFilters] : promptFilters.map((p) => [p]);
    for (const list of lists) {
      chunks.push({
        id: "",
        object: "",
        created: 0,
        model: "",
        choices: [],
        prompt_filter_results: list,
      });
    }
  }
  for (const group of interleave(r, queues)) {
    chunks.push({ ...top(), choices: group });
  }
  const usage = { prompt_tokens: 7, completion_tokens: 9, total_tokens: 16 };
  if (includeUsage) chunks.push({ ...top(), choices: [], usage });
  const reply = { id, object: "text_completion", created, model, choices };
  if (fingerprint !== undefined) reply.system_fingerprint = fingerprint;
  if (azure) reply.prompt_filter_results = promptFilters;
  if (includeUsage) reply.usage = usage;
  return { seed, chunks, reply };
}

/** A body that hands out `text` in writes of 1..97 bytes chosen by `r`. */
function body(r, text) {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const size = 1 + r.int(97);
      controller.enqueue(bytes.slice(at, at += size));
    },
  });
}
const sse = (chunks) =>
  [...chunks.map((c) => JSON.stringify(c)), "[DONE]"].map((d) => `data: ${d}\n\n`).join("");
const ndjson = (chunks) => chunks.map((c) => `${JSON.stringify(c)}\n`).join("");
const eventStream = (r, chunks) =>
  new Response(body(r, sse(chunks)), {
    headers: { "content-type": "text/event-stream" },
  });

/** Paths of the leaves where `a` and `b` differ (a member missing on one side counts). */
function differences(a, b, path = "", out = []) {
  if (Object.is(a, b)) return out;
  const objects = a !== null && b !== null && typeof a === "object" &&
    typeof b === "object";
  if (!objects || Array.isArray(a) !== Array.isArray(b)) {
    out.push(path);
    return out;
  }
  if (Array.isArray(a) && a.length !== b.length) out.push(`${path}.length`);
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const at = Array.isArray(a) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    differences(a[key], b[key], at, out);
  }
  return out;
}

const isEqual = (a, b) => differences(a, b).length === 0;

/** `a.b[0].c` -> value (undefined when a member is missing). */
function at(value, path) {
  for (const key of path.replace(/\.length$/, "").match(/[^.[\]]+/g)) {
    value = value?.[key];
  }
  return value;
}

/**
 * Every known way the SDK's result differs from ours (= the reply). `at` matches the differing
 * leaf's path and captures the choice index; `holds(ours, sdk, facts, index)` checks the SDK's
 * actual value for that case, so a rule only explains the difference it names.
 */
const SDK_DIFFERENCES = [
  {
    name: "content filter results: SDK keeps the last chunk's",
    at: /^choices\[(\d+)\]\.content_filter_results(\.|$)/,
    holds: (ours, sdk, facts, i) =>
      isEqual(sdk.choices[i].content_filter_results, facts.lastFilter[i]) &&
      !isEqual(ours.choices[i].content_filter_results, facts.lastFilter[i]),
    why: "Azure sends each checked range's verdict on some chunks and {} on the finish chunk; " +
      "the reply's contentFilterChoiceResults judge the whole text, so the worst verdict per " +
      "category stays (ours); the SDK keeps whatever the choice's last chunk said",
  },
  {
    name: "content_filter_offsets: SDK keeps the last chunk's",
    at: /^choices\[(\d+)\]\.content_filter_offsets(\.|$)/,
    holds: (ours, sdk, facts, i) =>
      ours.choices[i].content_filter_offsets === undefined &&
      isEqual(sdk.choices[i].content_filter_offsets, facts.lastOffsets[i]),
    why: "stream-only bookkeeping of Azure's asynchronous filter (how far it has checked); " +
      "createChatCompletionResponse has no such member, so we don't carry it into the reply",
  },
  {
    name: "system_fingerprint null on every chunk: SDK drops it",
    at: /^system_fingerprint$/,
    holds: (ours, sdk, facts) =>
      facts.fingerprint === "null" && ours.system_fingerprint === null &&
      !("system_fingerprint" in sdk),
    why: "we keep what the stream said (null), as the non-streamed reply of the same upstream " +
      "does; the SDK leaves a falsy fingerprint out",
  },
  {
    name: "empty text or refusal: SDK says null",
    at: /^choices\[(\d+)\]\.message\.(content|refusal)$/,
    holds: (ours, sdk, _facts, i) => {
      const member = ours.choices[i].message.content === "" ? "content" : "refusal";
      return ours.choices[i].message[member] === "" &&
        sdk.choices[i].message[member] === null;
    },
    why: "a text stream opens with content '' (a refusal with refusal '', tool-call ones with " +
      "content null); an empty text is '' in the non-streamed reply (ours); the SDK turns " +
      "every empty text into null",
  },
  {
    name: "logprobs on the opening chunk: SDK counts them twice",
    at: /^choices\[(\d+)\]\.logprobs\.(content|refusal)(\.|\[|$)/,
    holds: (ours, sdk, facts, i) => {
      const opening = facts.openingLogprobs[i];
      if (!opening) return false;
      const mine = ours.choices[i].logprobs[opening.member];
      return isEqual(sdk.choices[i].logprobs[opening.member], [
        ...opening.items,
        ...mine,
      ]);
    },
    why: "the SDK keeps the opening chunk's logprobs object and then pushes that chunk's tokens " +
      "onto its own array again; the reply has one entry per token (ours)",
  },
];

/** Streams the SDK refuses while ours folds them into the reply: `holds(facts)`, `error`. */
const SDK_REJECTIONS = [
  {
    name: "tool_calls with index gaps: the SDK throws",
    error: /Cannot read properties of undefined \(reading 'type'\)/,
    holds: (facts) => facts.gap,
    why: "the SDK stores calls at their chunk index, so a gap leaves a hole that its final " +
      "check reads (TypeError); the reply's tool_calls is a dense array of the calls in index " +
      "order (ours: the index only orders and groups the fragments)",
  },
];

/** SDK-only helper output, not part of the API: dropped before comparing. */
function dropSdkHelperFields(completion) {
  for (const c of completion.choices ?? []) delete c.message?.parsed;
  return completion;
}

const seeds = (count, salt) => Array.from({ length: count }, (_, i) => (SEED ^ salt) + i);

describe("accumulators vs the non-streamed reply and the openai SDK (generated streams)", () => {
  const fired = new Map(
    [...SDK_DIFFERENCES, ...SDK_REJECTIONS].map((rule) => [rule.name, 0]),
  );
  const shapes = {
    chunksWithoutDelta: 0,
    gaps: 0,
    parallel: 0,
    n: 0,
    usage: 0,
  };

  test(`${CHAT_CASES} chat streams: ours equals the reply; SDK differences are the known ones`, async () => {
    for (const seed of seeds(CHAT_CASES, 0)) {
      const c = chatCase(seed);
      for (const chunk of c.chunks) {
        if (chunk.choices.some((choice) => !("delta" in choice))) {
          shapes.chunksWithoutDelta++;
        }
        if (
          chunk.choices.some((choice) => (choice.delta?.tool_calls?.length ?? 0) > 1)
        ) {
          shapes.parallel++;
        }
      }
      if (c.facts.gap) shapes.gaps++;
      if (c.reply.choices.length > 1) shapes.n++;
      if (c.reply.usage) shapes.usage++;
      const r = prng(seed ^ 0xb0d1);
      const ours = await new ChatCompletionStream(eventStream(r, c.chunks))
        .finalChatCompletion();
      assert.deepEqual(ours, c.reply, `seed ${seed}: ours vs the reply`);
      let sdk;
      try {
        sdk = dropSdkHelperFields(
          await SdkChatCompletionStream.fromReadableStream(
            body(r, ndjson(c.chunks)),
          )
            .finalChatCompletion(),
        );
      } catch (error) {
        const rule = SDK_REJECTIONS.find((rule) =>
          rule.error.test(String(error?.message)) && rule.holds(c.facts)
        );
        assert.ok(
          rule,
          `seed ${seed}: the SDK rejects for no known reason: ${error}`,
        );
        fired.set(rule.name, fired.get(rule.name) + 1);
        continue;
      }
      const unexplained = [];
      for (const path of differences(ours, sdk)) {
        const rule = SDK_DIFFERENCES.find((rule) => {
          const match = path.match(rule.at);
          try {
            return match && rule.holds(ours, sdk, c.facts, Number(match[1]));
          } catch {
            return false; // a member the rule reads is missing: not this rule's difference
          }
        });
        if (rule) fired.set(rule.name, fired.get(rule.name) + 1);
        else {unexplained.push({
            path,
            ours: at(ours, path),
            sdk: at(sdk, path),
          });}
      }
      assert.deepEqual(
        unexplained,
        [],
        `seed ${seed}: SDK differences no rule explains`,
      );
    }
    // The generator reaches the shapes it is meant to (a generator change can't lose them).
    for (const [shape, count] of Object.entries(shapes)) {
      assert.ok(count > 0, `no case has ${shape}`);
    }
  });

  test("every known SDK difference still happens", (t) => {
    t.diagnostic(
      `differing leaves (or refused streams) per rule: ${
        JSON.stringify(Object.fromEntries(fired))
      }`,
    );
    t.diagnostic(`cases per shape: ${JSON.stringify(shapes)}`);
    for (const [name, count] of fired) {
      assert.ok(count > 0, `never seen: ${name}`);
    }
  });

  test(`${COMPLETION_CASES} text completion streams: ours equals the reply (the SDK has no accumulator)`, async () => {
    for (const seed of seeds(COMPLETION_CASES, 0xc0)) {
      const c = completionCase(seed);
      const r = prng(seed ^ 0xb0d1);
      const ours = await new CompletionStream(eventStream(r, c.chunks))
        .finalCompletion();
      assert.deepEqual(ours, c.reply, `seed ${seed}: ours vs the reply`);
    }
  });
});
