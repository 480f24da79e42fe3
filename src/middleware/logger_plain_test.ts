/**
 * A response logger() watches behaves as a plain Response where a caller can tell: its read
 * methods are not enumerable own properties (Object.keys, spread), and clone() gives a working
 * clone whatever was touched before, the original's body still working and still ending in one
 * `done`.
 */
import assert from "node:assert/strict";
import { compose } from "./compose.ts";
import { type LogEvent, logger } from "./logger.ts";
import { onBodyEnd } from "../_internal/on_body_end.ts";
import { AzureOpenAI } from "../client.ts";
import { createEmulator } from "../emulator/mod.ts";
import { makeContext } from "../../tests/middleware/_context.ts";

const BODY = JSON.stringify({
  id: "x",
  usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
});
const USAGE = { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 };

function run() {
  const events: LogEvent[] = [];
  const call = compose(
    [logger({ onEvent: (e) => events.push(e) })],
    () => Promise.resolve(new Response(BODY, { headers: { "content-type": "application/json" } })),
  );
  return { events, response: call(makeContext()) };
}

const types = (events: LogEvent[]) => events.map((e) => e.type);

/** The own enumerable keys (strings and symbols) of `res`. */
const enumerable = (res: object) =>
  Reflect.ownKeys(res).filter((k) => Object.getOwnPropertyDescriptor(res, k)!.enumerable);

Deno.test("logger(): a watched response has no enumerable own properties of its own", async () => {
  const res = await run().response;
  assert.deepEqual(Object.keys(res), []);
  assert.deepEqual(Object.keys({ ...res }), []);
  // What the body hook under it sets (not the logger's) is all there is.
  const bare = onBodyEnd(new Response("x"), () => {});
  assert.equal(enumerable(res).length, enumerable(bare).length);
  assert.doesNotMatch(Deno.inspect(res), /arrayBuffer|Function/);
  assert.equal(await res.text(), BODY);
});

Deno.test("logger(): clone() after `body` was looked at gives a working clone; the original still reads and is done once", async () => {
  const { events, response } = run();
  const res = await response;
  assert.ok(res.body, "a check of the body, as inspecting it does");
  const copy = res.clone();
  assert.equal(await copy.text(), BODY);
  assert.deepEqual(types(events), ["start", "end"], "the clone is not followed");
  assert.equal(await new Response(res.body).text(), BODY);
  assert.deepEqual(types(events), ["start", "end", "done"]);
  assert.deepEqual(events[2].usage, USAGE);
  assert.equal(copy.status, res.status);
  assert.equal(copy.headers.get("content-type"), "application/json");
});

Deno.test("logger(): clone() after `body` was looked at, the original read first through json()", async () => {
  const { events, response } = run();
  const res = await response;
  res.body;
  const copy = res.clone();
  assert.deepEqual(await res.json(), JSON.parse(BODY));
  assert.deepEqual(types(events), ["start", "end", "done"]);
  assert.equal(await copy.text(), BODY);
  assert.equal(events.length, 3);
});

Deno.test("logger(): clone() before the body was touched; the original read through body or text()", async () => {
  for (const read of ["body", "text"] as const) {
    const { events, response } = run();
    const res = await response;
    const copy = res.clone();
    assert.equal(await copy.text(), BODY, read);
    assert.deepEqual(types(events), ["start", "end"], read);
    assert.equal(read === "body" ? await new Response(res.body).text() : await res.text(), BODY);
    assert.deepEqual(types(events), ["start", "end", "done"], read);
    assert.deepEqual(events[2].usage, USAGE, read);
  }
});

Deno.test("logger(): clone() of a body being read or read fails as a plain response's does", async () => {
  const { response } = run();
  const res = await response;
  const reader = res.body!.getReader();
  assert.throws(() => res.clone(), TypeError);
  await reader.read();
  reader.releaseLock();
  assert.throws(() => res.clone(), TypeError);
  const plain = new Response("x");
  plain.body!.getReader();
  assert.throws(() => plain.clone(), TypeError);
});

Deno.test("logger() in the client: a raw response's body looked at, then cloned, reads whole twice with one done", async () => {
  const emulator = createEmulator();
  const events: LogEvent[] = [];
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: emulator.fetch,
    middleware: [logger({ onEvent: (e) => events.push(e) })],
  });
  const res = await client.request({
    path: "embeddings",
    deployment: "text-embedding-3-small",
    json: { input: "hi" },
  });
  assert.deepEqual(Object.keys(res), []);
  assert.ok(res.body);
  const copy = res.clone();
  const [a, b] = await Promise.all([copy.json(), res.json()]);
  assert.deepEqual(a, b);
  assert.equal(a.object, "list");
  assert.deepEqual(types(events), ["start", "end", "done"]);
  assert.equal(events[2].usage?.total_tokens, a.usage.total_tokens);
});

Deno.test("logger(): after a clone(), a failure reading the original still gives an `error` event", async () => {
  const events: LogEvent[] = [];
  let fail!: (err: Error) => void;
  const call = compose(
    [logger({ onEvent: (e) => events.push(e) })],
    () =>
      Promise.resolve(
        new Response(
          new ReadableStream({
            start(c) {
              c.enqueue(new TextEncoder().encode('{"a":'));
              fail = (err) => c.error(err);
            },
          }),
          { headers: { "content-type": "application/json" } },
        ),
      ),
  );
  const res = await call(makeContext());
  const copy = res.clone();
  const reading = res.text();
  fail(new TypeError("connection reset"));
  await assert.rejects(reading, /connection reset/);
  await assert.rejects(copy.text(), /connection reset/);
  assert.deepEqual(types(events), ["start", "end", "error"]);
  assert.match(events[2].error!.message, /connection reset/);
});

Deno.test("logger(): a watched response has no own property a plain one lacks, and inspects as a Response", async () => {
  const res = await run().response;
  const plain = new Response(BODY, { headers: { "content-type": "application/json" } });
  assert.deepEqual(Reflect.ownKeys(res).map(String), Reflect.ownKeys(plain).map(String));
  assert.equal(Deno.inspect(res), Deno.inspect(plain));
  assert.equal(await res.clone().text(), BODY, "inspecting it took nothing");
  assert.equal(await res.text(), BODY);
});
