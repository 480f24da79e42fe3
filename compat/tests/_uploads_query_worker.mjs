// Runtime matrix, workerd: a Worker that runs _uploads_query_scenarios.mjs (no fs.ReadStream
// here) with the bundled core against the server its UPSTREAM_ENDPOINT binding names, and answers
// the results as JSON. Loaded by runtime_workerd_uploads_query.test.mjs through miniflare.
import * as core from "../.build/core.mjs";
import { runUploadQueryScenarios } from "./_uploads_query_scenarios.mjs";

export default {
  async fetch(_request, env) {
    const results = await runUploadQueryScenarios({ core, endpoint: env.UPSTREAM_ENDPOINT });
    return Response.json({ userAgent: navigator.userAgent, results });
  },
};
