/**
 * The filter results of an image answer (`prompt_filter_results` of each image, and the 400's
 * `inner_error.content_filter_results`, both `dalleFilterResults`) as the documents give them:
 * the 2024-05-01-preview example (examples/image_generation.json) has the four severities,
 * `profanity` and `custom_blocklists: { filtered: false, details: [] }`, no `jailbreak`;
 * 2024-02-01's and 2024-10-21's dalleFilterResults define no `custom_blocklists`. Each answer
 * validates against its version's document and holds only the fields that version defines.
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { post } from "../../src/emulator/_testing.ts";
import { loadSpec, type SpecVersion, validateAgainstSpec } from "../helpers/spec_schema.ts";

const SPEC = new URL("../../../shared/azure-openai-spec/", import.meta.url);
const deployments = [
  { name: "dall-e-3", model: "dall-e-3" },
  { name: "img", model: "gpt-image-1" },
];

/** The property names `dalleFilterResults` of `version` defines (through its allOf refs). */
function defined(version: SpecVersion): string[] {
  // deno-lint-ignore no-explicit-any
  const schemas = (loadSpec(version) as any).components.schemas;
  // deno-lint-ignore no-explicit-any
  const names = (schema: any): string[] => [
    ...Object.keys(schema.properties ?? {}),
    // deno-lint-ignore no-explicit-any
    ...(schema.allOf ?? []).flatMap((part: any) =>
      names(part.$ref ? schemas[part.$ref.split("/").pop()] : part)
    ),
  ];
  return names(schemas.dalleFilterResults);
}

Deno.test("an image's prompt_filter_results on 2024-05-01-preview are the document example's", async () => {
  const example = JSON.parse(
    await Deno.readTextFile(new URL("2024-05-01-preview/examples/image_generation.json", SPEC)),
  );
  const expected = example.responses["200"].body.data[0].prompt_filter_results;
  const e = createEmulator({ deployments });
  for (const deployment of ["dall-e-3", "img"]) {
    const res = await post(e, `/openai/deployments/${deployment}/images/generations`, {
      prompt: "a cat",
    }, { apiVersion: "2024-05-01-preview" });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.deepEqual(body.data[0].prompt_filter_results, expected, deployment);
  }
});

for (const version of ["2024-02-01", "2024-10-21", "2024-05-01-preview"] as SpecVersion[]) {
  Deno.test(`image answers on ${version} hold only the filter results its dalleFilterResults defines, with no jailbreak`, async () => {
    const known = defined(version);
    const e = createEmulator({ deployments });
    const path = "/openai/deployments/dall-e-3/images/generations";
    const ok = await (await post(e, path, { prompt: "a cat" }, { apiVersion: version })).json();
    assert.deepEqual(validateAgainstSpec(version, "generateImagesResponse", ok), []);
    const filtered = await (await post(e, path, { prompt: "__content_filter__" }, {
      apiVersion: version,
    })).json();
    assert.deepEqual(validateAgainstSpec(version, "dalleErrorResponse", filtered), []);
    const results = [
      ok.data[0].prompt_filter_results,
      filtered.error.inner_error.content_filter_results,
    ];
    for (const result of results) {
      const extra = Object.keys(result).filter((key) => !known.includes(key));
      assert.deepEqual(extra, [], `${version}: ${JSON.stringify(result)}`);
      assert.equal(result.jailbreak, undefined, version);
      assert.deepEqual(result.profanity, { filtered: false, detected: false }, version);
      assert.equal(
        "custom_blocklists" in result,
        version === "2024-05-01-preview",
        `${version}: ${JSON.stringify(result)}`,
      );
    }
    assert.deepEqual(results[1].violence, { filtered: true, severity: "high" });
  });
}

Deno.test("image filter results on later previews and v1 have custom_blocklists, on later GA versions not", async () => {
  const e = createEmulator({ deployments });
  const path = "/openai/deployments/img/images/generations";
  for (
    const [version, blocklists] of [
      ["2024-06-01", false],
      ["2024-02-15-preview", false],
      ["2024-08-01-preview", true],
      ["2025-04-01-preview", true],
    ] as const
  ) {
    const body = await (await post(e, path, { prompt: "a cat" }, { apiVersion: version })).json();
    const result = body.data[0].prompt_filter_results;
    assert.equal("custom_blocklists" in result, blocklists, `${version}: ${JSON.stringify(body)}`);
    assert.equal(result.jailbreak, undefined, version);
  }
  const v1 = await (await post(e, "/openai/v1/images/generations", {
    model: "img",
    prompt: "a cat",
  })).json();
  assert.deepEqual(v1.data[0].prompt_filter_results.custom_blocklists, {
    filtered: false,
    details: [],
  }, JSON.stringify(v1));
});
