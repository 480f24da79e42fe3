// A raw body whose connection is lost mid-way, as workerd reports it (a plain `Error: Network
// connection lost.`, where Deno, Node and Bun throw a TypeError), rejects its reads with
// APIConnectionError, the failure as cause, as a TypeError does; an AbortError DOMException from
// the body keeps its type (it is no lost connection), and the caller's abort stays
// APIUserAbortError.
import assert from "node:assert/strict";
import type { AzureOpenAI } from "../../src/client.ts";
import { APIConnectionError, APIUserAbortError } from "../../src/errors/mod.ts";
import { cuttingClient, readAll } from "./_cut_body.ts";

const KEY = "raw-cut-plain-key-0123456789abcdef";
const json = { messages: [{ role: "user", content: "hi" }], stream: true };

/** A client whose every answer sends one event, then fails its body with what `fail` gives. */
const client = (fail: () => unknown) => cuttingClient({ apiKey: KEY, fail });

const call = (c: AzureOpenAI, signal?: AbortSignal) =>
  c.request(
    { path: "chat/completions", deployment: "gpt-4o", method: "POST", json, stream: true },
    { signal },
  );

for (const signal of [undefined, new AbortController().signal]) {
  const withSignal = signal ? "with" : "without";
  Deno.test(`a raw stream body failing with a plain Error (workerd's lost connection) rejects with APIConnectionError (${withSignal} a signal)`, async () => {
    const lost = new Error("Network connection lost.");
    const err = await readAll((await call(client(() => lost), signal)).body);
    assert.ok(err instanceof APIConnectionError, String(err));
    assert.equal((err as Error).cause, lost);
    assert.match((err as Error).message, /lost the connection/);
    assert.ok(!(err as Error).message.includes(KEY));
  });

  Deno.test(`text() of a raw stream failing with a plain Error rejects with APIConnectionError (${withSignal} a signal)`, async () => {
    const res = await call(client(() => new Error("Network connection lost.")), signal);
    const err = await res.text().then(() => assert.fail("resolved"), (e) => e);
    assert.ok(err instanceof APIConnectionError, String(err));
  });

  Deno.test(`a raw stream body failing with an AbortError DOMException keeps it (${withSignal} a signal)`, async () => {
    const abort = new DOMException("The operation was aborted.", "AbortError");
    const err = await readAll((await call(client(() => abort), signal)).body);
    assert.equal(err, abort);
    assert.ok(!(err instanceof APIConnectionError));
  });
}

Deno.test("a raw stream body the caller aborts rejects with APIUserAbortError, not APIConnectionError", async () => {
  const caller = new AbortController();
  // The body fails with a plain Error once the caller aborted (as a runtime may report the
  // dropped connection): the caller's abort is what the reader is told.
  const res = await call(
    client(() => (caller.abort(), new Error("Network connection lost."))),
    caller.signal,
  );
  const err = await readAll(res.body);
  assert.ok(err instanceof APIUserAbortError, String(err));
  assert.ok(!(err instanceof APIConnectionError));
});

Deno.test("a subclass of Error from the body (not a lost connection) is left as it is", async () => {
  class Other extends Error {}
  const other = new Other("something else");
  const err = await readAll((await call(client(() => other))).body);
  assert.equal(err, other);
});
