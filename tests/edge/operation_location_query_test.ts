// An `operation-location` under the upstream's endpoint reaches the client as this app's poll URL
// with the request's api-version, never with the upstream's path or query (a gateway in front of
// Azure may put a key or a signature there); one naming no operation id is dropped and reported.
import assert from "node:assert/strict";
import { operationLocationAnswer } from "./_helpers.ts";

const VERSION = "2023-06-01-preview";
const ROUTES = [
  { method: "POST", path: "/openai/images/generations:submit" },
  { method: "GET", path: "/openai/operations/images/op1" },
  { method: "DELETE", path: "/openai/operations/images/op1" },
] as const;

/** What the client gets on `route` when the upstream at `endpoint` answers `location`. */
const answerFor = (endpoint: string, location: string, route: (typeof ROUTES)[number]) =>
  operationLocationAnswer(endpoint, location, route, VERSION);

Deno.test("edge: an operation-location under the upstream's endpoint becomes this app's poll URL, without the upstream's query", async () => {
  const own = `http://edge.test/openai/operations/images/op1?api-version=${VERSION}`;
  for (
    const [endpoint, location] of [
      [
        "https://gw.example/aoai",
        "https://gw.example/aoai/openai/operations/images/op1?api-version=2024-02-01" +
        "&subscription-key=upstream-secret-key",
      ],
      [
        "https://my-res.openai.azure.com",
        "https://my-res.openai.azure.com/openai/operations/images/op1?sig=upstream-secret-sig" +
        `&api-version=${VERSION}#upstream-secret-fragment`,
      ],
      [
        "https://my-res.openai.azure.com",
        "https://my-res.openai.azure.com/openai/operations/images/op1",
      ],
    ]
  ) {
    for (const route of ROUTES) {
      const { location: got, errors } = await answerFor(endpoint, location, route);
      assert.equal(got, own, `${route.method} ${location}`);
      assert.deepEqual(errors, []);
    }
  }
});

Deno.test("edge: an operation-location under the upstream's endpoint naming no operation id is dropped and reported without quoting it", async () => {
  for (
    const location of [
      "https://my-res.openai.azure.com/status?token=upstream-secret-token",
      "https://my-res.openai.azure.com/openai/operations/images/a%2Fb?sig=upstream-secret",
      "https://my-res.openai.azure.com?sig=upstream-secret",
    ]
  ) {
    for (const route of ROUTES) {
      const { location: got, errors } = await answerFor(
        "https://my-res.openai.azure.com",
        location,
        route,
      );
      assert.equal(got, null, `${route.method} ${location}`);
      assert.equal(errors.length, 1, location);
      assert.match(errors[0], /^images\.\w+: .*operation-location/);
      assert.ok(!errors[0].includes("upstream-secret"), errors[0]);
    }
  }
});
