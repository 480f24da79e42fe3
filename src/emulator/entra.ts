/**
 * The emulator's Microsoft Entra ID token endpoint (`options.entra`): the client credentials
 * grant at `POST /{tenant}/oauth2/v2.0/token` with a client secret or a certificate's signed
 * client assertion, answered with Entra's success and error shapes, and the bearer tokens it
 * issued, accepted on the OpenAI routes until they expire.
 *
 * @module
 */

import { randomUuid } from "./_hash.ts";
import { jsonResponse } from "./_response.ts";

/**
 * A service principal the emulator's token endpoint knows (see `EmulatorOptions.entra`).
 *
 * @example Issue a token, then call a deployment with it
 * ```ts
 * import { createEmulator, type EmulatorEntra } from "@aoai/edge/emulator";
 * const clientSecret = "emulated-client-secret";
 * const entra: EmulatorEntra = {
 *   tenantId: "00000000-0000-4000-8000-000000000001",
 *   clientId: "00000000-0000-4000-8000-000000000002",
 *   clientSecret,
 * };
 * const emulator = createEmulator({ entra });
 * const res = await emulator.fetch(`http://login.local/${entra.tenantId}/oauth2/v2.0/token`, {
 *   method: "POST",
 *   body: new URLSearchParams({
 *     grant_type: "client_credentials",
 *     client_id: entra.clientId,
 *     client_secret: clientSecret,
 *     scope: "https://cognitiveservices.azure.com/.default",
 *   }),
 * });
 * const { token_type, expires_in } = await res.json();
 * console.log(res.status, token_type, expires_in); // 200 Bearer 3599
 * ```
 */
export interface EmulatorEntra {
  /**
   * The directory (tenant) id, a GUID (or a domain name, as `entraClientCredentials` takes it);
   * the path's `{tenant}` must be it (any letter case). Leading and trailing spaces are dropped.
   */
  tenantId: string;
  /** The application (client) id; leading and trailing spaces are dropped. */
  clientId: string;
  /** The client secret's value. Optional with `certificates` (then only they sign in). */
  clientSecret?: string;
  /**
   * Certificates registered on the app, as PEM (`-----BEGIN CERTIFICATE-----`; a text with a
   * private key beside it is fine, the first certificate block is used): a token request may
   * then prove the client with a `client_assertion` (`client_assertion_type=
   * urn:ietf:params:oauth:client-assertion-type:jwt-bearer`), a JWT (base64url without padding)
   * signed PS256 or RS256 with one of their keys and naming it by `x5t#S256` (SHA-256
   * thumbprint) or `x5t` (SHA-1). The endpoint checks the signature with the certificate's public
   * key, `aud` = its own token URL, `iss` = `sub` = the client id and that `nbf` has come and `exp`
   * not passed (by `now`, to the second, without leeway); like Entra, it takes an assertion again
   * within its lifetime. Default: none.
   */
  certificates?: readonly string[];
  /** Lifetime of issued tokens in seconds (`expires_in`; default 3599, like Entra). */
  tokenLifetimeSeconds?: number;
  /**
   * The directory's domain names (e.g. `contoso.onmicrosoft.com`), which Entra also takes as the
   * path's `{tenant}` (any letter case); leading and trailing spaces are dropped. Default: none,
   * only the GUID.
   */
  tenantDomains?: readonly string[];
}

/** The one resource the emulated tokens are for (the Azure OpenAI data plane). */
const RESOURCE = "https://cognitiveservices.azure.com";

// The tenant forms entraClientCredentials (edge/entra.ts) accepts.
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** The token endpoint and the tokens it issued. */
export class EntraEndpoint {
  #config: Required<Omit<EmulatorEntra, "clientSecret" | "certificates">> & {
    clientSecret?: string;
  };
  /** The registered certificates: DER, public key (SPKI) and, once computed, thumbprints. */
  #certificates: { der: Uint8Array<ArrayBuffer>; spki: Uint8Array<ArrayBuffer> }[];
  #thumbprints: Promise<{ sha256: string; sha1: string }[]> | undefined;
  #now: () => number;
  #random: () => number;
  /** Issued token → expiry (ms). */
  #issued = new Map<string, number>();

  constructor(config: EmulatorEntra, now: () => number, random: () => number) {
    const certificates = config.certificates ?? [];
    if (!Array.isArray(certificates)) {
      throw new TypeError("createEmulator(): options.entra.certificates must be an array of PEM");
    }
    const keys = ["tenantId", "clientId"];
    if (config.clientSecret !== undefined || !certificates.length) keys.push("clientSecret");
    for (const key of keys as ("tenantId" | "clientId" | "clientSecret")[]) {
      const value = config[key];
      if (typeof value !== "string" || value.trim() === "") {
        throw new TypeError(
          `createEmulator(): options.entra.${key} must be a non-empty string` +
            (key === "clientSecret" ? " (or give certificates instead)" : ""),
        );
      }
    }
    this.#certificates = certificates.map((pem, i) => {
      const der = pemCertificate(pem);
      if (!der) {
        throw new TypeError(
          `createEmulator(): options.entra.certificates[${i}] must be a PEM certificate ` +
            "(-----BEGIN CERTIFICATE-----) that is a well-formed X.509 certificate",
        );
      }
      return der;
    });
    const lifetime = config.tokenLifetimeSeconds ?? 3599;
    if (!Number.isInteger(lifetime) || lifetime < 1) {
      throw new TypeError(
        "createEmulator(): options.entra.tokenLifetimeSeconds must be a whole number >= 1",
      );
    }
    // Trimmed as entraClientCredentials trims what it sends, so the same values sign in.
    const tenantId = config.tenantId.trim();
    if (!GUID.test(tenantId) && !DOMAIN.test(tenantId)) {
      throw new TypeError(
        "createEmulator(): options.entra.tenantId must be the directory (tenant) id, a GUID " +
          "(or a domain name such as contoso.onmicrosoft.com); this is neither",
      );
    }
    const given = config.tenantDomains ?? [];
    const domains = Array.isArray(given)
      ? given.map((d) => typeof d === "string" ? d.trim() : "")
      : [];
    const bad = domains.findIndex((d) => !DOMAIN.test(d));
    if (!Array.isArray(given) || bad >= 0) {
      throw new TypeError(
        "createEmulator(): options.entra.tenantDomains must be an array of domain names such " +
          `as contoso.onmicrosoft.com${
            bad < 0 ? "" : `; entry ${bad} is ${domains[bad] ? "not one" : "empty"}`
          }`,
      );
    }
    this.#config = {
      ...config,
      tenantId,
      clientId: config.clientId.trim(),
      tokenLifetimeSeconds: lifetime,
      tenantDomains: domains,
    };
    this.#now = now;
    this.#random = random;
  }

  /** Whether `path` is a token endpoint path (`/{tenant}/oauth2/v2.0/token`). */
  static matches(path: string): boolean {
    return /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(path);
  }

  /** Whether `token` is one this endpoint issued and it has not expired. */
  accepts(token: string): boolean {
    const expiry = this.#issued.get(token);
    if (expiry === undefined) return false;
    if (this.#now() < expiry) return true;
    this.#issued.delete(token);
    return false;
  }

  /** Forgets the issued tokens. */
  reset(): void {
    this.#issued.clear();
  }

  /** Answers one token request. */
  async handle(request: Request, path: string): Promise<Response> {
    const { tenantId, clientId, tokenLifetimeSeconds } = this.#config;
    let tenant = path.split("/")[1];
    try {
      tenant = decodeURIComponent(tenant);
    } catch { /* kept as sent */ }
    if (request.method !== "POST") {
      return this.#error(
        400,
        "invalid_request",
        900561,
        `The endpoint only accepts POST requests. Received a ${request.method} request.`,
      );
    }
    const known = [tenantId, ...this.#config.tenantDomains].map((t) => t.toLowerCase());
    if (!known.includes(tenant.toLowerCase())) {
      return this.#error(
        400,
        "invalid_tenant",
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are ` +
          "signing into the correct cloud.",
      );
    }
    const type = request.headers.get("content-type") ?? "";
    const form = type.toLowerCase().startsWith("application/x-www-form-urlencoded")
      ? new URLSearchParams(await request.text())
      : new URLSearchParams();
    for (const name of ["grant_type", "client_id", "scope"]) {
      if (!form.get(name)) {
        return this.#error(
          400,
          "invalid_request",
          900144,
          `The request body must contain the following parameter: '${name}'.`,
        );
      }
    }
    const grant = form.get("grant_type")!;
    if (grant !== "client_credentials") {
      return this.#error(
        400,
        "unsupported_grant_type",
        70003,
        `The app requested an unsupported grant type '${grant}'; the emulator issues tokens ` +
          "for client_credentials only.",
      );
    }
    const client = form.get("client_id")!;
    if (client.toLowerCase() !== clientId.toLowerCase()) {
      return this.#error(
        400,
        "unauthorized_client",
        700016,
        `Application with identifier '${client}' was not found in the directory '${tenant}'. ` +
          "You may have sent your authentication request to the wrong tenant.",
      );
    }
    const assertion = form.get("client_assertion");
    const secret = form.get("client_secret");
    if (assertion !== null || form.get("client_assertion_type") !== null) {
      // The URL the client posted to, as its `aud` names it.
      const url = new URL(request.url);
      const refused = await this.#checkAssertion(form, url.origin + url.pathname);
      if (refused) return refused;
    } else if (!secret) {
      return this.#error(
        401,
        "invalid_client",
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or " +
          "'client_secret'.",
      );
    } else if (secret !== this.#config.clientSecret) {
      return this.#error(
        401,
        "invalid_client",
        7000215,
        "Invalid client secret provided. Ensure the secret being sent in the request is the " +
          `client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
    const scope = form.get("scope")!;
    if (!scope.endsWith("/.default")) {
      return this.#error(
        400,
        "invalid_scope",
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a ` +
          "scope value with /.default suffixed to the resource identifier (application ID URI).",
      );
    }
    const resource = scope.slice(0, -"/.default".length);
    if (resource.replace(/\/+$/, "") !== RESOURCE) {
      return this.#error(
        400,
        "invalid_resource",
        500011,
        `The resource principal named ${resource} was not found in the tenant named ${tenant}. ` +
          `The emulator issues tokens for ${RESOURCE} only.`,
      );
    }
    const now = this.#now();
    for (const [token, expiry] of this.#issued) if (expiry <= now) this.#issued.delete(token);
    const expiry = now + tokenLifetimeSeconds * 1000;
    const token = this.#token(expiry);
    this.#issued.set(token, expiry);
    return jsonResponse({
      token_type: "Bearer",
      expires_in: tokenLifetimeSeconds,
      ext_expires_in: tokenLifetimeSeconds,
      access_token: token,
    });
  }

  /**
   * Checks a client assertion as Entra does, in its order: the form, the JWT, the certificate it
   * names, its signature, then `iss` / `sub`, `aud` and the time range; the refusal, or
   * undefined when it is good.
   */
  async #checkAssertion(form: URLSearchParams, endpoint: string): Promise<Response | undefined> {
    const type = form.get("client_assertion_type");
    if (type !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") {
      return this.#error(
        400,
        "invalid_request",
        900144,
        type === null
          ? "The request body must contain the following parameter: 'client_assertion_type'."
          : `client_assertion_type '${type}' is not supported; send ` +
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer.",
      );
    }
    const clientId = this.#config.clientId;
    const text = form.get("client_assertion") ?? "";
    const parts = text.split(".");
    const read = (part: string | undefined) => {
      try {
        const value = JSON.parse(atob((part ?? "").replace(/-/g, "+").replace(/_/g, "/")));
        return value !== null && typeof value === "object" ? value : undefined;
      } catch {
        return undefined;
      }
    };
    const header = read(parts[0]);
    const claims = read(parts[1]);
    let signature: Uint8Array<ArrayBuffer> | undefined;
    try {
      signature = bytesOf(atob((parts[2] ?? "").replace(/-/g, "+").replace(/_/g, "/")));
    } catch { /* reported below */ }
    // Compact JWS in base64url without padding, as Microsoft.IdentityModel reads it (no "=",
    // "+", "/" or white space, which atob would let through).
    if (!/^[\w-]+\.[\w-]+\.[\w-]*$/.test(text) || !header || !claims || !signature) {
      return this.#error(401, "invalid_client", 50027, "JWT token is invalid or malformed.");
    }
    const alg = header.alg;
    const sha256 = header["x5t#S256"];
    const sha1 = header.x5t;
    this.#thumbprints ??= Promise.all(this.#certificates.map(async ({ der }) => ({
      sha256: base64Url(await crypto.subtle.digest("SHA-256", der)),
      sha1: base64Url(await crypto.subtle.digest("SHA-1", der)),
    })));
    const thumbprints = await this.#thumbprints;
    const index = thumbprints.findIndex((t) =>
      (typeof sha256 === "string" && t.sha256 === sha256) ||
      (typeof sha256 !== "string" && typeof sha1 === "string" && t.sha1 === sha1)
    );
    if (index < 0 || (alg !== "PS256" && alg !== "RS256")) {
      const sent = typeof sha256 === "string" ? sha256 : typeof sha1 === "string" ? sha1 : "";
      return this.#error(
        401,
        "invalid_client",
        700027,
        index < 0
          ? "The certificate with identifier used to sign the client assertion is not " +
            `registered on application. [Reason - The key was not found., Thumbprint of key ` +
            `used by client: '${hexOf(sent)}', Please see the keys configured for app Id ` +
            `'${clientId}'.]`
          : `Client assertion contains an invalid signature. [Reason - The algorithm '${
            String(alg)
          }' is not supported; sign with PS256 or RS256.]`,
      );
    }
    const pss = alg === "PS256";
    const params = { name: pss ? "RSA-PSS" : "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
    let valid = false;
    try {
      const key = await crypto.subtle.importKey(
        "spki",
        this.#certificates[index].spki,
        params,
        false,
        ["verify"],
      );
      valid = await crypto.subtle.verify(
        pss ? { name: "RSA-PSS", saltLength: 32 } : params,
        key,
        signature,
        new TextEncoder().encode(`${parts[0]}.${parts[1]}`),
      );
    } catch { /* not valid */ }
    if (!valid) {
      return this.#error(
        401,
        "invalid_client",
        700027,
        "Client assertion failed signature validation. [Reason - The provided signature value " +
          "did not match the expected signature value.]",
      );
    }
    const same = (value: unknown) =>
      typeof value === "string" && value.toLowerCase() === clientId.toLowerCase();
    if (!same(claims.iss) || !same(claims.sub)) {
      return this.#error(
        401,
        "invalid_client",
        700021,
        "Client assertion application identifier doesn't match 'client_id' parameter. Review " +
          "the documentation at https://learn.microsoft.com/entra/identity-platform/" +
          "certificate-credentials .",
      );
    }
    if (typeof claims.aud !== "string" || claims.aud.toLowerCase() !== endpoint.toLowerCase()) {
      return this.#error(
        401,
        "invalid_client",
        700023,
        `Client assertion audience claim does not match Realm issuer. The audience must be ` +
          `${endpoint}.`,
      );
    }
    const now = this.#now();
    const nbf = typeof claims.nbf === "number" ? claims.nbf * 1000 : 0;
    const exp = typeof claims.exp === "number" ? claims.exp * 1000 : NaN;
    if (!(now < exp && now >= nbf)) {
      const time = (ms: number) => Number.isFinite(ms) ? new Date(ms).toISOString() : "(none)";
      return this.#error(
        401,
        "invalid_client",
        700024,
        `Client assertion is not within its valid time range. Current time: ${time(now)}, ` +
          `assertion valid from ${time(nbf)}, expiry time of assertion ${time(exp)}.`,
      );
    }
    return undefined;
  }

  /** An unsigned JWT-shaped token (claims like Entra's app tokens) with a random id. */
  #token(expiryMs: number): string {
    const b64url = (value: unknown) =>
      btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const now = Math.floor(this.#now() / 1000);
    const claims = {
      aud: RESOURCE,
      iss: `https://sts.windows.net/${this.#config.tenantId}/`,
      iat: now,
      nbf: now,
      exp: Math.floor(expiryMs / 1000),
      appid: this.#config.clientId,
      tid: this.#config.tenantId,
      uti: randomUuid(this.#random),
    };
    return `${b64url({ typ: "JWT", alg: "none" })}.${b64url(claims)}.emulator`;
  }

  /** Entra's error body: `error`, an AADSTS description with trace and correlation ids, … */
  #error(status: number, error: string, code: number, message: string): Response {
    const traceId = randomUuid(this.#random);
    const correlationId = randomUuid(this.#random);
    const timestamp = new Date(this.#now()).toISOString().replace("T", " ").replace(
      /\.\d+Z$/,
      "Z",
    );
    return jsonResponse({
      error,
      error_description: `AADSTS${code}: ${message} Trace ID: ${traceId} Correlation ID: ` +
        `${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    }, status);
  }
}

/** The characters of a binary string as bytes. */
function bytesOf(binary: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Bytes as base64url without padding. */
function base64Url(bytes: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-")
    .replace(/\//g, "_").replace(/=+$/, "");
}

/** A base64url thumbprint in the upper-case hex Entra quotes (the text itself if not base64url). */
function hexOf(thumbprint: string): string {
  try {
    return Array.from(
      bytesOf(atob(thumbprint.replace(/-/g, "+").replace(/_/g, "/"))),
      (b) => b.toString(16).padStart(2, "0"),
    ).join("").toUpperCase();
  } catch {
    return thumbprint;
  }
}

/**
 * The first certificate of a PEM text, its DER and public key (SubjectPublicKeyInfo, the 7th
 * field of tbsCertificate when a version is given, else the 6th); undefined when it has none or
 * it is not well-formed.
 */
function pemCertificate(
  pem: unknown,
): { der: Uint8Array<ArrayBuffer>; spki: Uint8Array<ArrayBuffer> } | undefined {
  const match = typeof pem === "string"
    ? /-----BEGIN CERTIFICATE-----([^-]*)-----END CERTIFICATE-----/.exec(pem)
    : null;
  if (!match) return undefined;
  try {
    const der = bytesOf(atob(match[1].replace(/\s+/g, "")));
    // One DER element at `at`: where its content starts and where it ends.
    const element = (at: number) => {
      let start = at + 2;
      let length = der[at + 1];
      if (length > 0x80) {
        const octets = length - 0x80;
        if (octets > 4) throw new RangeError("DER length");
        length = 0;
        for (let i = 0; i < octets; i++) length = length * 256 + der[start++];
      }
      if (!(start + length <= der.length)) throw new RangeError("truncated DER");
      return { tag: der[at], at, start, end: start + length };
    };
    const tbs = element(element(0).start);
    const fields = [];
    for (let at = tbs.start; at < tbs.end && fields.length < 7;) {
      const field = element(at);
      fields.push(field);
      at = field.end;
    }
    const spki = fields[fields[0]?.tag === 0xa0 ? 6 : 5];
    if (!spki || spki.tag !== 0x30) return undefined;
    return { der, spki: der.slice(spki.at, spki.end) };
  } catch {
    return undefined;
  }
}
