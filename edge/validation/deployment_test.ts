// deploymentNameProblem(): why a name cannot be one path segment upstream (too long, a path
// separator, a control character, a lone surrogate); undefined for every name Azure gives.
import assert from "node:assert/strict";
import { deploymentNameProblem, MAX_DEPLOYMENT_NAME } from "./deployment.ts";

Deno.test("deploymentNameProblem() takes names of letters, digits, '-', '_', '.' up to 255", () => {
  assert.equal(MAX_DEPLOYMENT_NAME, 255);
  for (const name of ["gpt-4o", "my_model.v2", "Ünïcode", "x".repeat(255), "😀".repeat(127)]) {
    assert.equal(deploymentNameProblem(name), undefined, name);
  }
});

Deno.test("deploymentNameProblem() says why a name cannot be a path segment", () => {
  assert.equal(deploymentNameProblem("x".repeat(256)), "is longer than 255 characters");
  assert.equal(deploymentNameProblem("a/b"), 'holds "/" or "\\"');
  assert.equal(deploymentNameProblem("a\\b"), 'holds "/" or "\\"');
  for (const name of ["a\u0000b", "a\nb", "a\u007fb", "a\ud800", "\udc00b"]) {
    assert.equal(
      deploymentNameProblem(name),
      "holds a control character or a lone surrogate",
      JSON.stringify(name),
    );
  }
});
