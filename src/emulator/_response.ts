/**
 * Builders for the emulator's JSON responses and the service's error shapes.
 *
 * @module
 */

/** A JSON response with `content-type: application/json`. */
export function jsonResponse(
  body: unknown,
  status = 200,
  headers?: Record<string, string>,
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** Fields of the service error object besides `code` and `message`. */
export interface ErrorExtra {
  param?: string;
  type?: string;
  [key: string]: unknown;
}

/** The service's error shape: `{ error: { code, message, ...extra } }`. */
export function serviceError(
  status: number,
  code: string,
  message: string,
  extra: ErrorExtra = {},
  headers?: Record<string, string>,
): Response {
  return jsonResponse({ error: { code, message, ...extra } }, status, headers);
}

/** A 400 `invalid_request_error` naming the request body field at fault. */
export function invalidRequest(
  param: string,
  message: string,
  code = "invalid_value",
  status = 400,
): Response {
  return serviceError(status, code, message, { param, type: "invalid_request_error" });
}

/** A 400 for a required body field that is absent. */
export function missingParam(param: string): Response {
  return invalidRequest(
    param,
    `Missing required parameter: '${param}'.`,
    "missing_required_parameter",
  );
}

/** The 401 APIM returns for a missing or wrong `api-key`. */
export const ACCESS_DENIED_MESSAGE =
  "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.";

/** The 401 returned for a missing or unknown bearer token. */
export const BEARER_DENIED_MESSAGE =
  "Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.";

/** The 403 message for an `api-key` on a resource with local authentication disabled. */
export const KEY_AUTH_DISABLED_MESSAGE = "Key based authentication is disabled for this resource.";

/** The 404 the service returns for paths it does not know. */
export function resourceNotFound(): Response {
  return serviceError(404, "404", "Resource not found");
}

/** Reads a JSON object body; returns a 400 Response when the body is not a JSON object. */
export async function readJsonObject(
  request: Request,
): Promise<Record<string, unknown> | Response> {
  let text: string;
  try {
    text = await request.text();
  } catch {
    return invalidRequest("body", "Could not read the request body.", "invalid_body");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return invalidRequest(
      "body",
      "We could not parse the JSON body of your request. Send a valid JSON object with content-type application/json.",
      "invalid_json",
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return invalidRequest("body", "The request body must be a JSON object.", "invalid_type");
  }
  return value as Record<string, unknown>;
}

/** Whether `value` is a plain (non-array) object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
