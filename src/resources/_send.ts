// The POST every JSON operation sends (not exported from mod.ts).
import type { CallResult, CallSpec, ClientCore } from "../_internal/core.ts";
import type { RequestOptions } from "../options.ts";

/**
 * The body `model` of a call: the deployment on the v1 API (where it names the deployment),
 * none on the versioned API (the deployment is in the URL there).
 */
export function bodyModel(
  core: ClientCore,
  deployment: string,
  options: RequestOptions | undefined,
  apiVersion?: string,
): string | undefined {
  return (options?.apiVersion ?? apiVersion ?? core.apiVersion) === "v1" && deployment ||
    undefined;
}

/**
 * POSTs `body` (default: the params) as JSON to `path` under `deployment` (or at the resource
 * level without one), with `model` set by {@link bodyModel}; fields set to `undefined` are left
 * out (by `JSON.stringify`).
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
  return core.send({
    operation,
    method: "POST",
    scope: deployment ? "deployment" : "resource",
    path,
    deployment: deployment || undefined,
    json: { ...body, model: bodyModel(core, deployment, options, extra?.apiVersion) },
    params,
    options,
    ...extra,
  });
}
