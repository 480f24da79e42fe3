// A misconfigured Worker answers 500 EdgeMisconfigured to anyone (no client key is asked for)
// and logs the same message with console.error. A few of the errors behind it quoted the value
// of the variable at fault (the api-version, a CORS origin, the Rate Limiting binding's name):
// a secret pasted into the wrong variable went out to the internet and into the logs.
import assert from "node:assert/strict";
import worker, { type WorkerEnv } from "../../edge/worker.ts";

const PASTED = "pasted-Secret-0123456789abcdef";
const ctx = { waitUntil: () => {} };

Deno.test("the Worker's 500 EdgeMisconfigured and its log line never quote a variable's value", async () => {
  const base: WorkerEnv = {
    AZURE_OPENAI_ENDPOINT: "https://worker-config-quote.openai.azure.com",
    AZURE_OPENAI_API_KEY: "azure-key-0123456789",
    AOAI_EDGE_KEYS: "a-worker-client-key",
  };
  const logged: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => logged.push(args.map(String).join(" "));
  try {
    for (
      const [name, value, named] of [
        ["AZURE_OPENAI_API_VERSION", PASTED, "apiVersion"],
        [
          "AOAI_EDGE_CORS_ORIGINS",
          `https://a.example, ${PASTED}`,
          "AOAI_EDGE_CORS_ORIGINS: entry 2",
        ],
        ["AOAI_EDGE_RATE_LIMITER", PASTED, "AOAI_EDGE_RATE_LIMITER"],
      ]
    ) {
      logged.length = 0;
      const res = await worker.fetch(
        new Request("https://w.example/health"),
        { ...base, [name]: value },
        ctx,
      );
      assert.equal(res.status, 500, name);
      const text = await res.text() + logged.join("\n");
      assert.match(text, /EdgeMisconfigured/);
      assert.ok(logged.length > 0, `${name}: logged`);
      assert.ok(text.includes(named), `${name}: the setting is named: ${text}`);
      for (const form of [PASTED, PASTED.toLowerCase(), PASTED.slice(0, 12)]) {
        assert.ok(!text.includes(form), `${name}: its value is quoted: ${text}`);
      }
    }
  } finally {
    console.error = original;
  }
});
