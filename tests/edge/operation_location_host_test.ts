// An `operation-location` is rewritten to this app only when it is under the upstream's endpoint:
// a host that merely starts with the endpoint's text (`…azure.com.evil`) is another host. One not
// under the endpoint never reaches the client as it came: rewritten to this app when it names an
// operation id, else dropped (and reported without quoting it).
import assert from "node:assert/strict";
import { operationLocationAnswer } from "./_helpers.ts";

const VERSION = "2023-06-01-preview";

function answerFor(
  location: string,
  route: { method: "POST" | "GET" | "DELETE"; path: string } = {
    method: "POST",
    path: "/openai/images/generations:submit",
  },
): Promise<{ location: string | null; errors: string[] }> {
  return operationLocationAnswer("https://my-res.openai.azure.com", location, route, VERSION);
}

async function locationFor(location: string): Promise<string | null> {
  return (await answerFor(location)).location;
}

Deno.test("edge: operation-location under the upstream's endpoint is rewritten to the app", async () => {
  const path = `/openai/operations/images/op1?api-version=${VERSION}`;
  assert.equal(
    await locationFor(`https://my-res.openai.azure.com${path}`),
    `http://edge.test${path}`,
  );
});

Deno.test("edge: an operation-location on another host naming an operation id is rewritten to the app, without the other host's query", async () => {
  const own = `http://edge.test/openai/operations/images/op-1a?api-version=${VERSION}`;
  for (
    const other of [
      // Hosts that only start with the endpoint's text.
      "https://my-res.openai.azure.com.evil/openai/operations/images/op-1a",
      "https://my-res.openai.azure.com:8443/openai/operations/images/op-1a",
      "https://my-res.openai.azure.comx/openai/operations/images/op-1a",
      // Another resource (a regional or custom-domain endpoint), its query carrying a secret.
      "https://other-res.cognitiveservices.azure.com/openai/operations/images/op-1a?" +
      "api-version=2023-06-01-preview&sig=upstream-secret-sig",
      "https://gw.example/aoai/openai/operations/images/op-1a?subscription-key=upstream-secret",
      // Relative: resolved against this app it could name another path.
      "/openai/operations/images/op-1a",
    ]
  ) {
    const { location, errors } = await answerFor(other);
    assert.equal(location, own, other);
    assert.deepEqual(errors, []);
  }
});

Deno.test("edge: an operation-location on another host naming no operation id is dropped and reported without quoting it", async () => {
  for (
    const other of [
      "https://other.example/status?token=upstream-secret-token",
      "https://other.example/openai/operations/images/a%2Fb",
      "https://other.example/openai/operations/images/" + "x".repeat(101),
      "not a url",
    ]
  ) {
    const { location, errors } = await answerFor(other);
    assert.equal(location, null, other);
    assert.equal(errors.length, 1, other);
    assert.match(errors[0], /^images\.submit: .*operation-location/);
    assert.ok(!errors[0].includes("upstream-secret"), errors[0]);
    assert.ok(!errors[0].includes("other.example"), errors[0]);
  }
});

Deno.test("edge: an operation-location on a poll or delete answer is held to this app too", async () => {
  for (const method of ["GET", "DELETE"] as const) {
    const route = { method, path: "/openai/operations/images/op1" };
    const rewritten = await answerFor(
      "https://elsewhere.example/openai/operations/images/op1",
      route,
    );
    assert.equal(
      rewritten.location,
      `http://edge.test/openai/operations/images/op1?api-version=${VERSION}`,
    );
    const dropped = await answerFor("https://elsewhere.example/x?sig=upstream-secret", route);
    assert.equal(dropped.location, null);
    assert.equal(dropped.errors.length, 1);
  }
});
