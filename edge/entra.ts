/**
 * Microsoft Entra ID client credentials (a service principal's client secret) as the
 * `tokenProvider` of an Azure OpenAI upstream, for resources that take no keys
 * (`disableLocalAuth`) and runtimes without managed identity (Deno Deploy, Cloudflare Workers).
 * Kept out of the core (`mod.ts`): only the edge app and those who import it pay for it.
 *
 * @module
 */
import { AuthenticationError } from "../src/errors/api_error.ts";
import { redactSecrets } from "../src/errors/redact.ts";

/** A token with its expiry (ms since the epoch), as the client's `tokenProvider` returns it. */
type Token = { token: string; expiresOnTimestamp: number };

/** Default authority host (Azure public cloud), as `AZURE_AUTHORITY_HOST` of Azure Identity. */
export const DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";
/** Default scope: the Azure OpenAI (Cognitive Services) data plane. */
export const DEFAULT_ENTRA_SCOPE = "https://cognitiveservices.azure.com/.default";

/**
 * Options of {@link entraClientCredentials}.
 *
 * @example A service principal in the Azure public cloud
 * ```ts
 * import type { EntraClientCredentialsOptions } from "@aoai/edge/edge";
 * const options: EntraClientCredentialsOptions = {
 *   tenantId: "contoso.onmicrosoft.com",
 *   clientId: "00000000-0000-4000-8000-000000000002",
 *   clientSecret: "<client secret value>",
 * };
 * console.log(options.authorityHost ?? "https://login.microsoftonline.com");
 * ```
 */
export interface EntraClientCredentialsOptions {
  /** Directory (tenant) id: a GUID, or a domain name such as `contoso.onmicrosoft.com`. */
  tenantId: string;
  /** Application (client) id of the app registration: a GUID. */
  clientId: string;
  /** The client secret's value (not its id). Never part of an error or a log line. */
  clientSecret: string;
  /**
   * Entra ID authority host (default `https://login.microsoftonline.com`; e.g.
   * `https://login.microsoftonline.us` for Azure Government). https only, except plain http to
   * localhost / 127.0.0.1 / [::1] (a local emulator).
   */
  authorityHost?: string;
  /** Scope to request (default `https://cognitiveservices.azure.com/.default`); ends in `/.default`. */
  scope?: string;
  /** fetch to use (default `globalThis.fetch`), e.g. an emulator's. */
  fetch?: (input: Request, init?: RequestInit) => Promise<Response>;
  /** Time limit of one token request in ms (default 10 000). */
  timeoutMs?: number;
  /** Clock in ms since the epoch (default `Date.now`), for tests. */
  now?: () => number;
}

/**
 * A token request Entra ID refused, or that failed: names the tenant, the HTTP status, Entra's
 * `error` (as `code`) and its AADSTS code and description, never the client secret or a token.
 * An `AuthenticationError`, so code that handles the client's auth failures handles it too.
 *
 * @example Tell a wrong secret from other failures
 * ```ts
 * import { EntraTokenError } from "@aoai/edge/edge";
 * const err = new EntraTokenError("Entra ID refused the token request", {
 *   tenantId: "contoso.onmicrosoft.com",
 *   status: 401,
 *   code: "invalid_client",
 *   errorCodes: [7000215],
 * });
 * console.log(err.aadsts, err.status, err.code); // AADSTS7000215 401 invalid_client
 * ```
 */
export class EntraTokenError extends AuthenticationError {
  /** The tenant the token was asked of. */
  readonly tenantId: string;
  /** Entra's `error_codes`, e.g. `[7000215]` (empty when the answer had none). */
  readonly errorCodes: readonly number[];
  /** The first of them as Entra writes it, e.g. `"AADSTS7000215"`. */
  readonly aadsts: string | undefined;
  /** Entra's `trace_id`, for a support request. */
  readonly traceId: string | undefined;
  /** Entra's `correlation_id`, for a support request. */
  readonly correlationId: string | undefined;

  /** Creates the error; `init.cause` is kept as `cause`. */
  constructor(
    message: string,
    init: {
      tenantId: string;
      status?: number;
      code?: string;
      errorCodes?: readonly number[];
      traceId?: string;
      correlationId?: string;
      cause?: unknown;
    },
  ) {
    super(message, { status: init.status, code: init.code, cause: init.cause });
    this.tenantId = init.tenantId;
    this.errorCodes = [...(init.errorCodes ?? [])];
    this.aadsts = this.errorCodes.length ? `AADSTS${this.errorCodes[0]}` : undefined;
    this.traceId = init.traceId;
    this.correlationId = init.correlationId;
  }

  /** A JSON view safe to log: message, status, code, tenant, AADSTS codes, trace ids. */
  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      tenantId: this.tenantId,
      errorCodes: this.errorCodes,
      aadsts: this.aadsts,
      traceId: this.traceId,
      correlationId: this.correlationId,
    };
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** The options every credential's token flow takes (all but the credential itself). */
type FlowOptions = Omit<EntraClientCredentialsOptions, "clientSecret">;

/** What the option names are called where they came from (the entry points pass env names). */
export interface EntraNames {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  authorityHost: string;
  scope: string;
}

/** The setting names of a certificate credential (the entry points pass env names). */
export interface EntraCertificateNames extends Omit<EntraNames, "clientSecret"> {
  privateKey: string;
  certificate: string;
  algorithm?: string;
}

const OPTION_NAMES: EntraNames = {
  tenantId: "entraClientCredentials(): tenantId",
  clientId: "entraClientCredentials(): clientId",
  clientSecret: "entraClientCredentials(): clientSecret",
  authorityHost: "entraClientCredentials(): authorityHost",
  scope: "entraClientCredentials(): scope",
};

/**
 * Checks the options and returns the token endpoint URL; errors say what to fix, naming the
 * setting by `names`, and never quote a value (a secret pasted into the wrong one must not reach
 * a log).
 */
export function entraTokenUrl(
  options: FlowOptions,
  names: Pick<EntraNames, "tenantId" | "clientId" | "authorityHost" | "scope"> = OPTION_NAMES,
  checkCredential?: () => void,
): string {
  const text = (value: unknown) => typeof value === "string" ? value.trim() : "";
  const tenant = text(options.tenantId);
  if (!GUID.test(tenant) && !DOMAIN.test(tenant)) {
    throw new TypeError(
      `${names.tenantId} must be the directory (tenant) id: a GUID such as ` +
        "72f988bf-86f1-41af-91ab-2d7cd011db47, or a domain name such as contoso.onmicrosoft.com " +
        `(Azure portal: Microsoft Entra ID > Overview); ${
          tenant ? "this is neither" : "it is empty"
        }`,
    );
  }
  if (!GUID.test(text(options.clientId))) {
    throw new TypeError(
      `${names.clientId} must be the application (client) id of the app registration, a GUID ` +
        `(Azure portal: App registrations > your app > Overview); ${
          text(options.clientId) ? "this is not a GUID" : "it is empty"
        }`,
    );
  }
  checkCredential?.();
  let host = DEFAULT_AUTHORITY_HOST;
  if (options.authorityHost !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(text(options.authorityHost));
    } catch { /* reported below */ }
    const local = url !== undefined &&
      ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
    if (
      !url || !(url.protocol === "https:" || (url.protocol === "http:" && local)) ||
      url.search || url.hash || url.username || url.password
    ) {
      throw new TypeError(
        `${names.authorityHost} must be an https URL such as https://login.microsoftonline.com ` +
          "(http only to localhost, for a local emulator), without query or credentials",
      );
    }
    host = (url.origin + url.pathname).replace(/\/+$/, "");
  }
  const scope = options.scope === undefined ? DEFAULT_ENTRA_SCOPE : text(options.scope);
  if (!scope.endsWith("/.default") || /\s/.test(scope)) {
    throw new TypeError(
      `${names.scope} must be one resource followed by /.default (client credentials take no ` +
        `other scope), e.g. ${DEFAULT_ENTRA_SCOPE}`,
    );
  }
  return `${host}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;
}

/** Throws a TypeError naming `name` when `secret` cannot be a client secret's value. */
function checkSecret(secret: unknown, name: string): void {
  if (typeof secret !== "string" || !secret.trim()) {
    throw new TypeError(
      `${name} must be the client secret's value (Certificates & secrets > Value, ` +
        "not the Secret ID); it is empty",
    );
  }
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f]/.test(secret)) {
    throw new TypeError(
      `${name} holds a line break or another control character; pass the value alone`,
    );
  }
}

/** A token is handed out again, without asking Entra, this long after it was obtained. */
const REUSE_MS = 30_000;
/** …while it has at least this long left. */
const REUSE_MIN_LEFT_MS = 300_000;
/** After a failed request, calls get the same error this long without asking again. */
const FAILURE_HOLD_MS = 5_000;

/**
 * A `tokenProvider` for {@link AzureOpenAI} (or an edge upstream's options) that gets tokens with
 * the client credentials grant of Microsoft Entra ID: `POST {authorityHost}/{tenantId}/oauth2/
 * v2.0/token` with `grant_type=client_credentials`, `client_id`, `client_secret` and
 * `scope=https://cognitiveservices.azure.com/.default` (form-encoded), and resolves
 * `{ token, expiresOnTimestamp }` from `access_token` and `expires_in`. The client caches the
 * token and refreshes it before it expires.
 *
 * The options are checked at once (a TypeError says what to fix). Each request is bounded by
 * `timeoutMs`. Concurrent calls share one request, and a token obtained in the last 30 s is
 * handed out again (so the upstreams of one edge app share a token, and a 401 the resource
 * answers does not send every request to Entra ID); after a failure, calls for the next 5 s get
 * the same error without a new request. Failures reject with an {@link EntraTokenError} that
 * names the tenant, the HTTP status and Entra's `error` and AADSTS description, never the
 * secret or a token.
 *
 * The service principal needs a role that allows inference on the resource, such as
 * "Cognitive Services OpenAI User".
 *
 * @example Chat through the emulator's Entra ID token endpoint
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * import { entraClientCredentials } from "@aoai/edge/edge";
 * const entra = {
 *   tenantId: "00000000-0000-4000-8000-000000000001",
 *   clientId: "00000000-0000-4000-8000-000000000002",
 *   clientSecret: "emulated-client-secret",
 * };
 * const emulator = createEmulator({ entra });
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   tokenProvider: entraClientCredentials({
 *     ...entra,
 *     authorityHost: "http://localhost", // the emulator answers there too
 *     fetch: emulator.fetch,
 *   }),
 *   fetch: emulator.fetch,
 * });
 * const completion = await client.chat.completions.create({
 *   model: "gpt-4o",
 *   messages: [{ role: "user", content: "hi" }],
 * });
 * console.log(completion.choices[0].message.content); // "You said: hi"
 * console.log(emulator.log.at(-1)?.auth); // "bearer"
 * ```
 */
export function entraClientCredentials(
  options: EntraClientCredentialsOptions,
): () => Promise<{ token: string; expiresOnTimestamp: number }> {
  return createProvider(options, OPTION_NAMES);
}

/** {@link entraClientCredentials} with its errors naming the settings by `names`. */
export function createProvider(
  options: EntraClientCredentialsOptions,
  names: EntraNames,
): () => Promise<Token> {
  const url = entraTokenUrl(
    options,
    names,
    () => checkSecret(options.clientSecret, names.clientSecret),
  );
  const secret = options.clientSecret;
  return tokenFlow(
    options,
    url,
    "entraClientCredentials()",
    () => Promise.resolve({ client_secret: secret }),
  );
}

/**
 * Options of {@link entraClientCertificate}: those of {@link entraClientCredentials} with a
 * certificate (its private key and the certificate itself) in place of the client secret.
 *
 * @example The PEM file the Azure SDKs take (`AZURE_CLIENT_CERTIFICATE_PATH`): key and certificate
 * ```ts
 * import type { EntraClientCertificateOptions } from "@aoai/edge/edge";
 * const pem = await Deno.readTextFile("tests/fixtures/entra/client.pem");
 * const options: EntraClientCertificateOptions = {
 *   tenantId: "contoso.onmicrosoft.com",
 *   clientId: "00000000-0000-4000-8000-000000000002",
 *   privateKey: pem, // its "BEGIN PRIVATE KEY" block is used
 *   certificate: pem, // its "BEGIN CERTIFICATE" block is used
 * };
 * console.log(options.algorithm ?? "PS256");
 * ```
 */
export interface EntraClientCertificateOptions
  extends Omit<EntraClientCredentialsOptions, "clientSecret"> {
  /**
   * The certificate's RSA private key as PEM in PKCS#8 form (`-----BEGIN PRIVATE KEY-----`), or
   * a PEM text holding it (e.g. key and certificate in one file). A PKCS#1 key (`BEGIN RSA
   * PRIVATE KEY`) or an encrypted one is refused with the openssl command that converts it.
   * Never part of an error, a log line or a request.
   */
  privateKey: string;
  /**
   * The certificate registered on the app (`-----BEGIN CERTIFICATE-----`), or a PEM text holding
   * it, e.g. with its chain in any order: the certificate that holds the public key of
   * `privateKey` is used (the leaf). Its thumbprint names it to Entra ID.
   */
  certificate: string;
  /**
   * How the client assertion is signed and names the certificate: `"PS256"` (default, what
   * Microsoft recommends: RSA-PSS with SHA-256, the certificate's SHA-256 thumbprint as
   * `x5t#S256`) or `"RS256"` (the classic form: RSASSA-PKCS1-v1_5 with SHA-256, the SHA-1
   * thumbprint as `x5t`), for an authority that takes only that.
   */
  algorithm?: "PS256" | "RS256";
}

/** Lifetime of a client assertion in seconds (a new one is signed for every token request). */
const ASSERTION_SECONDS = 300;
const RSA_OID = "2a864886f70d010101"; // 1.2.840.113549.1.1.1, rsaEncryption

/** The DER element at `at` of `bytes`: its tag and where its content starts and ends. */
function der(bytes: Uint8Array, at: number): { tag: number; start: number; end: number } {
  let start = at + 2;
  let length = bytes[at + 1] ?? 0;
  if (length > 0x80 && length < 0x85) {
    const octets = length - 0x80;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + (bytes[start++] ?? 0);
  } else if (length >= 0x80) throw new RangeError("unsupported DER length");
  const end = start + length;
  if (at + 2 > bytes.length || end > bytes.length) throw new RangeError("truncated DER");
  return { tag: bytes[at], start, end };
}

/** The elements inside the DER element `outer`. */
function children(bytes: Uint8Array, outer: { start: number; end: number }) {
  const list: { tag: number; start: number; end: number; at: number }[] = [];
  for (let at = outer.start; at < outer.end;) {
    const element = der(bytes, at);
    list.push({ ...element, at });
    at = element.end;
  }
  return list;
}

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/**
 * A DER UTCTime (`YYMMDDHHMMSSZ`, 1950–2049) or GeneralizedTime (`YYYYMMDDHHMMSSZ`) in ms since
 * the epoch, the forms RFC 5280 allows in a certificate; NaN for any other (not checked then).
 */
function derTime(bytes: Uint8Array, time: { tag: number; start: number; end: number }): number {
  const text = String.fromCharCode(...bytes.subarray(time.start, time.end));
  const m = /^(\d\d)?(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(text);
  if (!m || time.tag !== (m[1] ? 0x18 : 0x17)) return NaN;
  const [yy, mo, d, h, mi, s] = m.slice(2).map(Number);
  const year = m[1] ? +m[1] * 100 + yy : (yy < 50 ? 2000 : 1900) + yy;
  return Date.UTC(year, mo - 1, d, h, mi, s);
}

/** When a certificate is valid: `notBefore` to `notAfter`, in ms since the epoch (NaN: unknown). */
export type Validity = { notBefore: number; notAfter: number };

/**
 * An {@link EntraTokenError} (code `certificate_expired` or `certificate_not_yet_valid`) when `t`
 * is outside the certificate's validity, naming its dates: Entra ID refuses such a certificate
 * with an AADSTS code that does not say so.
 */
function outOfValidity(
  { notBefore, notAfter }: Validity,
  t: number,
  tenantId: string,
  prefix: string,
): EntraTokenError | undefined {
  if (!(t > notAfter || t < notBefore)) return undefined;
  const day = (ms: number) =>
    Number.isFinite(ms) ? new Date(ms).toISOString().replace(".000Z", "Z") : "(unreadable)";
  const dates = `valid from ${day(notBefore)} to ${day(notAfter)}`;
  const [code, text] = t > notAfter
    ? ["certificate_expired", `the certificate expired on ${day(notAfter)} (${dates})`]
    : ["certificate_not_yet_valid", `the certificate is not valid yet (${dates}; check the clock)`];
  return new EntraTokenError(
    `${prefix}${text}, and Entra ID refuses it: renew it, upload the new certificate to the ` +
      "app registration (Certificates & secrets) and give its key and certificate in its place",
    { tenantId, code },
  );
}

/**
 * The RSA modulus (hex) of a PKCS#8 key (`PrivateKeyInfo { version, algorithm, OCTET STRING
 * RSAPrivateKey { version, modulus, ... } }`) or of an SPKI (`{ algorithm, BIT STRING
 * RSAPublicKey { modulus, exponent } }`); undefined when it is not there (another key type).
 */
function rsaModulus(bytes: Uint8Array, pkcs8: boolean): string | undefined {
  try {
    const outer = children(bytes, der(bytes, 0));
    const inner = pkcs8 ? outer[2] : outer[1];
    const n = children(bytes, der(bytes, inner.start + (pkcs8 ? 0 : 1)))[pkcs8 ? 1 : 0];
    return hex(bytes.subarray(n.start, n.end));
  } catch {
    return undefined;
  }
}

/**
 * The DER bytes of every PEM block labelled `label` in `text`, in order; a block whose base64 is
 * damaged throws a TypeError naming `name` (never quoting it). Line breaks written out as `\n`
 * or `\r\n` (a PEM pasted into one line) are read as line breaks: `\` is not base64.
 */
function pemBlocks(text: string, label: string, name: string): Uint8Array<ArrayBuffer>[] {
  const blocks = [];
  for (
    const match of text.matchAll(
      new RegExp(`-----BEGIN ${label}-----([^-]*)-----END ${label}-----`, "g"),
    )
  ) {
    try {
      blocks.push(
        Uint8Array.from(atob(match[1].replace(/\s+|\\[rn]/g, "")), (c) => c.charCodeAt(0)),
      );
    } catch {
      throw new TypeError(`${name}: the ${label} block is not valid base64 (a damaged PEM?)`);
    }
  }
  return blocks;
}

/**
 * The parts of a certificate credential, checked: the PKCS#8 key, and each certificate with its
 * SPKI (a chain may come in any order: the one of the key is found when it is imported).
 */
function readCertificate(
  privateKey: unknown,
  certificate: unknown,
  names: { privateKey: string; certificate: string },
): {
  key: Uint8Array<ArrayBuffer>;
  modulus: string | undefined;
  certs: (Validity & {
    cert: Uint8Array<ArrayBuffer>;
    spki: Uint8Array<ArrayBuffer>;
    modulus: string | undefined;
  })[];
} {
  const keyText = typeof privateKey === "string" ? privateKey : "";
  const certText = typeof certificate === "string" ? certificate : "";
  const [key] = pemBlocks(keyText, "PRIVATE KEY", names.privateKey);
  if (!key) {
    // A key block is named before any other (a certificate may come first in the file).
    const label = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY)-----/.exec(keyText)?.[1] ??
      /-----BEGIN ([A-Z0-9 ]+)-----/.exec(keyText)?.[1];
    throw new TypeError(
      label === "RSA PRIVATE KEY"
        ? `${names.privateKey} holds a PKCS#1 key (BEGIN RSA PRIVATE KEY), which Web Crypto does ` +
          "not take; convert it to PKCS#8 (BEGIN PRIVATE KEY) with " +
          "`openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem`"
        : label === "ENCRYPTED PRIVATE KEY"
        ? `${names.privateKey} holds an encrypted key; store it decrypted (PKCS#8, BEGIN PRIVATE ` +
          "KEY), e.g. `openssl pkcs8 -in key.pem -out key-pkcs8.pem`, and keep that file secret"
        : `${names.privateKey} must hold the certificate's private key as PEM in PKCS#8 form ` +
          `(-----BEGIN PRIVATE KEY-----); ${
            label
              ? `it holds a ${label} block instead`
              : keyText.trim()
              ? "it holds no PEM block"
              : "it is empty"
          }`,
    );
  }
  const certs = pemBlocks(certText, "CERTIFICATE", names.certificate);
  if (!certs.length) {
    throw new TypeError(
      `${names.certificate} must hold the certificate registered on the app as PEM ` +
        `(-----BEGIN CERTIFICATE-----); ${certText.trim() ? "it holds none" : "it is empty"}`,
    );
  }
  // PrivateKeyInfo { version, AlgorithmIdentifier { algorithm, ... }, privateKey }
  let keyOid: string | undefined;
  try {
    const [, algorithm] = children(key, der(key, 0));
    const oid = children(key, algorithm)[0];
    keyOid = hex(key.subarray(oid.start, oid.end));
  } catch { /* reported below */ }
  if (keyOid !== RSA_OID) {
    throw new TypeError(
      `${names.privateKey} ${
        keyOid === undefined ? "is not a well-formed PKCS#8 key" : "is not an RSA key"
      }; Entra ID client assertions are signed with the RSA key of the certificate`,
    );
  }
  // Certificate { tbsCertificate { [0] version, serial, signature, issuer, validity, subject,
  // subjectPublicKeyInfo, ... }, ... }
  return {
    key,
    modulus: rsaModulus(key, true),
    certs: certs.map((cert) => {
      try {
        const tbs = children(cert, children(cert, der(cert, 0))[0]);
        const v = tbs[0].tag === 0xa0 ? 1 : 0;
        const spki = cert.slice(tbs[5 + v].at, tbs[5 + v].end);
        // Validity { notBefore Time, notAfter Time }
        const [notBefore, notAfter] = children(cert, tbs[3 + v]).map((time) => derTime(cert, time));
        return { cert, spki, notBefore, notAfter, modulus: rsaModulus(spki, false) };
      } catch {
        throw new TypeError(
          `${names.certificate}: a CERTIFICATE block is not a well-formed X.509 certificate`,
        );
      }
    }),
  };
}

/**
 * A `tokenProvider` like {@link entraClientCredentials} that proves the app with a certificate
 * instead of a client secret (many organisations forbid secrets): each token request posts
 * `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer` and a
 * `client_assertion`, a JWT signed with the certificate's private key, built with Web Crypto
 * alone (Deno, Deno Deploy, Cloudflare Workers, browsers): header `alg`, `typ: "JWT"` and the
 * certificate's thumbprint, claims `aud` (the token endpoint URL), `iss` = `sub` = the client id,
 * a random `jti`, `nbf` = `iat` = now and `exp` 5 minutes later.
 *
 * By default the assertion is PS256 (RSA-PSS) naming the certificate by its SHA-256 thumbprint
 * (`x5t#S256`), the form Microsoft's certificate credentials documentation gives now and MSAL
 * sends to Entra ID; `algorithm: "RS256"` signs with PKCS#1 v1.5 and sends the SHA-1 thumbprint
 * (`x5t`), the classic form, for an authority that takes only that.
 *
 * A function of its own rather than an option of `entraClientCredentials`: a secret and a
 * certificate are exclusive, and each has its own required settings, which the types then check
 * (as Azure Identity has `ClientSecretCredential` and `ClientCertificateCredential`); both share
 * one token flow: caching, one request for concurrent calls, the time limit, the 5 s hold after a
 * failure and {@link EntraTokenError}s.
 *
 * The options are checked at once: a PKCS#1, encrypted or non-RSA key, a missing certificate or
 * a damaged PEM throw a TypeError that says what to fix; a certificate (of the key) that has
 * expired or is not valid yet throws an {@link EntraTokenError} with code `certificate_expired`
 * or `certificate_not_yet_valid` naming its dates (Entra ID would refuse it with an AADSTS code
 * that does not say so), and so does each token request once it has expired. The key is imported on the first token
 * request, which then also checks that it belongs to the certificate (a mismatch rejects with an
 * `EntraTokenError` with code `invalid_credential`). Neither the key nor an assertion is part of
 * any error.
 *
 * @example Sign in with a certificate through the emulator's Entra ID token endpoint
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * import { entraClientCertificate } from "@aoai/edge/edge";
 * const pem = await Deno.readTextFile("tests/fixtures/entra/client.pem"); // a test key
 * const ids = {
 *   tenantId: "00000000-0000-4000-8000-000000000001",
 *   clientId: "00000000-0000-4000-8000-000000000002",
 * };
 * const emulator = createEmulator({ entra: { ...ids, certificates: [pem] } });
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   tokenProvider: entraClientCertificate({
 *     ...ids,
 *     privateKey: pem,
 *     certificate: pem,
 *     authorityHost: "http://localhost", // the emulator answers there too
 *     fetch: emulator.fetch,
 *   }),
 *   fetch: emulator.fetch,
 * });
 * const completion = await client.chat.completions.create({
 *   model: "gpt-4o",
 *   messages: [{ role: "user", content: "hi" }],
 * });
 * console.log(completion.choices[0].message.content); // "You said: hi"
 * ```
 */
export function entraClientCertificate(
  options: EntraClientCertificateOptions,
): () => Promise<{ token: string; expiresOnTimestamp: number }> {
  return createCertificateProvider(options, CERTIFICATE_NAMES);
}

const CERTIFICATE_NAMES: EntraCertificateNames = {
  tenantId: "entraClientCertificate(): tenantId",
  clientId: "entraClientCertificate(): clientId",
  privateKey: "entraClientCertificate(): privateKey",
  certificate: "entraClientCertificate(): certificate",
  authorityHost: "entraClientCertificate(): authorityHost",
  scope: "entraClientCertificate(): scope",
  algorithm: "entraClientCertificate(): algorithm",
};

/**
 * {@link entraClientCertificate} with its errors naming the settings by `names`; `validity`, when
 * given, is handed the validity of the key's certificate read at creation (for start-up lines;
 * not called when no certificate holds the key's public key, which the first token request
 * reports).
 */
export function createCertificateProvider(
  options: EntraClientCertificateOptions,
  names: EntraCertificateNames,
  validity?: (dates: Validity) => void,
): () => Promise<Token> {
  let parts: ReturnType<typeof readCertificate> | undefined;
  const url = entraTokenUrl(options, names, () => {
    parts = readCertificate(options.privateKey, options.certificate, names);
  });
  const { key, modulus, certs } = parts!;
  const now = options.now ?? Date.now;
  const tenantId = options.tenantId.trim();
  // The certificate of the key (the leaf of a chain: the one with the key's modulus).
  const leaf = certs.find((c) => modulus && c.modulus === modulus);
  const invalid = leaf && outOfValidity(leaf, now(), tenantId, `${names.certificate}: `);
  if (invalid) throw invalid;
  if (leaf) validity?.({ notBefore: leaf.notBefore, notAfter: leaf.notAfter });
  const algorithm = options.algorithm ?? "PS256";
  if (algorithm !== "PS256" && algorithm !== "RS256") {
    throw new TypeError(`${names.algorithm ?? "algorithm"} must be "PS256" or "RS256"`);
  }
  const pss = algorithm === "PS256";
  const params = pss
    ? { name: "RSA-PSS", hash: "SHA-256" }
    : { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  const sign = pss ? { name: "RSA-PSS", saltLength: 32 } : { name: "RSASSA-PKCS1-v1_5" };
  const clientId = options.clientId.trim();
  const encoder = new TextEncoder();
  const b64url = (bytes: ArrayBuffer | Uint8Array) =>
    btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_")
      .replace(/=+$/, "");
  const json = (value: unknown) => b64url(encoder.encode(JSON.stringify(value)));
  let prepared: Promise<{ signer: CryptoKey; header: string; validity: Validity }> | undefined;
  const prepare = async () => {
    let signer: CryptoKey;
    try {
      signer = await crypto.subtle.importKey("pkcs8", key, params, false, ["sign"]);
    } catch {
      // The engine's message is not quoted: it could describe the key.
      throw new Error(`${names.privateKey}: Web Crypto could not import the RSA private key`);
    }
    // The certificate of the key: the first whose public key verifies what the key signed.
    let cert: (typeof certs)[number] | undefined;
    const probe = encoder.encode("aoai-edge key check");
    const signed = await crypto.subtle.sign(sign, signer, probe).catch(() => new ArrayBuffer(0));
    for (const candidate of certs) {
      try {
        const verifier = await crypto.subtle.importKey(
          "spki",
          candidate.spki,
          params,
          false,
          ["verify"],
        );
        if (await crypto.subtle.verify(sign, verifier, signed, probe)) {
          cert = candidate;
          break;
        }
      } catch { /* another key type: not this one */ }
    }
    if (!cert) {
      throw new Error(
        `${names.privateKey} is not the private key of the certificate in ${names.certificate} ` +
          "(or that certificate's key is not RSA); give the key and the certificate of one pair",
      );
    }
    const thumbprint = b64url(await crypto.subtle.digest(pss ? "SHA-256" : "SHA-1", cert.cert));
    const header = json({ alg: algorithm, typ: "JWT", [pss ? "x5t#S256" : "x5t"]: thumbprint });
    return { signer, header, validity: cert };
  };
  return tokenFlow(options, url, "entraClientCertificate()", async () => {
    // Imported once; a failure is tried again on the next request (after the failure hold).
    const ready = prepared ??= prepare();
    ready.catch(() => prepared = undefined);
    const { signer, header, validity } = await ready;
    const t = now();
    // It may have expired since it was checked (a process that runs for months).
    const invalid = outOfValidity(validity, t, tenantId, "");
    if (invalid) throw invalid;
    const seconds = Math.floor(t / 1000);
    const body = `${header}.${
      json({
        aud: url,
        iss: clientId,
        sub: clientId,
        jti: crypto.randomUUID(),
        nbf: seconds,
        iat: seconds,
        exp: seconds + ASSERTION_SECONDS,
      })
    }`;
    const signature = await crypto.subtle.sign(sign, signer, encoder.encode(body));
    return {
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: `${body}.${b64url(signature)}`,
    };
  });
}

/**
 * The client credentials flow every credential shares: posts `grant_type`, `client_id`, `scope`
 * and the credential's own form fields (`credential()`, built for each request: `client_secret`,
 * or `client_assertion_type` and a freshly signed `client_assertion`) to `url`, checked by
 * {@link entraTokenUrl}; bounds each request by `timeoutMs`, shares one request between
 * concurrent calls, hands a recent token out again and holds a failure for a while (see
 * {@link entraClientCredentials}). The credential's field values are masked in any text an error
 * quotes; `fn` names the function in the errors about `timeoutMs`.
 */
function tokenFlow(
  options: FlowOptions,
  url: string,
  fn: string,
  credential: () => Promise<Record<string, string>>,
): () => Promise<Token> {
  const tenantId = options.tenantId.trim();
  const clientId = options.clientId.trim();
  const scope = options.scope?.trim() ?? DEFAULT_ENTRA_SCOPE;
  const timeoutMs = options.timeoutMs ?? 10_000;
  // Past 2^31 - 1 ms a timer fires at once: every token request would fail.
  if (!(timeoutMs > 0 && timeoutMs < 2 ** 31)) {
    throw new TypeError(`${fn}: timeoutMs must be a positive number of ms up to 2147483647`);
  }
  const fetchFn: NonNullable<EntraClientCredentialsOptions["fetch"]> = options.fetch ??
    ((input, init) => fetch(input, init));
  const now = options.now ?? Date.now;
  const host = new URL(url).origin;
  let inflight: Promise<Token> | undefined;
  let last: { token: Token; at: number } | undefined;
  let failed: { error: EntraTokenError; at: number } | undefined;
  /** The credential's values, as given and as the form sends them ("~" as "%7E", ...). */
  let masked: string[] = [];
  /** Text from Entra (or a proxy) with the credential masked, in case anything echoes it. */
  const clean = (text: string) => redactSecrets(text, masked);
  const fail = (
    message: string,
    init: Omit<ConstructorParameters<typeof EntraTokenError>[1], "tenantId"> = {},
  ) =>
    new EntraTokenError(`Entra ID token request for tenant ${tenantId}: ${message}`, {
      tenantId,
      ...init,
    });

  async function request(): Promise<Token> {
    let fields: Record<string, string>;
    try {
      fields = await credential();
    } catch (err) {
      // Its own message names the setting to fix and never quotes key material.
      throw fail(err instanceof Error ? err.message : String(err), {
        code: err instanceof EntraTokenError ? err.code : "invalid_credential",
      });
    }
    masked = Object.values(fields).flatMap((value) => [
      value,
      new URLSearchParams({ s: value }).toString().slice(2),
    ]);
    const started = now();
    // One time limit for the request and its body (cleared once read: no timer is left behind),
    // also when the fetch or the body does not listen to the signal.
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error("timed out"));
      }, timeoutMs);
    });
    let response: Response;
    let text: string;
    try {
      response = await Promise.race([
        late,
        fetchFn(
          new Request(url, {
            method: "POST",
            headers: {
              "content-type": "application/x-www-form-urlencoded",
              accept: "application/json",
            },
            body: new URLSearchParams({
              grant_type: "client_credentials",
              client_id: clientId,
              ...fields,
              scope,
            }).toString(),
            signal: controller.signal,
            // A 307/308 would send the credential on to wherever it points.
            redirect: "manual",
          }),
        ),
      ]);
      text = await Promise.race([late, response.text()]);
    } catch (err) {
      if (controller.signal.aborted) {
        throw fail(`${host} did not answer within ${timeoutMs} ms; retry later`, {
          code: "timeout",
        });
      }
      const detail = clean(err instanceof Error ? err.message : String(err));
      // The cause is rebuilt from the cleaned text: an error object could hold the request.
      throw fail(`could not reach ${host} (${detail}); check the authority host and the network`, {
        code: "connection_error",
        cause: new Error(detail),
      });
    } finally {
      clearTimeout(timer);
    }
    let body: Record<string, unknown> | undefined;
    try {
      const parsed = JSON.parse(text);
      if (parsed !== null && typeof parsed === "object") body = parsed;
    } catch { /* not JSON: reported below */ }
    if (!response.ok) {
      const codes = Array.isArray(body?.error_codes)
        ? body.error_codes.filter((c): c is number => Number.isInteger(c))
        : [];
      const error = typeof body?.error === "string" ? clean(body.error) : undefined;
      const description = typeof body?.error_description === "string"
        // Entra appends trace id, correlation id and timestamp: those are fields of their own.
        ? clean(body.error_description.split(/\r?\n| Trace ID:/)[0].trim())
        : undefined;
      // The AADSTS code is named even when the description does not start with it.
      const aadsts = codes.length ? `AADSTS${codes[0]}` : "";
      const detail = !aadsts || description?.includes(aadsts)
        ? description ?? "(no description)"
        : `${aadsts}${description ? `: ${description}` : " (no description)"}`;
      throw fail(
        error
          ? `Entra ID answered HTTP ${response.status} ${error}: ${detail}`
          : `${host} answered HTTP ${response.status} without an Entra ID error body`,
        {
          status: response.status,
          code: error,
          errorCodes: codes,
          traceId: typeof body?.trace_id === "string" ? clean(body.trace_id) : undefined,
          correlationId: typeof body?.correlation_id === "string"
            ? clean(body.correlation_id)
            : undefined,
        },
      );
    }
    const token = body?.access_token;
    // expires_in is seconds, a number or (some hosts) a string of digits; without it, expires_on,
    // seconds since the epoch (v1 endpoints, ADFS, some proxies), likewise.
    const seconds = Number(body?.expires_in);
    const expiresOn = seconds > 0 && seconds < Infinity
      ? started + seconds * 1000
      : Number(body?.expires_on) * 1000;
    if (
      typeof token !== "string" || token === "" ||
      !(expiresOn > started && expiresOn < Infinity)
    ) {
      // Never quote the body: it may hold the token.
      throw fail(
        `${host} answered HTTP ${response.status} without an access_token and a positive ` +
          "expires_in (or an expires_on to come)",
        { status: response.status, code: "invalid_token_response" },
      );
    }
    return { token, expiresOnTimestamp: expiresOn };
  }

  return function entraToken(): Promise<Token> {
    const t = now();
    if (
      last && t - last.at < REUSE_MS && last.token.expiresOnTimestamp - t > REUSE_MIN_LEFT_MS
    ) {
      return Promise.resolve(last.token);
    }
    if (failed && t - failed.at < FAILURE_HOLD_MS) return Promise.reject(failed.error);
    return inflight ??= request().then((token) => {
      last = { token, at: now() };
      failed = undefined;
      return token;
    }, (err) => {
      const error = err instanceof EntraTokenError ? err : fail(
        clean(err instanceof Error ? err.message : String(err)),
      );
      failed = { error, at: now() };
      throw error;
    }).finally(() => inflight = undefined);
  };
}
