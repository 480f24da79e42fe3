import assert from "node:assert/strict";
import { AzureOpenAI, retry } from "../../mod.ts";

/** A client whose fetch records each request's authorization and body size, answering `answer`. */
function recording(
  answer: (n: number) => Response,
  auth: { apiKey?: string; tokenProvider?: () => string },
) {
  const sent: string[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    deployment: "whisper",
    ...auth,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const bytes = (await request.arrayBuffer()).byteLength;
      sent.push(`${request.headers.get("authorization") ?? "key"} ${bytes}`);
      return answer(sent.length);
    },
  });
  return { client, sent };
}

/** A stream file of `size` zero bytes in 1,000-byte chunks. */
const streamOf = (size: number) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < size; i += 1000) c.enqueue(new Uint8Array(Math.min(1000, size - i)));
      c.close();
    },
  });

Deno.test("audio upload: a stream file that errors midway rejects with the stream's own error and sends nothing", async () => {
  const { client, sent } = recording(() => Response.json({ text: "ok" }), {
    apiKey: "sk-a-1234567",
  });
  const failure = new Error("disk gone");
  let pulls = 0;
  const file = new ReadableStream<Uint8Array>({
    pull(c) {
      if (++pulls > 2) c.error(failure);
      else c.enqueue(new Uint8Array(1000));
    },
  });
  await assert.rejects(
    client.audio.transcriptions.create({ file, filename: "a.wav" }),
    (err: unknown) => err === failure,
  );
  assert.deepEqual(sent, [], "no half-read file was sent");
});

Deno.test("audio upload: a stream file is read once and a retried or re-authenticated attempt sends all of it again", async () => {
  const fail = (status: number) => (n: number) =>
    n === 1
      ? Response.json({ error: { code: String(status), message: "x" } }, {
        status,
        headers: { "retry-after-ms": "1" },
      })
      : Response.json({ text: "ok" });
  const retried = recording(fail(500), { apiKey: "sk-a-1234567" });
  const res = await retried.client.audio.transcriptions.create(
    { file: streamOf(5000), filename: "a.wav" },
    { middleware: [retry({ maxRetries: 1 })] },
  );
  assert.equal(res.text, "ok");
  assert.equal(retried.sent.length, 2);
  assert.equal(retried.sent[0], retried.sent[1], "the second attempt sent the same form");
  assert.ok(+retried.sent[0].split(" ")[1] > 5000);

  let n = 0;
  const reauth = recording(fail(401), { tokenProvider: () => `tok-${++n}-abcdefgh` });
  await reauth.client.audio.translations.create({ file: streamOf(5000), filename: "a.wav" });
  const [first, second] = reauth.sent.map((s) => s.split(" "));
  assert.deepEqual([first[1], second[1]], ["tok-1-abcdefgh", "tok-2-abcdefgh"]);
  assert.equal(first[2], second[2], "the re-authenticated attempt sent the whole form again");
});
