/**
 * The emulator's Microsoft Entra ID token endpoint (`options.entra`): the client credentials
 * grant at `POST /{tenant}/oauth2/v2.0/token`, answered with Entra's success and error shapes,
 * and the bearer tokens it issued, accepted on the OpenAI routes until they expire.
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
 * const entra: EmulatorEntra = {
 *   tenantId: "00000000-0000-4000-8000-000000000001",
 *   clientId: "00000000-0000-4000-8000-000000000002",
 *   clientSecret: "emulated-client-secret",
 * };
 * const emulator = createEmulator({ entra });
 * const res = await emulator.fetch(`http://login.local/${entra.tenantId}/oauth2/v2.0/token`, {
 *   method: "POST",
 *   body: new URLSearchParams({
 *     grant_type: "client_credentials",
 *     client_id: entra.clientId,
 *     client_secret: entra.clientSecret,
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
  /** The client secret's value. */
  clientSecret: string;
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
  #config: Required<EmulatorEntra>;
  #now: () => number;
  #random: () => number;
  /** Issued token → expiry (ms). */
  #issued = new Map<string, number>();

  constructor(config: EmulatorEntra, now: () => number, random: () => number) {
    for (const key of ["tenantId", "clientId", "clientSecret"] as const) {
      if (typeof config[key] !== "string" || config[key].trim() === "") {
        throw new TypeError(`createEmulator(): options.entra.${key} must be a non-empty string`);
      }
    }
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
    const { tenantId, clientId, clientSecret, tokenLifetimeSeconds } = this.#config;
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
    const secret = form.get("client_secret");
    if (!secret) {
      return this.#error(
        401,
        "invalid_client",
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or " +
          "'client_secret'.",
      );
    }
    if (secret !== clientSecret) {
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
