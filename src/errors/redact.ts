/** Query parameters that may carry a secret (`api-key`, `token`, a SAS `sig`, an OAuth `code`). */
const SECRET_PARAMS = /^(api[-_]?key|key|token|access_token|sig|code)$/i;

/**
 * Returns the URL with secret-looking query parameters (`api-key`, `token`, `sig`, ...) masked.
 *
 * @example
 * ```ts
 * import { redactUrl } from "@aoai/edge";
 * console.log(redactUrl("https://x.openai.azure.com/openai?api-key=abc&api-version=1"));
 * ```
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  let changed = !!(parsed.username || parsed.password);
  parsed.username = parsed.password = "";
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAMS.test(name)) {
      parsed.searchParams.set(name, "***");
      changed = true;
    }
  }
  return changed ? parsed.toString() : url;
}

/**
 * Replaces every occurrence of the given secrets in a text with `***`.
 * Secrets shorter than 4 characters are ignored (they would mask ordinary text).
 *
 * @example
 * ```ts
 * import { redactSecrets } from "@aoai/edge";
 * console.log(redactSecrets("key sk-123456 leaked", ["sk-123456"])); // "key *** leaked"
 * ```
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join("***");
  }
  return out;
}
