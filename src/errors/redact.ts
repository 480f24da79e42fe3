/** Query parameters that may carry a secret (`api-key`, `token`, a SAS `sig`, an OAuth `code`). */
const SECRET_PARAMS = /^((api[-_]?)?key|(access_)?token|sig|code)$/i;

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
  try {
    const parsed = new URL(url);
    const before = parsed.href;
    const query = parsed.searchParams;
    parsed.username = parsed.password = "";
    for (const name of [...query.keys()]) if (SECRET_PARAMS.test(name)) query.set(name, "***");
    // A URL with nothing to mask comes back as given (not normalised).
    return parsed.href === before ? url : parsed.href;
  } catch {
    return url;
  }
}

/**
 * Replaces every occurrence of the given secrets in a text with `***`, in any letter case and
 * URL-encoded too (forms an echo of a key may take). Secrets shorter than 4 characters are
 * ignored (they would mask ordinary text).
 *
 * @example
 * ```ts
 * import { redactSecrets } from "@aoai/edge";
 * console.log(redactSecrets("key sk-123456 leaked", ["sk-123456"])); // "key *** leaked"
 * ```
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      if (text.toLowerCase().includes(form.toLowerCase())) {
        text = text.replace(new RegExp(form.replace(/[$()*+.?[\\\]^{|}]/g, "\\$&"), "gi"), "***");
      }
    }
  }
  return text;
}
