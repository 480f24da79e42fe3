/**
 * Injected request failures: `failNext` and a random `errorRate`, answered in the
 * service's error shapes (500 `InternalServerError`, 503 `ServiceUnavailable`, 429 …).
 *
 * @module
 */

import type { EmulatorFaults } from "./options.ts";
import { serviceError } from "./_response.ts";

const MESSAGES: Record<number, [string, string]> = {
  400: ["BadRequest", "Injected fault: bad request."],
  408: ["Timeout", "The operation was timeout."],
  429: ["429", "Injected fault: rate limit reached. Please retry after the time in retry-after."],
  500: [
    "InternalServerError",
    "The server had an error while processing your request. Sorry about that!",
  ],
  502: ["BadGateway", "Bad gateway."],
  503: [
    "ServiceUnavailable",
    "The service is temporarily unable to process your request. Please try again later.",
  ],
  504: ["GatewayTimeout", "The gateway did not receive a response in time."],
};

/** The error Response an injected fault with `status` produces. */
export function faultResponse(status: number, retryAfterMs: number): Response {
  const [code, message] = MESSAGES[status] ?? [String(status), `Injected fault: status ${status}.`];
  const headers: Record<string, string> = {};
  if (status === 429 || status === 503) {
    headers["retry-after"] = String(Math.ceil(retryAfterMs / 1000));
    headers["retry-after-ms"] = String(retryAfterMs);
  }
  return serviceError(status, code, message, {}, headers);
}

/** Mutable fault state: the remaining `failNext` budget. */
export class FaultState {
  faults!: EmulatorFaults;
  #failCount!: number;
  #failStatus!: number;

  /** Starts with `faults` (its `failNext` is consumed request by request). */
  constructor(faults: EmulatorFaults) {
    this.set(faults);
  }

  /** Replaces the fault settings. */
  set(faults: EmulatorFaults): void {
    this.faults = { ...faults };
    this.#failCount = faults.failNext?.count ?? 0;
    this.#failStatus = faults.failNext?.status ?? 500;
  }

  /** Makes the next `count` requests fail with `status`. */
  failNext(count: number, status: number): void {
    this.#failCount = count;
    this.#failStatus = status;
  }

  /** An injected failure for this request, or undefined. */
  check(random: () => number): Response | undefined {
    const retryAfterMs = this.faults.retryAfterMs ?? 1000;
    if (this.#failCount > 0) {
      this.#failCount--;
      return faultResponse(this.#failStatus, retryAfterMs);
    }
    const rate = this.faults.errorRate ?? 0;
    if (rate > 0 && random() < rate) {
      return faultResponse(this.faults.errorStatus ?? 500, retryAfterMs);
    }
    return undefined;
  }
}
