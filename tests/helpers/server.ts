/** A request the test server saw, with its body read. */
export interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  text: string;
  form?: FormData;
}

/** A running local test server. */
export interface TestServer extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Requests seen so far, in order. */
  seen: SeenRequest[];
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * Starts `Deno.serve` on 127.0.0.1 (random port) with a handler that also gets the recorded
 * request (body read as text, or as FormData for multipart).
 */
export function startServer(
  handler: (req: SeenRequest, raw: Request) => Response | Promise<Response>,
): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  const controller = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: controller.signal, onListen() {} },
    async (raw) => {
      const type = raw.headers.get("content-type") ?? "";
      const copy = raw.clone();
      const text = await raw.text();
      const record: SeenRequest = {
        method: raw.method,
        url: new URL(raw.url),
        headers: raw.headers,
        text,
        form: type.startsWith("multipart/form-data") ? await copy.formData() : undefined,
      };
      seen.push(record);
      return await handler(record, copy);
    },
  );
  const { port } = server.addr as Deno.NetAddr;
  const close = async () => {
    controller.abort();
    await server.finished;
  };
  return Promise.resolve({
    url: `http://127.0.0.1:${port}`,
    seen,
    close,
    [Symbol.asyncDispose]: close,
  });
}

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** Reads a spec example file (`x-ms-examples`) as JSON. */
export async function specExample(version: string, name: string): Promise<{
  parameters: Record<string, unknown>;
  responses: Record<string, { body?: unknown; headers?: Record<string, string> }>;
}> {
  const url = new URL(
    `../../../shared/azure-openai-spec/${version}/examples/${name}`,
    import.meta.url,
  );
  return JSON.parse(await Deno.readTextFile(url));
}
