import type { MiddlewareContext, Terminal } from "../../src/middleware/types.ts";

/** Builds a middleware context for unit tests; fields can be overridden. */
export function makeContext(overrides: Partial<MiddlewareContext> = {}): MiddlewareContext {
  return {
    request: new Request("https://res.openai.azure.com/openai/deployments/d/chat/completions", {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    }),
    operation: "chat.completions.create",
    deployment: "d",
    apiVersion: "2024-10-21",
    params: {},
    attempt: 1,
    signal: undefined,
    stream: false,
    replayable: true,
    options: { timeoutMs: 0, maxRetries: 2 },
    state: {},
    ...overrides,
  };
}

/** A sleep that records the waits and returns at once (rejects when the signal is aborted). */
export function recordingSleep(): {
  waits: number[];
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
} {
  const waits: number[] = [];
  return {
    waits,
    sleep(ms, signal) {
      waits.push(ms);
      if (signal?.aborted) return Promise.reject(signal.reason);
      return Promise.resolve();
    },
  };
}

/** A terminal whose responses the test releases one by one (by `params.id`). */
export function gatedTerminal() {
  const started: string[] = [];
  const gates = new Map<string, (res: Response) => void>();
  const terminal: Terminal = (ctx) => {
    const id = String((ctx.params as { id?: string }).id);
    started.push(id);
    return new Promise((resolve) => gates.set(id, resolve));
  };
  return {
    started,
    terminal,
    finish: (id: string, res = new Response("ok")) => gates.get(id)?.(res),
  };
}
