/**
 * Query or fragment parameters that may carry a secret: any name with key, token, secret,
 * password, passphrase, pw (`pwd`, `db_pw`), credential, signature, jwt, hmac, session
 * (`JSESSIONID`) or verifier (`oauth_verifier`, `code_verifier`) in it (`api-key`, APIM's
 * `subscription-key`, `refresh_token`, `client_secret`), one ending in assertion (OAuth's
 * `client_assertion`, not `client_assertion_type`), otp (`totp`; or starting with it: `otp_code`)
 * or sid (`PHPSESSID`,
 * `connect.sid`; not `side`), a SAS `sig` or `sas`, an OAuth `code`, `auth` / `authorization`,
 * `pass` (only that name: `bypass` or `passenger` are no secret); each also as an array
 * (`sig[]`, `code[0]`).
 */
export const SECRET_PARAMS: RegExp =
  /key|token|secret|passw|passph|pw|credential|signature|jwt|hmac|session|verifier|^otp|(assertion|otp|sid|^(sig|sas|code|pass|auth(orization)?))(?![^[])/i;

/**
 * Adds to `into` every value of `url`'s parameters named like a credential (as {@link redactUrl}
 * masks them: `sig`, `code`, `sig[]`, `auth[token]`), also as a service may echo it alone; one
 * behind another `?` too (`?a=1?sig=…`, sent as is, or encoded in `a`'s value), which a server
 * may read as its own.
 */
export function urlSecrets(url: string, into: string[]): void {
  const collect = (query: string): unknown =>
    new URLSearchParams(query.replaceAll("?", "&")).forEach((value, name) =>
      SECRET_PARAMS.test(name) ? into.push(value) : /[?&]/.test(value) && collect(value)
    );
  collect(url.replace(/^[^?]*/, ""));
}

/**
 * Returns the URL with secret-looking parameters (`api-key`, `subscription-key`, `token`,
 * `client_secret`, `sig`, ...) masked, in the query and in a fragment (`#access_token=…`), also
 * behind a second `?` (`?api-version=1?key=…`) and in a URL percent-encoded in a value, once or
 * more (`?next=https%3A%2F%2Fy%3Fkey%3D…`), and any user name and password dropped (a nested
 * or protocol-relative URL's too: `?next=//user:pass@host`). A secret's value is masked up to
 * the next `&` or `#`. Relative URLs are handled too; the rest is kept as given.
 *
 * @example
 * ```ts
 * import { redactUrl } from "@aoai/edge";
 * console.log(redactUrl("https://x.openai.azure.com/openai?api-key=abc&api-version=1"));
 * ```
 */
export function redactUrl(url: string): string {
  // Set by a secret's name: the rest up to the next '&' or '#' is its value ('?', ';' and encoded
  // separators included).
  let hide = false;
  // Each '?', '&', '#' or ';' and what follows up to the next: another value may hide a pair
  // behind a '?' (`?api-version=1?key=…`), which a server may yet read, or a URL percent-encoded
  // (its '?', '&', '#' and '=' as %3F, %26, %23, %3D, or %253F... encoded again); a ';' parts
  // matrix or old-style pairs and the `&amp;` / `&#38;` of a URL in HTML text.
  // A user and password go: the URL's own, and a nested URL's in a value (encoded, in part too
  // as `https:%2F%2F`, or not; its host ends at '/', '?', '#' or their encodings, or at the
  // value's '&'), a protocol-relative one's too (`//u:p@h` at the start or right after an '=' or
  // its encoding: a path's `a//b@c` is kept).
  return url.replace(
    /^([a-z][\w+.-]*:\/\/)[^/?#]*@|((^|[:=]|%(?:25)*3[ad])(?:\/|%(?:25)*2f){2})(?:(?!%(?:25)*(?:3f|2[3f]))[^/?#&])*(?:@|%(?:25)*40)/gi,
    "$1$2",
  ).replace(
    /([?&#;]|%(?:25)*(?:3f|2[36]))((?:(?!%(?:25)*(?:3[df]|2[36]))[^=&#?;])*)(=|%(?:25)*3d)?(?:(?!%(?:25)*(?:3f|2[36]))[^&#?;])*/gi,
    (all, sep: string, name: string, eq?: string) => {
      if ("&#".includes(sep)) hide = false;
      // `unescape` decodes a percent-encoded name (`api%2Dkey`) and never throws on a bad escape.
      return hide
        ? ""
        : eq && SECRET_PARAMS.test(unescape(name))
        ? (hide = true, `${sep}${name}${eq}***`)
        : all;
    },
  );
}

/**
 * Replaces every occurrence of the given secrets in a text with `***`, in any letter case, each
 * character other than a letter, digit or `_` also as an echo may write it: URL-encoded (`%2B`),
 * JSON-escaped (`\"`, `\\`, PHP's `\/`, .NET's `\u002B`, Python's `\u00e4`) or as an HTML
 * character reference (`&#43;`, `&#x2B;`, `&quot;`); the escape's code is not checked. Secrets
 * shorter than 4 characters are ignored (they would mask ordinary text).
 *
 * @example
 * ```ts
 * import { redactSecrets } from "@aoai/edge";
 * console.log(redactSecrets("key sk-123456 leaked", ["sk-123456"])); // "key *** leaked"
 * ```
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  for (const secret of secrets) {
    // Each such character as itself (`\` before it or not) or any `%…`, `\u…` or `&…;` escape:
    // a text that differs from the secret only there is an echo of it.
    if (secret[3]) {
      text = text.replace(
        RegExp(secret.replace(/\W/g, (c) => `(\\\\?\\${c}|(\\\\u|%)\\w+|&#?\\w+;)`), "gi"),
        "***",
      );
    }
  }
  return text;
}

/**
 * {@link redactSecrets} of a text whose words (up to a space, quote, bracket or `\`) were first
 * passed through {@link redactUrl}: an error's text may quote a URL with a proxy's password or a
 * SAS signature in it, with its scheme or without (`acct.blob.core.windows.net/c?sig=…`). JSON
 * text's `\/` and `\u0026` (PHP's, .NET's and Go's escapes) are read as the `/` and `&` they are.
 */
export function redactText(text: string, secrets: Iterable<string>): string {
  return redactSecrets(
    // Not after a '\': `\\u0026` is an escaped backslash and the text "u0026".
    text.replace(/(?<!\\)\\(\/|u0026)/gi, (_, c: string) => c[1] ? "&" : c).replace(
      // Only a word with a separator or '@' can hold a secret; matches start at a word's start,
      // so a long word without one is read once.
      /(?<![^\s"'<>()\\])[^\s"'<>()\\?#&;@%]*[?#&;@%][^\s"'<>()\\]*/g,
      redactUrl,
    ),
    secrets,
  );
}
