// Runtime matrix, workerd: a Worker over the bundled core and edge app, loaded by
// compat/tests/runtime_workerd.test.mjs through miniflare, with the upstream emulator named by its
// bindings. `GET /run` runs stream_upload_scenarios.mjs in the Worker and answers the results as
// JSON; any other request goes to the edge app of createUploadApp() (the over-the-wire uploads).
import * as core from "../.build/core.mjs";
import * as edge from "../.build/edge.mjs";
import { createUploadApp, runStreamUploadScenarios } from "./stream_upload_scenarios.mjs";

let served;

export default {
  async fetch(request, env, ctx) {
    const upstream = { endpoint: env.UPSTREAM_ENDPOINT, apiKey: env.UPSTREAM_KEY };
    if (new URL(request.url).pathname === "/run") {
      const results = await runStreamUploadScenarios({ core, edge, ...upstream });
      return Response.json({ userAgent: navigator.userAgent, results });
    }
    served ??= createUploadApp({ edge, ...upstream }).app;
    return served.fetch(request, env, ctx);
  },
};
