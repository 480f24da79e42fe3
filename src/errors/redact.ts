/**
 * Query parameters that may carry a secret: any name with key, token, secret, password, pwd,
 * credential or signature in it (`api-key`, APIM's `subscription-key`, `refresh_token`,
 * `client_secret`), a SAS `sig`, an OAuth `code`, `auth` / `authorization`.
 */
const SECRET_PARAMS =
  /key|token|secret|passw|pwd|credential|signature|^(sig|code|auth(orization)?)$/i;

/**
 * Returns the URL with secret-looking query parameters (`api-key`, `subscription-key`, `token`,
 * `client_secret`, `sig`, ...) masked and any user name and password dropped.
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
