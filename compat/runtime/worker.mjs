// Runtime matrix, workerd: a Worker that runs the scenarios with the bundled core and edge app
// against the upstream emulator named by its bindings, and answers the results as JSON.
// Loaded by compat/tests/runtime_workerd.test.mjs through miniflare.
import * as core from "../.build/core.mjs";
import * as edge from "../.build/edge.mjs";
import { runScenarios } from "./scenarios.mjs";

export default {
  async fetch(_request, env) {
    const results = await runScenarios({
      core,
      edge,
      endpoint: env.UPSTREAM_ENDPOINT,
      apiKey: env.UPSTREAM_KEY,
    });
    return Response.json({ userAgent: navigator.userAgent, results });
  },
};
