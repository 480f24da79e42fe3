/**
 * Finding a name given twice in one object of a JSON text. JSON.parse keeps the last of them,
 * the service's parser may keep the first: the app would check one value and send the other.
 *
 * @module
 */

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;

/**
 * The path (as `[...keys, name]`, array indexes as numbers) of the first member of `text` (valid
 * JSON) whose name its object already has, at any depth; undefined when there is none. Names are
 * compared as parsed (`"a"` and `"\u0061"` are the same name).
 */
export function duplicateKeyPath(text: string): (string | number)[] | undefined {
  // One entry per open container: an object's names so far (null: an array), and where it is in
  // its parent (the member's name, or the array item's index).
  const names: (Set<string> | null)[] = [];
  const at: (string | number)[] = [];
  // Items of the innermost array before the current one; a name read and not yet used.
  let index = 0;
  let name = "";
  let expectName = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      // Its closing quote: one after an even run of backslashes.
      let end = i;
      let escaped = false;
      for (;;) {
        end = text.indexOf('"', end + 1);
        if (text.charCodeAt(end - 1) !== BACKSLASH) break;
        escaped = true;
        let slashes = 1;
        while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++;
        if (slashes % 2 === 0) break;
      }
      if (expectName) {
        expectName = false;
        // A backslash not just before a quote is found by the parse of the name.
        const raw = text.slice(i, end + 1);
        name = escaped || raw.includes("\\") ? JSON.parse(raw) : raw.slice(1, -1);
        const own = names[names.length - 1]!;
        if (own.has(name)) return [...at.slice(1), name];
        own.add(name);
      }
      i = end;
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      const inArray = names.length > 0 && names[names.length - 1] === null;
      at.push(inArray ? index : name);
      names.push(code === OPEN_OBJECT ? new Set() : null);
      expectName = code === OPEN_OBJECT;
      index = 0;
    } else if (code === COMMA) {
      if (names[names.length - 1] === null) index++;
      else expectName = true;
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      // An empty object's `}` closes it with a name expected.
      expectName = false;
      names.pop();
      const where = at.pop();
      // Back in an array: the index of the item that just closed.
      if (typeof where === "number") index = where;
    }
  }
  return undefined;
}
