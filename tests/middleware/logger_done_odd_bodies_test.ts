// logger()'s `done` for bodies with nothing to count: a 204 (no body at all) and a JSON body
// that is `null`, read through json().
import assert from "node:assert/strict";
import { compose } from "../../src/middleware/compose.ts";
import { type LogEvent, logger } from "../../src/middleware/logger.ts";
import { makeContext } from "./_context.ts";

async function events(response: () => Response, read: (res: Response) => Promise<unknown>) {
  const seen: LogEvent[] = [];
  const res = await compose(
    [logger({ onEvent: (e) => seen.push(e) })],
    () => Promise.resolve(response()),
  )(makeContext());
  const value = await read(res);
  return { seen, value };
}

Deno.test("logger() done: a 204 is done at once, without usage", async () => {
  const { seen } = await events(() => new Response(null, { status: 204 }), () => Promise.resolve());
  assert.deepEqual(seen.map((e) => e.type), ["start", "end", "done"]);
  assert.equal(seen[2].status, 204);
  assert.equal(seen[2].usage, undefined);
});

Deno.test("logger() done: a JSON body that is null, read with json(), is done without usage", async () => {
  const { seen, value } = await events(
    () => new Response("null", { headers: { "content-type": "application/json" } }),
    (res) => res.json(),
  );
  assert.equal(value, null);
  assert.deepEqual(seen.map((e) => e.type), ["start", "end", "done"]);
  assert.equal(seen[2].usage, undefined);
});
