/**
 * DALL-E 2 preview async image operations:
 * `POST /openai/images/generations:submit` → 202 + `operation-location`;
 * `GET /openai/operations/images/{id}` → notRunning → running → succeeded (or failed)
 * across polls, with `retry-after` on non-final polls; `DELETE` → 204 once final (409 before),
 * after which `GET` answers `deleted`; unknown or expired → 404.
 * Only on the api-versions whose documents define them (2023-06-01-preview to
 * 2023-09-01-preview); others answer 404 Resource not found.
 *
 * @module
 */

import { randomUuid } from "./_hash.ts";
import { jsonResponse, readJsonObject, resourceNotFound, serviceError } from "./_response.ts";
import { checkImageBody, imagePath, imageSeeds } from "./images.ts";
import type { NormalizedOptions } from "./options.ts";

/** Seconds an operation's result stays available (the service keeps images 24 h). */
export const OPERATION_TTL_SECONDS = 24 * 60 * 60;
const MAX_OPERATIONS = 1000;

/**
 * The DALL-E 2 operations are in the 2023-06-01-preview to 2023-09-01-preview documents only:
 * 2023-10-01-preview, 2023-12-01-preview, 2024-02-01, 2024-05-01-preview and 2024-10-21 have no
 * `/images/generations:submit` or `/operations/images/{operation-id}` path.
 */
export function imageOperationsInVersion(apiVersion: string): boolean {
  return /^2023-0[6-9]-\d\d-preview$/.test(apiVersion);
}

interface OperationRecord {
  id: string;
  created: number;
  expires: number;
  polls: number;
  seeds: number[];
  failed: boolean;
  /** The last non-final status a poll answered, or `deleted` (only `deleted` is read). */
  lastStatus: string;
}

function notFound(id: string): Response {
  return serviceError(
    404,
    "NotFound",
    `The image operation '${id}' was not found. It may have expired (24 h) or been deleted; submit a new generation.`,
  );
}

/** In-memory operations, bounded to the newest 1000. */
export class ImageOperationStore {
  #options: NormalizedOptions;
  #ops = new Map<string, OperationRecord>();

  /** Uses the emulator's clock, random source, poll count and retry-after. */
  constructor(options: NormalizedOptions) {
    this.#options = options;
  }

  /** Forgets every operation. */
  reset(): void {
    this.#ops.clear();
  }

  /** Routes one request under `/openai/images/generations:submit` or `/openai/operations/images/`. */
  handle(
    request: Request,
    url: URL,
    path: string,
    apiVersion: string,
  ): Promise<Response> | Response {
    if (path === "/openai/images/generations:submit") {
      if (request.method !== "POST") return resourceNotFound();
      return this.#submit(request, url, apiVersion);
    }
    const raw = path.slice("/openai/operations/images/".length);
    let id: string;
    try {
      id = decodeURIComponent(raw);
    } catch {
      return notFound(raw); // malformed percent-encoding names no operation
    }
    if (id === "" || id.includes("/")) return resourceNotFound();
    const now = Math.floor(this.#options.now() / 1000);
    const op = this.#ops.get(id);
    if (!op || now >= op.expires) {
      if (op) this.#ops.delete(id);
      return notFound(id);
    }
    if (request.method === "GET") return this.#poll(op, url);
    if (request.method === "DELETE") {
      // Only an operation in a final state may be deleted (the REST reference); its state moves
      // on with polls, so one not polled past operationPolls has not finished. `deleted` is final.
      if (op.lastStatus !== "deleted" && op.polls <= this.#options.operationPolls) {
        return serviceError(
          409,
          "Conflict",
          `The image operation '${id}' has not finished; delete it once it has (poll until succeeded or failed).`,
        );
      }
      // The REST reference's GET lists a `deleted` status: the operation stays, without its
      // images, until it expires.
      op.lastStatus = "deleted";
      op.seeds = [];
      return new Response(null, { status: 204 });
    }
    return resourceNotFound();
  }

  async #submit(request: Request, url: URL, apiVersion: string): Promise<Response> {
    const body = await readJsonObject(request);
    if (body instanceof Response) return body;
    const invalid = checkImageBody(body, "dall-e-2", 5);
    if (invalid) return invalid;
    const prompt = body.prompt as string;
    const id = randomUuid(this.#options.random);
    const created = Math.floor(this.#options.now() / 1000);
    const trigger = this.#options.contentFilterTrigger;
    this.#ops.set(id, {
      id,
      created,
      expires: created + OPERATION_TTL_SECONDS,
      polls: 0,
      seeds: imageSeeds(prompt, typeof body.n === "number" ? body.n : 1, "dall-e-2"),
      failed: trigger !== "" && prompt.includes(trigger),
      lastStatus: "notRunning",
    });
    if (this.#ops.size > MAX_OPERATIONS) {
      this.#ops.delete(this.#ops.keys().next().value as string);
    }
    const location = `${url.origin}/openai/operations/images/${id}?api-version=${
      encodeURIComponent(apiVersion)
    }`;
    return jsonResponse({ id, status: "notRunning" }, 202, { "operation-location": location });
  }

  #poll(op: OperationRecord, url: URL): Response {
    if (op.lastStatus === "deleted") {
      return jsonResponse({
        created: op.created,
        expires: op.expires,
        id: op.id,
        status: "deleted",
      });
    }
    op.polls++;
    const nonFinal = this.#options.operationPolls;
    if (op.polls <= nonFinal) {
      op.lastStatus = op.polls < nonFinal ? "notRunning" : "running";
      return jsonResponse({ created: op.created, id: op.id, status: op.lastStatus }, 200, {
        "retry-after": String(this.#options.operationRetryAfter),
      });
    }
    if (op.failed) {
      return jsonResponse({
        created: op.created,
        id: op.id,
        status: "failed",
        error: {
          code: "contentFilter",
          message: "Your task failed as a result of our safety system.",
        },
      });
    }
    return jsonResponse({
      created: op.created,
      expires: op.expires,
      id: op.id,
      result: {
        created: op.created,
        data: op.seeds.map((seed) => ({ url: `${url.origin}${imagePath(seed)}` })),
      },
      status: "succeeded",
    });
  }
}
