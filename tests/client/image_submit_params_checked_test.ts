// images.submit() checks its params as the DALL-E 2 operations take them, before sending: `prompt`
// a non-empty string, `n` an integer from 1 to 5, `size` one of the three square sizes. The bounds
// themselves are accepted. (Mutation testing: no test sent n: 1 or n: 5, a size, or a blank prompt.)
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import type { ImageSubmitParams } from "../../mod.ts";

/** A client whose fake service answers every submit with a 202 naming op-p; `sent` the bodies. */
function client(sent: unknown[]) {
  return new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-image-submit-params-key-1234",
    fetch: async (input, init) => {
      sent.push(await new Request(input, init).json());
      return Response.json({ id: "op-p", status: "notRunning" }, { status: 202 });
    },
  });
}

Deno.test("images.submit() sends n: 1 and n: 5 and each of the three sizes", async () => {
  const sent: unknown[] = [];
  const images = client(sent).images;
  for (const n of [1, 5]) assert.equal((await images.submit({ prompt: "x", n })).id, "op-p");
  for (const size of ["256x256", "512x512", "1024x1024"] as const) {
    assert.equal((await images.submit({ prompt: "x", size })).id, "op-p");
  }
  const fields = sent.map((body) => {
    const { n, size } = body as ImageSubmitParams;
    return n ?? size;
  });
  assert.deepEqual(fields, [1, 5, "256x256", "512x512", "1024x1024"]);
});

Deno.test("images.submit() refuses a blank or non-string prompt, n out of 1..5 or not whole, and another size, sending nothing", async () => {
  const sent: unknown[] = [];
  const images = client(sent).images;
  const refused: [Partial<ImageSubmitParams>, string][] = [
    [{ prompt: "" }, "params.prompt must be a non-empty string describing the image"],
    [{ prompt: "  \n" }, "params.prompt must be a non-empty string describing the image"],
    [{ prompt: 5 as never }, "params.prompt must be a non-empty string describing the image"],
    [{ prompt: "x", n: 0 }, "params.n must be an integer from 1 to 5; got 0"],
    [{ prompt: "x", n: 6 }, "params.n must be an integer from 1 to 5; got 6"],
    [{ prompt: "x", n: 1.5 }, "params.n must be an integer from 1 to 5; got 1.5"],
    [
      { prompt: "x", size: "1792x1024" as never },
      'params.size must be one of "256x256", "512x512", "1024x1024"; got "1792x1024"',
    ],
  ];
  for (const [params, message] of refused) {
    await assert.rejects(
      images.submit(params as ImageSubmitParams),
      (err: unknown) => {
        assert.ok(err instanceof TypeError, String(err));
        assert.equal(err.message, `images.submit: ${message}`);
        return true;
      },
      JSON.stringify(params),
    );
  }
  assert.deepEqual(sent, []);
});

Deno.test("images.generate() refuses a blank prompt before sending", async () => {
  const sent: unknown[] = [];
  await assert.rejects(
    client(sent).images.generate({ model: "dall-e-3", prompt: " " }),
    /^TypeError: images\.generate: params\.prompt must be a non-empty string describing the image$/,
  );
  assert.deepEqual(sent, []);
});
