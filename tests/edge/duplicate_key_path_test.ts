// duplicateKeyPath(): the first name given twice in one object of a JSON text with two value
// texts, at any depth, by parsed name; never a name repeated in another object, nor text inside a
// string (the same value text given twice: tests/edge/duplicate_key_same_text_test.ts).
import assert from "node:assert/strict";
import { duplicateKeyPath } from "../../edge/validation/_duplicate_keys.ts";

Deno.test("duplicateKeyPath() finds a name given twice at the top level, nested and in arrays", () => {
  assert.deepEqual(duplicateKeyPath('{"a":1,"b":2,"a":3}'), ["a"]);
  assert.deepEqual(duplicateKeyPath('{"a":{"b":1,"b":2}}'), ["a", "b"]);
  assert.deepEqual(
    duplicateKeyPath('{"m":[{"r":1},[0,{"x":1}],{"r":1,"c":{"d":[1,{"e":0,"e":1}]}}]}'),
    ["m", 2, "c", "d", 1, "e"],
  );
  // After a nested array and object closed, the indexes and names are the outer ones again.
  assert.deepEqual(duplicateKeyPath('[[1,2,3],{"a":[{}],"b":{},"a":0}]'), [1, "a"]);
  assert.deepEqual(duplicateKeyPath(' \n{ "a" : 1 ,\t"a" : 2 }'), ["a"]);
});

Deno.test("duplicateKeyPath() compares names as parsed (escapes, an escaped backslash before the quote)", () => {
  assert.deepEqual(duplicateKeyPath('{"stream":1,"str\\u0065am":2}'), ["stream"]);
  assert.deepEqual(duplicateKeyPath('{"a\\\\":1,"a\\u005c":2}'), ["a\\"]);
  assert.deepEqual(duplicateKeyPath('{"\\"":1,"\\u0022":2}'), ['"']);
  assert.deepEqual(duplicateKeyPath('{"":1,"":2}'), [""]);
  assert.equal(duplicateKeyPath('{"a\\\\":1,"a":2}'), undefined);
  assert.equal(duplicateKeyPath('{"A":1,"a":2}'), undefined);
});

Deno.test("duplicateKeyPath() passes names repeated across objects, and JSON text inside strings", () => {
  for (
    const text of [
      '{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}',
      '{"s":"{\\"a\\":1,\\"a\\":2}","t":"\\\\","a":"a"}',
      '{"s":"[{,:}]\\"","a":["a","a"],"b":"a"}',
      '"{\\"a\\":1,\\"a\\":2}"',
      "[1,2,[3]]",
      "{}",
    ]
  ) {
    assert.equal(duplicateKeyPath(text), undefined, text);
  }
});

/** A deterministic generator of JSON texts whose objects may repeat a name. */
function* texts(): Generator<string> {
  // mulberry32
  let seed = 7;
  const random = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n | 0;
  };
  const NAMES = ["a", "b", "a\\u0062", "\\\\", '\\"', "{", "c,d"];
  const value = (depth: number): string => {
    const kind = depth === 0 ? 4 : depth > 3 ? random(3) : random(5);
    if (kind === 0) return String(random(100));
    if (kind === 1) return JSON.stringify(NAMES[random(NAMES.length)] + '":{[,');
    if (kind === 2) return random(2) ? "null" : "true";
    const items = Array.from({ length: random(4) }, () => value(depth + 1));
    if (kind === 3) return `[${items.join(", ")}]`;
    // A member is sometimes the one before it again, its value's text too.
    const members: string[] = [];
    for (const item of items) {
      members.push(
        members.length && !random(4)
          ? members[members.length - 1]
          : `"${NAMES[random(NAMES.length)]}" : ${item}`,
      );
    }
    return `{${members.join(",")}}`;
  };
  for (let i = 0; i < 500; i++) yield value(0);
}

/**
 * The reference: every object's names compared after a parse that keeps them all (each renamed
 * `#n`, its name parsed as a string: V8's JSON.parse can misread an escaped object key after
 * another one); a name given twice counts when its values differ (the generator writes equal
 * values with the same text).
 */
function duplicates(text: string): "differ" | "same" | "none" {
  const names: string[] = [];
  let same = false;
  // Every string matched from its opening quote: the text between strings is matched whole.
  const renamed = text.replace(
    /("(?:[^"\\]|\\.)*")(\s*:)?|[^"]+/g,
    (all, name, colon) => colon ? `"#${names.push(JSON.parse(name)) - 1}"${colon}` : all,
  );
  // Each object as its [name, value] pairs, in order, its names as parsed.
  const plain = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(plain)
      : typeof value === "object" && value !== null
      ? Object.entries(value).map(([key, item]) => [names[Number(key.slice(1))], plain(item)])
      : value;
  const visit = (value: unknown): boolean => {
    if (Array.isArray(value)) return value.some(visit);
    if (typeof value !== "object" || value === null) return false;
    const seen = new Map<string, string>();
    for (const [key, item] of Object.entries(value)) {
      const name = names[Number(key.slice(1))];
      const written = JSON.stringify(plain(item));
      if (seen.has(name) && seen.get(name) !== written) return true;
      if (seen.has(name)) same = true;
      seen.set(name, written);
    }
    return Object.values(value).some(visit);
  };
  return visit(JSON.parse(renamed)) ? "differ" : same ? "same" : "none";
}

Deno.test("duplicateKeyPath() agrees with a parse that keeps every name, on generated texts", () => {
  let found = 0;
  let same = 0;
  for (const text of texts()) {
    const path = duplicateKeyPath(text);
    const reference = duplicates(text);
    assert.equal(path !== undefined, reference === "differ", text);
    if (path) found++;
    if (reference === "same") same++;
  }
  // Every outcome is exercised: a name repeated with two values, with one only, and none.
  assert.ok(found > 20 && found < 480, `${found} of 500 had a duplicate`);
  assert.ok(same > 10, `${same} of 500 repeated a name with its value only`);
});
