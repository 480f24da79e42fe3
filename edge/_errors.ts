/**
 * Error responses in the service's shape: `{ error: { code, message, param, type } }`.
 *
 * @module
 */

/** Fields of one error response. */
export interface ErrorBody {
  /** Service-style code, e.g. `"invalid_value"`, `"401"`, `"DeploymentNotFound"`. */
  code: string;
  /** What happened and what to do. */
  message: string;
  /** The request field at fault, or null. */
  param?: string | null;
  /** `invalid_request_error` for client mistakes, `server_error` for upstream trouble. */
  type?: string;
}

/** A JSON error response in the service's shape. */
export function errorResponse(
  status: number,
  body: ErrorBody,
  headers?: Record<string, string>,
): Response {
  const error = {
    code: body.code,
    message: body.message,
    param: body.param ?? null,
    type: body.type ?? (status >= 500 ? "server_error" : "invalid_request_error"),
  };
  return new Response(JSON.stringify({ error }), {
    status,
    // Never sniffed as HTML (a message may quote what a client sent).
    headers: {
      "content-type": "application/json",
      "x-content-type-options": "nosniff",
      ...headers,
    },
  });
}

/** Longest piece of a client-sent value an error message quotes, in characters. */
const QUOTE_MAX = 40;

/**
 * A client-sent value quoted for an error message: its first `max` characters (default 40,
 * then "…"), with
 * control, format and line-separator characters, `<>"'&`, backticks and backslashes each
 * replaced by `?`, in double quotes. Enough to show what was sent; too short and too plain to
 * carry markup or a message of the sender's choosing back out in the app's answer.
 */
export function quoteSent(value: string, max = QUOTE_MAX): string {
  const chars = Array.from(value);
  const shown = chars.slice(0, max).join("")
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}<>"'&`\\]/gu, "?");
  return `"${shown}${chars.length > max ? "…" : ""}"`;
}

/** A 400 naming the request field at fault. */
export function invalidRequest(
  param: string | null,
  message: string,
  code = "invalid_value",
): Response {
  return errorResponse(400, { code, message, param, type: "invalid_request_error" });
}

/** The 401 for a missing or unknown client key. */
export function unauthorized(): Response {
  return errorResponse(401, {
    code: "401",
    message: "Access denied: send one of this app's client keys in the `api-key` header or as " +
      "`Authorization: Bearer <key>` (the client keys are set with AOAI_EDGE_KEYS, not the " +
      "Azure key).",
  }, { "www-authenticate": 'Bearer realm="aoai-edge"' });
}

/** The 404 for a deployment that is not allowed here. */
export function deploymentNotFound(name: string): Response {
  return errorResponse(404, {
    code: "DeploymentNotFound",
    // Up to 64 characters: the longest deployment name Azure allows.
    message: `The deployment ${
      quoteSent(name, 64)
    } does not exist or is not enabled on this edge app; use one of the deployments it allows.`,
  });
}

/** The 403 for a deployment the client key may not use (`EdgeClientKey.deployments`). */
export function deploymentNotAllowedForKey(name: string): Response {
  return errorResponse(403, {
    code: "DeploymentNotAllowedForKey",
    message: `This client key may not use the deployment ${
      quoteSent(name, 64)
    }; use one of the deployments it is given, or a key that may use this one.`,
  });
}

/** The 405 for a path this app serves, asked with another method (`allow` lists the methods). */
export function methodNotAllowed(method: string, allow: string[]): Response {
  return errorResponse(405, {
    code: "MethodNotAllowed",
    message: `This path does not take ${method}; use ${allow.join(" or ")}.`,
  }, { allow: allow.join(", ") });
}

/**
 * The 404 for a path this app does not serve. The message is fixed: echoing the path would put
 * text of the requester's choosing (markup, a phishing line) in the app's answer.
 */
export function notFound(): Response {
  return errorResponse(404, {
    code: "404",
    message: "Resource not found. This app serves /openai/deployments/{deployment}/…, " +
      "/openai/v1/… and /v1/… (chat/completions, completions, embeddings, images, audio) and " +
      "GET /health.",
  });
}

/**
 * `text` with the values of `env` masked, by one rule for the Worker's and the Deno entry's
 * errors: each text value, and each comma-, semicolon- or `=`-separated entry of one (trimmed),
 * where the text quotes it (`"…"`, as `JSON.stringify` writes it: an api-version, a CORS origin,
 * a binding's name) as `"***"`, of any length; and, with `anywhere`, each one of 8 characters or
 * more wherever it occurs, as `***`. `anywhere` is for errors the app did not word (an exception
 * thrown while a request is served), which may hold a key unquoted; the app's own configuration
 * errors quote what they show, and also print values it means to show (a path, a host, the
 * `round-robin` of a message), which that would mask. A secret pasted into the wrong variable
 * must reach neither answers nor logs.
 */
export function maskEnvValues(
  text: string,
  env: Record<string, unknown>,
  anywhere = false,
): string {
  const entries = Object.values(env).flatMap((value) =>
    typeof value === "string" ? [value, ...value.split(/[,;=]/)].map((e) => e.trim()) : []
  );
  // The long ones first: masking a short quoted one inside a long one would leave it unfound.
  if (anywhere) { for (const e of entries) if (e.length >= 8) text = text.split(e).join("***"); }
  for (const e of entries) if (e) text = text.split(JSON.stringify(e)).join('"***"');
  return text;
}

/**
 * The message of the error (`err`) that kept the Worker from building its app, for its 500
 * EdgeMisconfigured (answered to anyone: no client key is asked for) and its log line, with the
 * values of `env` it quotes masked ({@link maskEnvValues}).
 */
export function misconfiguredMessage(err: unknown, env: Record<string, unknown>): string {
  return `The Worker is not configured: ${
    maskEnvValues(err instanceof Error ? err.message : String(err), env)
  }.`;
}
