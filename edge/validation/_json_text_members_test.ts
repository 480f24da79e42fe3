import assert from "node:assert/strict";
import { topMembers } from "./_json_text.ts";

/** Each member as [name, name's text from `at`, value text]. */
const read = (text: string) => {
  const { members, close } = topMembers(text);
  return {
    members: members.map((m) => [m.name, text.slice(m.at, m.value), text.slice(m.value, m.end)]),
    close,
  };
};

Deno.test("topMembers() finds each top-level member's name and value text, less the spaces", () => {
  const text = ' { "a" :\r\t 1 \r,\r\n"b":[1,{"c":2}] , "d" : {"e":[]}\n} ';
  assert.deepEqual(read(text), {
    members: [
      ["a", '"a" :\r\t ', "1"],
      ["b", '"b":', '[1,{"c":2}]'],
      ["d", '"d" : ', '{"e":[]}'],
    ],
    close: text.lastIndexOf("}"),
  });
});

Deno.test("topMembers() reads strings whole: quotes after backslashes, structural characters in them", () => {
  const text = String.raw`{"q\"{":"x\\","r":"a\\\"],:}","s":12345678901234567890}`;
  assert.deepEqual(read(text).members, [
    ['q"{', String.raw`"q\"{":`, String.raw`"x\\"`],
    ["r", '"r":', String.raw`"a\\\"],:}"`],
    ["s", '"s":', "12345678901234567890"],
  ]);
});

Deno.test("topMembers() reads an empty name and an empty string value", () => {
  assert.deepEqual(read('{"":1,"a":"","b":2}').members, [
    ["", '"":', "1"],
    ["a", '"a":', '""'],
    ["b", '"b":', "2"],
  ]);
});

Deno.test("topMembers() lists a name given twice twice, and an empty object as none", () => {
  assert.deepEqual(read('{"a":1,"a":2}').members, [["a", '"a":', "1"], ["a", '"a":', "2"]]);
  assert.deepEqual(read("{ }"), { members: [], close: 2 });
  // Text after the object is not read.
  assert.deepEqual(read('{"a":1} {"b":2}'), { members: [["a", '"a":', "1"]], close: 6 });
});
