/**
 * Query or fragment parameters that may carry a secret: any name with key, token, secret,
 * password, pwd, credential or signature in it (`api-key`, APIM's `subscription-key`,
 * `refresh_token`, `client_secret`), a SAS `sig`, an OAuth `code`, `auth` / `authorization`.
 */
const SECRET_PARAMS =
  /key|token|secret|passw|pwd|credential|signature|^(sig|code|auth(orization)?)$/i;

/**
 * Returns the URL with secret-looking parameters (`api-key`, `subscription-key`, `token`,
 * `client_secret`, `sig`, ...) masked, in the query and in a fragment (`#access_token=…`), also
 * behind a second `?` (`?api-version=1?key=…`), and any user name and password dropped. A secret's
 * value is masked up to the next `&` or `#`. Relative URLs are handled too; the rest is kept as
 * given.
 *
 * @example
 * ```ts
 * import { redactUrl } from "@aoai/edge";
 * console.log(redactUrl("https://x.openai.azure.com/openai?api-key=abc&api-version=1"));
 * ```
 */
export function redactUrl(url: string): string {
  // Set by a secret's name: the rest up to the next '&' or '#' is its value ('?' included).
  let hide = false;
  // Each '?', '&' or '#' and what follows up to the next: another value may hide a pair behind a
  // '?' (`?api-version=1?key=…`), which a server may yet read.
  return url.replace(/^([a-z][\w+.-]*:\/\/)[^/?#]*@/i, "$1").replace(
    /([?&#])([^=&#?]*)(=?)[^&#?]*/g,
    (all, sep: string, name: string, eq: string) => {
      if (sep != "?") hide = false;
      // `unescape` decodes a percent-encoded name (`api%2Dkey`) and never throws on a bad escape.
      return hide
        ? ""
        : eq && SECRET_PARAMS.test(unescape(name))
        ? (hide = true, `${sep}${name}=***`)
        : all;
    },
  );
}

/**
 * Replaces every occurrence of the given secrets in a text with `***`, in any letter case,
 * URL-encoded and JSON-escaped too (forms an echo of a key may take: a `"` or `\` in it is `\"`,
 * `\\` in JSON text). Secrets shorter than 4 characters are ignored (they would mask ordinary
 * text).
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
    for (
      const form of new Set([
        secret,
        encodeURIComponent(secret),
        JSON.stringify(secret).slice(1, -1),
      ])
    ) {
      if (text.toLowerCase().includes(form.toLowerCase())) {
        text = text.replace(new RegExp(form.replace(/[$()*+.?[\\\]^{|}]/g, "\\$&"), "gi"), "***");
      }
    }
  }
  return text;
}
