// The app's error answers: the service's shape with param null and the type from the status by
// default, never sniffed, each helper with its status, code and headers; quoteSent() cuts and tames
// what a client sent.
import assert from "node:assert/strict";
import {
  deploymentNotAllowedForKey,
  deploymentNotFound,
  errorResponse,
  invalidRequest,
  methodNotAllowed,
  notFound,
  quoteSent,
  unauthorized,
} from "./_errors.ts";

async function answer(res: Response) {
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    nosniff: res.headers.get("x-content-type-options"),
    error: (await res.json()).error,
  };
}

Deno.test("errorResponse() defaults param to null and type by status: 5xx server_error", async () => {
  assert.deepEqual(await answer(errorResponse(499, { code: "c", message: "m" })), {
    status: 499,
    type: "application/json",
    nosniff: "nosniff",
    error: { code: "c", message: "m", param: null, type: "invalid_request_error" },
  });
  const server = await answer(errorResponse(500, { code: "c", message: "m" }));
  assert.equal(server.error.type, "server_error");
  const given = errorResponse(502, { code: "c", message: "m", param: "p", type: "t" }, {
    "retry-after": "1",
  });
  assert.equal(given.headers.get("retry-after"), "1");
  assert.deepEqual((await answer(given)).error, { code: "c", message: "m", param: "p", type: "t" });
});

Deno.test("quoteSent() shows 40 characters by default, then …, with markup and controls as ?", () => {
  assert.equal(quoteSent("x".repeat(40)), `"${"x".repeat(40)}"`);
  assert.equal(quoteSent("ab" + "x".repeat(39)), `"ab${"x".repeat(38)}…"`);
  assert.equal(quoteSent('<a href="x">\n\u202e`\\&\'', 64), '"?a href=?x????????"');
  assert.equal(quoteSent("😀".repeat(3), 2), '"😀😀…"');
});

Deno.test("each error helper answers with its status, code and headers", async () => {
  const cases: [Response, number, string, string | null][] = [
    [invalidRequest("n", "bad n"), 400, "invalid_value", "n"],
    [invalidRequest(null, "bad", "invalid_json"), 400, "invalid_json", null],
    [unauthorized(), 401, "401", null],
    [deploymentNotAllowedForKey("gpt-4o"), 403, "DeploymentNotAllowedForKey", null],
    [deploymentNotFound("gpt-4o"), 404, "DeploymentNotFound", null],
    [methodNotAllowed("PUT", ["GET", "POST"]), 405, "MethodNotAllowed", null],
    [notFound(), 404, "404", null],
  ];
  for (const [res, status, code, param] of cases) {
    const got = await answer(res);
    assert.equal(got.status, status, code);
    assert.equal(got.error.code, code);
    assert.equal(got.error.param, param, code);
    assert.equal(got.error.type, "invalid_request_error", code);
  }
  assert.equal(unauthorized().headers.get("www-authenticate"), 'Bearer realm="aoai-edge"');
  const method = methodNotAllowed("PUT", ["GET", "POST"]);
  assert.equal(method.headers.get("allow"), "GET, POST");
  assert.match((await answer(method)).error.message, /does not take PUT; use GET or POST\./);
});

Deno.test("the deployment errors quote the name up to 64 characters", async () => {
  const name = "d".repeat(64);
  for (const res of [deploymentNotFound(name), deploymentNotAllowedForKey(name)]) {
    assert.ok((await answer(res)).error.message.includes(`"${name}"`));
  }
  for (const res of [deploymentNotFound(name + "e"), deploymentNotAllowedForKey(name + "e")]) {
    assert.ok((await answer(res)).error.message.includes(`"${name}…"`));
  }
});
