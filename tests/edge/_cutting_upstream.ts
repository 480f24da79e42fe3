/**
 * An upstream that cuts a chat stream inside an event: half an event, then the connection closes
 * in the middle of its chunked body (the relayed body fails, as does the client's read), and the
 * streamed chat request the tests send through the edge server in front of it.
 */

const EVENT = 'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",' +
  '"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}\n\n';

/**
 * An upstream on 127.0.0.1 answering one request (then it stops listening): a streamed 200 whose
 * chunked body holds one event and the start of another, then the connection closes.
 */
export function cuttingUpstream(): { port: number; done: Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const done = (async () => {
    const conn = await listener.accept();
    listener.close();
    try {
      // The whole request first: a close with unread bytes would reset the connection at once,
      // maybe before the edge read the answer's first chunk.
      const buf = new Uint8Array(65536);
      let text = "";
      for (let reads = 0; reads < 1000; reads++) {
        const n = await conn.read(buf);
        if (n === null) break;
        text += new TextDecoder().decode(buf.subarray(0, n));
        const head = text.indexOf("\r\n\r\n");
        if (head < 0) continue;
        // A chunked body ends with its empty chunk; another, at its content-length.
        if (/\r\ntransfer-encoding: *chunked/i.test(text.slice(0, head))) {
          if (text.endsWith("\r\n0\r\n\r\n")) break;
          continue;
        }
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text)?.[1] ?? 0);
        if (new TextEncoder().encode(text.slice(head + 4)).length >= length) break;
      }
      const body = EVENT + EVENT.slice(0, 40);
      await conn.write(
        new TextEncoder().encode(
          "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n" +
            `\r\n${new TextEncoder().encode(body).length.toString(16)}\r\n${body}\r\n`,
        ),
      );
    } finally {
      conn.close();
    }
  })();
  return { port: (listener.addr as Deno.NetAddr).port, done };
}

/** A streamed chat request with client key `key` to the edge server at `base` (its URL). */
export function postChatStream(base: string, key: string): Promise<Response> {
  return fetch(`${base}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`, {
    method: "POST",
    headers: { "api-key": key, "content-type": "application/json" },
    body: JSON.stringify({ stream: true, messages: [{ role: "user", content: "hi" }] }),
  });
}
