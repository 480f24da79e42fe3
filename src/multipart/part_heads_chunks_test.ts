// partHeads() reads the same names whatever the chunks the body comes in (one byte at a time, a
// delimiter or a header block cut across chunks): the names Deno's own parser cuts at ';' come
// back whole, the delimiters are counted once each, and only the first cut value is reported.
// A content type with no boundary reads nothing. (Mutation testing: the seams between chunks
// and a header block carried across them were pinned by no test.)
import assert from "node:assert/strict";
import { partHeads } from "./part_heads.ts";

const TYPE = "multipart/form-data; boundary=XyZ";

/** Bytes of a latin1 text. */
const bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** A form's wire text: `parts` are [Content-Disposition parameters, content type?, value]. */
function wire(parts: [string, string | undefined, string][]): string {
  return parts.map(([params, type, value]) =>
    `--XyZ\r\nContent-Disposition: form-data; ${params}\r\n${
      type ? `Content-Type: ${type}\r\n` : ""
    }\r\n${value}\r\n`
  ).join("") + "--XyZ--\r\n";
}

/**
 * Reads `text` in chunks of `size` bytes; gives the reader and the platform's parse with every
 * part renamed `p<i>` (a file `f<i>`), as a parser that misreads the names would give it.
 */
async function read(text: string, size: number, type = TYPE) {
  const heads = partHeads(type);
  const all = bytes(text);
  for (let at = 0; at < all.length; at += size) heads.read(all.slice(at, at + size));
  const parsed = await new Response(all, { headers: { "content-type": TYPE } }).formData();
  const form = new FormData();
  [...parsed.values()].forEach((value, i) =>
    typeof value === "string" ? form.append(`p${i}`, value) : form.append(`p${i}`, value, `f${i}`)
  );
  return { heads, form };
}

const SIZES = [1, 2, 3, 4, 5, 6, 7, 11, 16, 64, 1 << 20];

Deno.test("partHeads() names parts as sent whatever the chunks", async () => {
  const text = wire([
    ['name="a;b=c"', undefined, "one"],
    ['name="file"; filename="Meeting; part 2.wav"', "audio/wav", "RIFF\r\n\r\nx--XyZ data"],
    ['name="q\\"x"', undefined, "two"],
    // The first of a repeated parameter counts; `filename*` wins over `filename`.
    [
      `name="g"; name="h"; filename="plain.wav"; filename*=UTF-8''Gr%C3%BC%C3%9Fe.wav`,
      "audio/wav",
      "z",
    ],
  ]);
  for (const size of SIZES) {
    const { heads, form } = await read(text, size);
    assert.equal(heads.delimiters, 5, `chunks of ${size}`);
    assert.equal(heads.cut, undefined, `chunks of ${size}`);
    const named = heads.name(form);
    assert.deepEqual([...named.keys()], ["a;b=c", "file", 'q"x', "g"], `chunks of ${size}`);
    assert.equal(named.get("a;b=c"), "one");
    assert.equal(named.get('q"x'), "two");
    const file = named.get("file") as File;
    assert.equal(file.name, "Meeting; part 2.wav", `chunks of ${size}`);
    assert.equal(await file.text(), "RIFF\r\n\r\nx--XyZ data");
    assert.equal((named.get("g") as File).name, "Grüße.wav", `chunks of ${size}`);
  }
});

Deno.test("partHeads() reports the first value a line break cuts, whatever the chunks", () => {
  // The first part's file name is cut by a raw LF; the second part's name by a raw CR.
  const text = "--XyZ\r\n" +
    'Content-Disposition: form-data; name="f1"; filename="a\n.wav"\r\n\r\nx\r\n' +
    "--XyZ\r\n" +
    'Content-Disposition: form-data; name="n\r2"\r\n\r\ny\r\n--XyZ--\r\n';
  for (const size of SIZES) {
    const heads = partHeads(TYPE);
    const all = bytes(text);
    for (let at = 0; at < all.length; at += size) heads.read(all.slice(at, at + size));
    assert.deepEqual(heads.cut, { part: "f1" }, `chunks of ${size}`);
  }
});

Deno.test("partHeads() with no boundary in the content type reads nothing and names nothing", async () => {
  const text = wire([['name="a;b"', undefined, "one"]]);
  const { heads, form } = await read(text, 3, "multipart/form-data");
  assert.equal(heads.delimiters, 0);
  assert.equal(heads.name(form), form);
});

Deno.test("partHeads() takes a quoted boundary and finds a delimiter right after a value's own CR", async () => {
  const text = wire([['name="a;b"', undefined, "ends in CR\r"], ['name="c;d"', undefined, "x"]]);
  for (const size of SIZES) {
    const { heads, form } = await read(text, size, 'multipart/form-data; boundary="XyZ"');
    assert.equal(heads.delimiters, 3, `chunks of ${size}`);
    const named = heads.name(form);
    assert.deepEqual([...named.keys()], ["a;b", "c;d"], `chunks of ${size}`);
    assert.equal(named.get("a;b"), "ends in CR\r");
  }
});

Deno.test("partHeads().name() gives the form as it is when the readings disagree on the parts or on which are files", async () => {
  const text = wire([['name="a;b"', undefined, "one"], [
    'name="f"; filename="x.wav"',
    "audio/wav",
    "z",
  ]]);
  const { heads } = await read(text, 7);
  const more = new FormData();
  more.append("p0", "one");
  more.append("p1", new File(["z"], "x.wav"));
  more.append("p2", "extra");
  assert.equal(heads.name(more), more);
  const swapped = new FormData();
  swapped.append("p0", new File(["one"], "one"));
  swapped.append("p1", "z");
  assert.equal(heads.name(swapped), swapped);
  // No name in a header block: nothing to take from it.
  const nameless = partHeads(TYPE);
  nameless.read(bytes(wire([['filename="x.wav"', "audio/wav", "z"]])));
  const one = new FormData();
  one.append("p0", new File(["z"], "x.wav"));
  assert.equal(nameless.name(one), one);
});
