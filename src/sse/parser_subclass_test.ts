import assert from "node:assert/strict";
import { ServerSentEventParser } from "./parser.ts";
import type { ServerSentEvent } from "./server_sent_event.ts";

// The parser is a public class: a subclass may override reset(), and the base constructor must
// not call that override (it would run before the subclass's own fields exist).

Deno.test("a ServerSentEventParser subclass may override reset() with its own private state", () => {
  class Counting extends ServerSentEventParser {
    #resets = 0;
    override reset(): void {
      super.reset();
      this.#resets++;
    }
    get resets(): number {
      return this.#resets;
    }
  }
  const events: ServerSentEvent[] = [];
  const parser = new Counting((event) => events.push(event));
  assert.equal(parser.resets, 0, "the constructor does not call the override");
  parser.feed(new TextEncoder().encode("data: a\n\n"));
  parser.reset();
  assert.equal(parser.resets, 1);
  assert.deepEqual(events, [{ event: "message", data: "a", id: "" }]);
});

Deno.test("a ServerSentEventParser subclass whose reset() does not call super still parses", () => {
  class KeepsState extends ServerSentEventParser {
    override reset(): void {}
  }
  const events: ServerSentEvent[] = [];
  const parser = new KeepsState((event) => events.push(event));
  parser.feed(new TextEncoder().encode("\uFEFFid: 1\ndata: b\n\n"));
  assert.deepEqual(events, [{ event: "message", data: "b", id: "1" }]);
});
