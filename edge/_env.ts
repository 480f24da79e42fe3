/**
 * `AOAI_EDGE_RATE_LIMIT_RPM` as a number (undefined when unset or blank), read the same way by
 * the Deno and the Workers entry points. A value that is not a positive number throws an Error
 * naming the variable, so the operator knows which setting to fix.
 */
export function rpmFromEnv(value: string | undefined): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const rpm = Number(text);
  if (!(rpm > 0 && rpm < Infinity)) {
    throw new Error(
      "AOAI_EDGE_RATE_LIMIT_RPM must be a positive number of requests per minute per client key " +
        `(e.g. 60); got ${JSON.stringify(value)}`,
    );
  }
  return rpm;
}

/**
 * `AOAI_EDGE_TOKEN_LIMIT_TPM` as a whole number (undefined when unset or blank), read the same way
 * by the Deno and the Workers entry points; anything else throws an Error naming the variable.
 */
export function tpmFromEnv(value: string | undefined): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const tpm = Number(text);
  if (!Number.isSafeInteger(tpm) || tpm < 1) {
    throw new Error(
      "AOAI_EDGE_TOKEN_LIMIT_TPM must be a whole number of tokens per minute per client key " +
        `(e.g. 60000); got ${JSON.stringify(value)}`,
    );
  }
  return tpm;
}

/** One fallback upstream read from the environment. */
export interface FallbackUpstream {
  endpoint: string;
  apiKey: string;
}

const FALLBACK_ENDPOINTS = "AZURE_OPENAI_FALLBACK_ENDPOINTS";
const FALLBACK_KEYS = "AZURE_OPENAI_FALLBACK_API_KEYS";

/**
 * `AZURE_OPENAI_FALLBACK_ENDPOINTS` and `AZURE_OPENAI_FALLBACK_API_KEYS` (comma-separated, one key
 * per endpoint, in the same order) as fallback upstreams, read the same way by the Deno and the
 * Workers entry points; none when both are unset or blank. Errors name the variables and never
 * quote a value (a key pasted into the endpoints variable must not reach a log).
 */
export function fallbacksFromEnv(
  endpoints: string | undefined,
  apiKeys: string | undefined,
): FallbackUpstream[] {
  const list = (value: string | undefined) =>
    (value ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  const urls = list(endpoints);
  const keys = list(apiKeys);
  if (urls.length !== keys.length) {
    throw new Error(
      `${FALLBACK_ENDPOINTS} lists ${urls.length} endpoint(s) but ${FALLBACK_KEYS} lists ` +
        `${keys.length} key(s); give one key per fallback endpoint, comma-separated, in the same ` +
        "order",
    );
  }
  return urls.map((endpoint, i) => {
    let ok = false;
    try {
      ok = /^https?:$/.test(new URL(endpoint).protocol);
    } catch {
      // reported below
    }
    if (!ok) {
      throw new Error(
        `${FALLBACK_ENDPOINTS}: entry ${i + 1} is not an http(s) URL; list endpoints such as ` +
          "https://my-res-2.openai.azure.com, comma-separated",
      );
    }
    return { endpoint, apiKey: keys[i] };
  });
}
