/**
 * The deployment-scoped operations the app serves, and the shared request handling: api-version,
 * body limit, parsing, validation, deployment resolution, then forwarding.
 *
 * @module
 */
import {
  deploymentNotAllowedForKey,
  deploymentNotFound,
  errorResponse,
  invalidRequest,
  quoteSent,
} from "./_errors.ts";
import { blobAudioTokens } from "../src/middleware/_token_estimate.ts";
import { readBodyLimited, readFormLimited } from "./body_limit.ts";
import { estimateTokens } from "./_events.ts";
import { JSON_BYTES_CAP, type ResolvedOptions, UPLOAD_BYTES } from "./options.ts";
import {
  checkAudioForm,
  checkChatBody,
  checkCompletionsBody,
  type Checked,
  checkEmbeddingsBody,
  checkImagesBody,
  checkSpeechBody,
  deploymentNameProblem,
  MAX_DEPLOYMENT_NAME,
  parseJsonObject,
} from "./validation/mod.ts";

/** One deployment-scoped operation. */
export interface Operation {
  /** Path after `/openai/deployments/{deployment}/` (and after `/v1/`). */
  path: string;
  /** Operation id used by middleware, e.g. `embeddings.create`. */
  operation: string;
  /** JSON body, or a multipart form (audio uploads). */
  body: "json" | "form";
  checkJson?: (body: Record<string, unknown>) => Checked<Record<string, unknown>>;
}

/** The operations, by path. */
export const OPERATIONS: Readonly<Record<string, Operation>> = {
  "chat/completions": {
    path: "chat/completions",
    operation: "chat.completions.create",
    body: "json",
    checkJson: checkChatBody,
  },
  "completions": {
    path: "completions",
    operation: "completions.create",
    body: "json",
    checkJson: checkCompletionsBody,
  },
  "embeddings": {
    path: "embeddings",
    operation: "embeddings.create",
    body: "json",
    checkJson: checkEmbeddingsBody,
  },
  "images/generations": {
    path: "images/generations",
    operation: "images.generate",
    body: "json",
    checkJson: checkImagesBody,
  },
  "audio/speech": {
    path: "audio/speech",
    operation: "audio.speech.create",
    body: "json",
    checkJson: checkSpeechBody,
  },
  "audio/transcriptions": {
    path: "audio/transcriptions",
    operation: "audio.transcriptions.create",
    body: "form",
  },
  "audio/translations": {
    path: "audio/translations",
    operation: "audio.translations.create",
    body: "form",
  },
};

const DATED_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

/**
 * The upstream api-version for an Azure-style request: its `api-version` query parameter
 * (required, like the service requires it). A Response when it is missing or malformed, or given
 * twice with different values: the app reads the first, another reader of the URL (a gateway, a
 * log) may read the last. Called before the body is read: that 400 comes first.
 */
export function apiVersionOf(request: Request): string | Response {
  const [version = null, ...more] = new URL(request.url).searchParams.getAll("api-version");
  if (more.some((other) => other !== version)) {
    return invalidRequest(
      "api-version",
      "The query parameter 'api-version' is given more than once, with different values; give " +
        "it once, e.g. ?api-version=2024-10-21.",
    );
  }
  if (version === null || version === "") {
    return invalidRequest(
      "api-version",
      "Missing required query parameter 'api-version'; add ?api-version=2024-10-21 (or another " +
        "version) to the URL.",
      "missing_required_parameter",
    );
  }
  if (!DATED_VERSION.test(version)) {
    return invalidRequest(
      "api-version",
      `Invalid value for 'api-version': ${
        quoteSent(version)
      }; this app takes a dated version, YYYY-MM-DD or YYYY-MM-DD-preview, like 2024-10-21 or ` +
        "2024-05-01-preview.",
    );
  }
  return version;
}

/**
 * The 400 for a request to a JSON operation sent compressed (`content-encoding`) or as another
 * content-type (none is taken as JSON), or undefined.
 */
export function jsonContentTypeProblem(request: Request): Response | undefined {
  // The body is read as it came: a compressed one would read as "not valid JSON".
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "") {
    return invalidRequest(
      null,
      `This app takes request bodies uncompressed; send the JSON without content-encoding (got ${
        quoteSent(encoding)
      }).`,
      "invalid_content_encoding",
    );
  }
  const contentType = (request.headers.get("content-type") ?? "").toLowerCase();
  if (contentType === "" || contentType.includes("json")) return undefined;
  return invalidRequest(
    null,
    `This operation takes a JSON body; send content-type: application/json (got ${
      quoteSent(contentType.split(";")[0])
    }).`,
    "invalid_content_type",
  );
}

/**
 * A JSON body as the client sent it: its bytes, and their parse (never edited; an edit makes a
 * copy). Sent upstream instead of a serialisation of the parse, which rounds integers past 2^53
 * (a `seed` of 2^63 - 1, a JSON schema's `maximum`).
 */
export interface SentJson {
  bytes: Uint8Array;
  parsed: Record<string, unknown>;
}

/** A request that passed every check: what to send upstream. */
export interface PreparedCall {
  op: Operation;
  deployment: string;
  /** The JSON body to send: the client's, or a copy with the app's edits (`model`). */
  json?: Record<string, unknown>;
  /** The client's JSON body as sent, sent upstream as is unless `json` differs from it. */
  sent?: SentJson;
  form?: FormData;
  /** True when a JSON body asked for `stream: true` (a transcription's form, `stream=true`). */
  stream: boolean;
  /**
   * A transcription known to be billed by token (the gpt-4o-transcribe family; Whisper is billed
   * by the minute): streamed (only those models stream), or its form `model`, or the deployment it
   * names, is such a model's name ({@link TOKEN_BILLED}).
   */
  tokenBilled?: boolean;
}

/**
 * A name of the gpt-4o-transcribe family (gpt-4o-transcribe, gpt-4o-mini-transcribe, their dated
 * and `-diarize` versions), or a deployment named after one. The app does not know what model a
 * deployment runs: one named otherwise is not taken for token-billed.
 */
const TOKEN_BILLED = /gpt-[\w.-]*transcribe/i;

/**
 * The input tokens a transcription's upload is estimated at: its audio ({@link blobAudioTokens}:
 * 10 a second, its length from a wav header's byte rate, a FLAC's STREAMINFO, an MP3's first
 * frame, an MP4's `mvhd`, an Ogg file's last granule or a WebM Info Duration, else at 1,000 bytes a
 * second) plus its `prompt` ({@link estimateTokens}). Only the file's headers (an Ogg file's tail)
 * are read.
 */
export async function uploadTokens(form: FormData): Promise<number> {
  const file = form.get("file");
  const prompt = form.get("prompt");
  let tokens = typeof prompt === "string" ? estimateTokens(prompt) : 0;
  if (typeof file !== "string" && file !== null) tokens += await blobAudioTokens(file);
  return tokens;
}

function problemResponse(checked: Checked<unknown>): Response | undefined {
  if (checked.ok) return undefined;
  return invalidRequest(checked.problem.param, checked.problem.message, checked.problem.code);
}

/**
 * Reads, parses and validates the body of `op`, and resolves the deployment from the path
 * (`pathDeployment`) or the body's `model`. Returns a Response (400/404) on any problem: nothing
 * reaches the upstream then.
 */
export async function prepareCall(
  opts: ResolvedOptions,
  request: Request,
  op: Operation,
  pathDeployment: string | undefined,
  upstreamIsV1: boolean,
  scope?: ReadonlySet<string>,
): Promise<PreparedCall | Response> {
  const rawContentType = request.headers.get("content-type") ?? "";
  const contentType = rawContentType.toLowerCase();
  if (op.body === "form") {
    if (!contentType.startsWith("multipart/form-data")) {
      return invalidRequest(
        "file",
        "This operation takes a multipart/form-data upload with the audio in the 'file' field.",
        "invalid_content_type",
      );
    }
    const read = await readFormLimited(request, opts.maxMultipartBytes);
    if (!read.ok) {
      return read.reason === "bad_name"
        ? invalidRequest(
          read.part ?? "file",
          read.part
            ? `The '${read.part}' part's file name holds a NUL or line-break character; send it ` +
              "under a name without control characters."
            : "A part's name (or file name) holds a NUL or line-break character; send the parts " +
              "under names without control characters.",
        )
        : read.reason === "unparsable"
        ? invalidRequest(
          "file",
          "The multipart/form-data body could not be parsed, or has more than 1024 parts.",
        )
        : bodyProblem(read.reason, opts.maxMultipartBytes, "file");
    }
    const form = read.form;
    const checked = checkAudioForm(form);
    const bad = problemResponse(checked);
    if (bad) return bad;
    const model = form.get("model");
    const deployment = resolve(
      opts,
      pathDeployment ?? (typeof model === "string" ? model : ""),
      pathDeployment !== undefined,
      scope,
    );
    if (deployment instanceof Response) return deployment;
    if (upstreamIsV1) form.set("model", deployment);
    // A streamed transcription (gpt-4o-transcribe) is bounded per event, not as a whole.
    const stream = op.path === "audio/transcriptions" && form.get("stream") === "true";
    const tokenBilled = op.path === "audio/transcriptions" &&
      (stream ||
        [model, pathDeployment, deployment].some((name) =>
          typeof name === "string" && TOKEN_BILLED.test(name)
        ));
    return { op, deployment, form, stream, tokenBilled };
  }
  const wrongType = jsonContentTypeProblem(request);
  if (wrongType) return wrongType;
  const read = await readBodyLimited(request, opts.maxJsonBytes);
  if (!read.ok) return bodyProblem(read.reason, opts.maxJsonBytes, null);
  const parsed = parseJsonObject(read.bytes);
  if (!parsed.ok) return invalidRequest(parsed.param, parsed.message, parsed.code);
  const body = parsed.value;
  const checked = op.checkJson ? op.checkJson(body) : { ok: true as const, value: body };
  const bad = problemResponse(checked);
  if (bad) return bad;
  const model = typeof body.model === "string" ? body.model : "";
  const deployment = resolve(opts, pathDeployment ?? model, pathDeployment !== undefined, scope);
  if (deployment instanceof Response) return deployment;
  // On Your Data has the resource call a deployment the key may not use (embedding_dependency)
  // and reach stores with the resource's own identity: beyond a key limited to deployments.
  if (scope && Object.hasOwn(body, "data_sources")) {
    return errorResponse(403, {
      code: "DataSourcesNotAllowedForKey",
      message: "This client key is limited to some deployments and may not send data_sources " +
        "(On Your Data); send the request without it, or with a key that may use every deployment.",
    });
  }
  // A copy: `body` stays what the client sent (see SentJson).
  const json = upstreamIsV1 || (pathDeployment === undefined && model !== deployment)
    ? { ...body, model: deployment }
    : body;
  // Only chat and completions stream; elsewhere a stray `stream: true` must not bypass the
  // embeddings cache or ask the upstream for text/event-stream.
  const streams = op.path === "chat/completions" || op.path === "completions";
  return {
    op,
    deployment,
    json,
    sent: { bytes: read.bytes, parsed: body },
    stream: streams && body.stream === true,
  };
}

/**
 * The deployment `name` (from the URL path when `inPath`, else from `model`) resolves to: a 400
 * when it is missing, or when what would go upstream cannot be a path segment; a 404 when the app
 * does not allow it; a 403 when a client key limited to `scope` may not use it, whether or not
 * the app has it (a 404 would tell such a key which deployments exist).
 */
function resolve(
  opts: ResolvedOptions,
  name: string,
  inPath: boolean,
  scope?: ReadonlySet<string>,
): string | Response {
  if (name === "") {
    return invalidRequest(
      "model",
      "Missing required parameter: 'model'. On /v1/ routes, 'model' names the deployment.",
      "missing_required_parameter",
    );
  }
  // "." and ".." would be resolved as dot segments in the upstream URL
  // (`/openai/deployments/../embeddings` is `/openai/embeddings`): never a deployment.
  const target = opts.resolveDeployment(name);
  if (scope && (target === undefined || !scope.has(target))) {
    return deploymentNotAllowedForKey(name);
  }
  if (target === undefined || target === "." || target === "..") return deploymentNotFound(name);
  // What goes upstream (an alias in `models` may be anything). No allowlist: the client's name.
  const problem = deploymentNameProblem(target);
  if (problem) {
    return invalidRequest(
      inPath ? "deployment-id" : "model",
      `Invalid deployment name ${quoteSent(target)}: it ${problem}. A deployment name is at ` +
        `most ${MAX_DEPLOYMENT_NAME} characters without "/", "\\" or control characters, like ` +
        "gpt-4o or my_model.v2.",
    );
  }
  return target;
}

/**
 * The 413 for a body over the limit (as the service answers an upload over its own), or the 400
 * for one that could not be read.
 */
export function bodyProblem(
  reason: "too_large" | "unreadable",
  limit: number,
  param: string | null,
): Response {
  if (reason === "unreadable") {
    return invalidRequest(param, "The request body could not be read.", "invalid_body");
  }
  return errorResponse(413, {
    code: "request_too_large",
    param: param ?? "body",
    // The limit that applies: an upload (`file`) is the form's, any other body the JSON's.
    message: `The request body is larger than this app's limit of ${limit} bytes; ` +
      (param === "file"
        ? limit >= UPLOAD_BYTES
          ? `Azure takes uploads of up to 25 MB (${UPLOAD_BYTES} bytes, the whole form): ` +
            "split the audio into smaller files."
          : "send a smaller file or raise the app's maxMultipartBytes " +
            `(AOAI_EDGE_MAX_MULTIPART_BYTES), up to ${UPLOAD_BYTES} (Azure's limit).`
        : "send less (fewer inputs per embeddings batch; an image as an https URL rather than a " +
          "data: URL) or raise the app's maxJsonBytes " +
          `(AOAI_EDGE_MAX_JSON_BYTES), up to ${JSON_BYTES_CAP}.`),
  });
}
