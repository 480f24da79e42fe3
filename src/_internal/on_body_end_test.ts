import assert from "node:assert/strict";
import { APIUserAbortError } from "../errors/api_error.ts";
import { onBodyEnd, unlinkOnEnd } from "./on_body_end.ts";

const encode = (text: string) => new TextEncoder().encode(text);

/** A body that sends `first`, then waits for `finish()` (which sends `rest` and closes). */
function slowBody(first: string): {
  body: ReadableStream<Uint8Array>;
  finish: (rest: string) => void;
  fail: (err: Error) => void;
} {
  let c!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      c = controller;
      c.enqueue(encode(first));
    },
  });
  return {
    body,
    finish: (rest) => {
      c.enqueue(encode(rest));
      c.close();
    },
    fail: (err) => c.error(err),
  };
}

Deno.test("onBodyEnd() calls done only once json() has read the body, on the same response", async () => {
  const slow = slowBody('{"a":');
  const original = new Response(slow.body);
  let ends = 0;
  const res = onBodyEnd(original, () => void ends++);
  assert.equal(res, original, "no copy");
  assert.ok(res instanceof Response);
  const reading = res.json();
  await Promise.resolve();
  assert.equal(ends, 0, "still reading");
  slow.finish("1}");
  assert.deepEqual(await reading, { a: 1 });
  assert.equal(ends, 1);
  await assert.rejects(res.text()); // body used: done is not called again
  assert.equal(ends, 1);
});

Deno.test("onBodyEnd() gives a failed read the error done returns", async () => {
  const slow = slowBody("x");
  const mapped = new Error("mapped");
  const seen: unknown[] = [];
  const res = onBodyEnd(new Response(slow.body), (err) => {
    seen.push(err);
    return err && mapped;
  });
  const reading = res.text();
  const cause = new Error("reset");
  slow.fail(cause);
  await assert.rejects(reading, (err) => err === mapped);
  assert.deepEqual(seen, [cause]);
});

Deno.test("onBodyEnd() watches response.body to its end, error or cancel", async () => {
  let ends = 0;
  const ok = onBodyEnd(new Response("abc"), () => void ends++);
  assert.equal(ok.body, ok.body, "one watched stream");
  assert.equal(await new Response(ok.body).text(), "abc");
  assert.equal(ends, 1);

  const slow = slowBody("x");
  const mapped = new Error("mapped");
  const failing = onBodyEnd(new Response(slow.body), (err) => err && mapped);
  const reader = failing.body!.getReader();
  await reader.read();
  slow.fail(new Error("reset"));
  await assert.rejects(reader.read(), (err) => err === mapped);

  let cancelled = 0;
  const cancelling = onBodyEnd(new Response(slowBody("y").body), () => void cancelled++);
  await cancelling.body!.cancel();
  assert.equal(cancelled, 1);
});

Deno.test("onBodyEnd() calls done at once for a status without a body", () => {
  let ends = 0;
  const empty = new Response(null, { status: 204 });
  assert.equal(onBodyEnd(empty, () => void ends++), empty);
  assert.equal(ends, 1);
});

Deno.test("onBodyEnd(): clone() after body was looked at works, as on a plain response", async () => {
  const plain = new Response("abc");
  assert.ok(plain.body);
  assert.equal(await plain.clone().text(), "abc");
  let ends = 0;
  const res = onBodyEnd(new Response("abc"), () => void ends++);
  if (!res.body) throw new Error("no body"); // e.g. a check before reading
  const copy = res.clone();
  assert.equal(await copy.text(), "abc");
  assert.equal(ends, 0, "the clone is not followed");
  assert.equal(await new Response(res.body).text(), "abc");
  assert.equal(ends, 1);
  // Looked at through inspection, then cloned and read with a read method.
  const inspected = onBodyEnd(new Response("xyz"), () => void ends++);
  Deno.inspect(inspected);
  assert.equal(await inspected.clone().text(), "xyz");
  assert.equal(await inspected.text(), "xyz");
  assert.equal(ends, 2);
});

Deno.test("onBodyEnd(): clone() is not followed: the original's later end or error reaches the hooks", async () => {
  const seen: unknown[] = [];
  const res = onBodyEnd(new Response("abc"), (err) => void seen.push(err ?? "end"));
  const copy = res.clone();
  assert.deepEqual(seen, [], "not done at the clone");
  assert.equal(await copy.text(), "abc");
  assert.deepEqual(seen, [], "not done at the clone's end");
  assert.equal(await res.text(), "abc");
  assert.deepEqual(seen, ["end"]);

  const slow = slowBody("x");
  const mapped = new Error("mapped");
  const errors: unknown[] = [];
  const failing = onBodyEnd(new Response(slow.body), (err) => {
    errors.push(err);
    return err && mapped;
  });
  failing.clone();
  const reading = failing.text();
  const cause = new Error("reset");
  slow.fail(cause);
  await assert.rejects(reading, (err) => err === mapped);
  assert.deepEqual(errors, [cause]);
});

Deno.test("onBodyEnd(): looking at body (inspecting the response) runs no start; reading it does", async () => {
  for (const read of ["body", "text"] as const) {
    const starts: string[] = [];
    const res = onBodyEnd(new Response("abc"), () => {}, () => void starts.push("start"));
    Deno.inspect(res);
    assert.ok(res.body);
    assert.deepEqual(starts, [], read);
    if (read === "body") await new Response(res.body).text();
    else assert.equal(await res.text(), "abc");
    assert.deepEqual(starts, ["start"], read);
  }
});

Deno.test("onBodyEnd(): a hooked response looks like a Response (inspect, own keys, spread)", async () => {
  const plain = new Response("abc");
  const res = onBodyEnd(new Response("abc"), () => {}, () => {});
  onBodyEnd(res, () => {});
  const enumerable = (o: object) =>
    Reflect.ownKeys(o).filter((k) => Object.getOwnPropertyDescriptor(o, k)!.enumerable);
  assert.deepEqual(enumerable(res).map(String), enumerable(plain).map(String));
  assert.deepEqual(Reflect.ownKeys({ ...res }).length, Reflect.ownKeys({ ...plain }).length);
  assert.equal(res.constructor, Response);
  assert.match(Deno.inspect(res), /^Response \{/);
  assert.equal(Deno.inspect(res), Deno.inspect(plain));
  assert.equal(await res.text(), "abc");
});

Deno.test("onBodyEnd() hooks add up: both run once, the later first; the earlier sees its error, and its own wins", async () => {
  for (const read of ["text", "body"] as const) {
    const calls: string[] = [];
    let res = new Response("abc");
    res = onBodyEnd(res, () => void calls.push("inner"));
    res = onBodyEnd(res, () => void calls.push("outer"));
    if (read === "text") assert.equal(await res.text(), "abc");
    else assert.equal(await new Response(res.body).text(), "abc");
    assert.deepEqual(calls, ["outer", "inner"], read);
  }
  const failing = () => new Response(new ReadableStream({ pull: (c) => c.error(reset) }));
  const reset = new Error("reset");
  const typed = new Error("typed by the later hook");
  // The earlier hook (a middleware's) gets what the later one (the client's) made of the error.
  const seen: unknown[] = [];
  const mapped = onBodyEnd(failing(), (err) => void seen.push(err));
  onBodyEnd(mapped, (err) => err === reset ? typed : undefined);
  await assert.rejects(mapped.text(), (err) => err === typed);
  assert.deepEqual(seen, [typed]);
  // An error of the earlier hook's own replaces it.
  const own = new Error("earlier mapped");
  const both = onBodyEnd(failing(), (err) => err === typed ? own : undefined);
  onBodyEnd(both, () => typed);
  await assert.rejects(both.text(), (err) => err === own);
});

Deno.test("onBodyEnd() runs a hook added after the body was taken once the body ends", async () => {
  const calls: string[] = [];
  const res = onBodyEnd(new Response("abc"), () => void calls.push("first"));
  const body = res.body!;
  onBodyEnd(res, () => void calls.push("second"));
  assert.equal(await new Response(body).text(), "abc");
  assert.deepEqual(calls, ["second", "first"]);
});

Deno.test("onBodyEnd() runs start once when the body is first touched, never before", async () => {
  for (const touch of ["text", "body", "arrayBuffer"] as const) {
    const starts: string[] = [];
    const res = onBodyEnd(new Response("abc"), () => {}, () => void starts.push("a"));
    onBodyEnd(res, () => {}, () => void starts.push("b"));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/plain;charset=UTF-8");
    assert.deepEqual(starts, [], "headers and status are no read");
    if (touch === "body") await new Response(res.body).text();
    else await res[touch]();
    assert.deepEqual(starts, ["a", "b"], touch);
  }
});

Deno.test("onBodyEnd(): body after a read method gives the used stream, as a plain response does", async () => {
  const plain = new Response("abc");
  await plain.text();
  const hooked = onBodyEnd(new Response("abc"), () => {});
  assert.equal(await hooked.text(), "abc");
  assert.equal(hooked.bodyUsed, plain.bodyUsed);
  assert.equal(plain.body?.locked, true);
  assert.equal(hooked.body?.locked, true);
});

Deno.test("onBodyEnd(): a read method after body was looked at reads it, as on a plain response", async () => {
  const plain = new Response('{"a":1}');
  assert.ok(plain.body);
  assert.deepEqual(await plain.json(), { a: 1 });
  let ends = 0;
  const hooked = onBodyEnd(new Response('{"a":1}'), () => void ends++);
  assert.ok(hooked.body, "e.g. `if (!res.body) throw …` before reading");
  assert.deepEqual(await hooked.json(), { a: 1 });
  assert.equal(ends, 1);
  assert.equal(hooked.bodyUsed, true);
  await assert.rejects(hooked.text(), TypeError, "read twice: the platform's error");
  assert.equal(ends, 1);
});

Deno.test("unlinkOnEnd(): a second read of a body in use is not a caller abort and unlinks nothing", async () => {
  const slow = slowBody("ab");
  const controller = new AbortController();
  let unlinked = 0;
  const res = unlinkOnEnd(new Response(slow.body), controller.signal, () => unlinked++, "op");
  const reading = res.text();
  controller.abort(); // not linked to this stand-in body: the first read goes on
  await assert.rejects(res.text(), (err) => {
    assert.ok(!(err instanceof APIUserAbortError), `mislabelled: ${err}`);
    return err instanceof TypeError;
  });
  assert.equal(unlinked, 0, "the first read is still going: the caller's signal stays linked");
  slow.finish("c");
  assert.equal(await reading, "abc");
  assert.equal(unlinked, 1);
});
