// The POST every JSON operation sends (not exported from mod.ts).
import type { CallResult, CallSpec, ClientCore } from "../_internal/core.ts";
import type { RequestOptions } from "../options.ts";

/**
 * POSTs `body` (default: the params) as JSON to `path` under `deployment` (or at the resource
 * level without one). Fields set to `undefined` are left out, and so is `model` except on the
 * v1 API, where it names the deployment.
 */
export function post(
  core: ClientCore,
  operation: string,
  path: string,
  deployment: string,
  params: object,
  options: RequestOptions | undefined,
  extra?: Partial<CallSpec>,
  body: object = params,
): Promise<CallResult> {
  const v1 = (options?.apiVersion ?? extra?.apiVersion ?? core.apiVersion) === "v1";
  const json: Record<string, unknown> = {};
  for (const [k, v] of Object.entries({ ...body, model: deployment || undefined })) {
    if (v !== undefined && (k !== "model" || v1)) json[k] = v;
  }
  return core.send({
    operation,
    method: "POST",
    scope: deployment ? "deployment" : "resource",
    path,
    deployment: deployment || undefined,
    json,
    params,
    options,
    ...extra,
  });
}
