// withoutUsageEvent() takes `"usage":null` off the other events only where it is a member it can
// cut cleanly (`,"usage":null` before `,` or `}`, or `"usage":null,`): alone in its object, before
// a space, or a name that only ends like it, the event passes byte for byte.
import assert from "node:assert/strict";
import { withoutUsageEvent } from "./_stream_usage.ts";

async function through(text: string): Promise<string> {
  const body = new Response(text).body!;
  return await new Response(withoutUsageEvent(body, () => {})).text();
}

Deno.test("withoutUsageEvent() cuts the usage null member before a comma or a brace", async () => {
  for (
    const [event, cut] of [
      ['{"a":1,"usage":null}', '{"a":1}'],
      ['{"a":1,"usage":null,"b":2}', '{"a":1,"b":2}'],
      ['{"usage":null,"b":2}', '{"b":2}'],
      // One it cannot cut first: the search goes on to the next.
      ['{"x":{"usage":null},"usage":null}', '{"x":{"usage":null}}'],
    ]
  ) {
    assert.equal(await through(`data: ${event}\n\n`), `data: ${cut}\n\n`, event);
  }
});

Deno.test("withoutUsageEvent() leaves a usage null it cannot cut cleanly, and other names", async () => {
  for (
    const event of [
      '{"usage":null}',
      '{"a":1,"usage":null }',
      '{"a":1, "usage":null\n}',
      '{"a":1,"xsage":null}',
      '{"a":1,"usage":nullx}',
      '{"a":"","b":1}',
    ]
  ) {
    assert.equal(await through(`data: ${event}\n\n`), `data: ${event}\n\n`, event);
  }
});
