/**
 * Finding a name given twice, with two value texts, in one object of a JSON text. JSON.parse
 * keeps the last of them, the service's parser may keep the first: the app would check one value
 * and send the other (the same text twice is read alike, whichever is kept).
 *
 * @module
 */

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;

/**
 * The path (as `[...keys, name]`, array indexes as numbers) of the first member of `text` (valid
 * JSON) whose name its object already has with another value text (spaces around it aside), at
 * any depth; undefined when there is none. Names are compared as parsed (`"a"` and `"\u0061"` are
 * the same name), values as written (`1` and `1.0` differ: integers past 2^53 parse alike).
 */
export function duplicateKeyPath(text: string): (string | number)[] | undefined {
  // One entry per open container: an object's names so far with their value texts (null: an
  // array), and where it is in its parent (the member's name, or the array item's index).
  const names: (Map<string, string> | null)[] = [];
  const at: (string | number)[] = [];
  // Items of the innermost array before the current one; a name read and not yet used; where
  // each open object's current value starts.
  let index = 0;
  let name = "";
  let expectName = false;
  const starts: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const own = names[names.length - 1];
    if (code === QUOTE) {
      // Its closing quote: one after an even run of backslashes.
      let end = i;
      for (;;) {
        end = text.indexOf('"', end + 1);
        if (text.charCodeAt(end - 1) !== BACKSLASH) break;
        let slashes = 1;
        while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++;
        if (slashes % 2 === 0) break;
      }
      if (expectName) {
        expectName = false;
        // A name with an escape (a backslash anywhere in it) is read by the parse.
        const raw = text.slice(i, end + 1);
        name = raw.includes("\\") ? JSON.parse(raw) : raw.slice(1, -1);
      }
      i = end;
    } else if (code === COLON) {
      // A member's value starts: its name is where the app is until the value ends.
      starts[starts.length - 1] = i + 1;
      at.push(name);
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      // An array's item (or the text itself) is at its index; an object's value, at its name.
      if (!own) at.push(index);
      names.push(code === OPEN_OBJECT ? new Map() : null);
      if (code === OPEN_OBJECT) starts.push(0);
      expectName = code === OPEN_OBJECT;
      index = 0;
    } else if (code === COMMA || code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      // The end of an object's current member (none in an empty object): its value text.
      if (own && starts[starts.length - 1]) {
        const key = at.pop() as string;
        const value = text.slice(starts[starts.length - 1], i).trim();
        const before = own.get(key);
        if (before !== undefined && before !== value) return [...at.slice(1), key];
        own.set(key, value);
      }
      if (code === COMMA) {
        if (own) expectName = true;
        else index++;
      } else {
        // An empty object's `}` closes it with a name expected.
        expectName = false;
        names.pop();
        if (own) starts.pop();
        // Back in an array (or out of the text): the index of the item that just closed.
        if (!names[names.length - 1]) index = at.pop() as number;
      }
    }
  }
  return undefined;
}
