/**
 * Authentication: api-key and Entra ID bearer tokens, as middleware.
 * @module
 */
export { apiKeyAuth, tokenAuth } from "./auth_middleware.ts";
export {
  type AccessToken,
  jwtExpiryMs,
  TokenCache,
  type TokenCacheOptions,
  type TokenProvider,
} from "./token_cache.ts";
