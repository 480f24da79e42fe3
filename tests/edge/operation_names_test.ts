import assert from "node:assert/strict";
import { errorOf, testApp, VERSION } from "./_helpers.ts";

// Operation names are looked up in a table: names that every object has (constructor,
// toString, __proto__, ...) are not operations of this app.
for (const name of ["constructor", "toString", "hasOwnProperty", "valueOf", "__proto__"]) {
  Deno.test(`POST .../${name} is a 404 that sends nothing upstream and logs no failure`, async () => {
    const logged: string[] = [];
    const t = testApp({ onError: (message) => logged.push(message) });
    for (
      const path of [
        `/openai/deployments/gpt-4o/${name}?api-version=${VERSION}`,
        `/v1/${name}`,
        `/openai/v1/${name}`,
      ]
    ) {
      const res = await t.call(path, { json: { model: "gpt-4o", input: "x" } });
      assert.equal(res.status, 404, path);
      assert.equal((await errorOf(res)).code, "404");
    }
    assert.deepEqual(t.upstream, []);
    assert.deepEqual(logged, []);
  });
}
