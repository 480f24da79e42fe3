/**
 * Reading a JSON object's text as the client sent it: where its top-level members are (the
 * parse rounds integers past 2^53; the text is what goes upstream).
 *
 * @module
 */

/** A top-level member: its name, where the name starts, and where its value starts and ends. */
export interface Member {
  name: string;
  at: number;
  value: number;
  end: number;
}

/**
 * The top-level members of `text` (a JSON object, valid), in order (a name given twice, twice),
 * and where the object's closing `}` is.
 */
export function topMembers(text: string): { members: Member[]; close: number } {
  const members: Member[] = [];
  const structural = /["{}[\],:]/g;
  let depth = 0;
  let member: Member | undefined;
  let close = text.length - 1;
  for (let match; (match = structural.exec(text));) {
    const at = match.index;
    const char = text[at];
    if (char === '"') {
      // Its closing quote: one after an even run of backslashes.
      let end = at;
      for (;;) {
        end = text.indexOf('"', end + 1);
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 92) slashes++;
        if (slashes % 2 === 0) break;
      }
      if (depth === 1 && !member) {
        member = { name: JSON.parse(text.slice(at, end + 1)), at, value: 0, end: 0 };
      }
      structural.lastIndex = end + 1;
    } else if (char === "{" || char === "[") depth++;
    else if (char === ":") {
      if (depth === 1 && member) {
        let value = at + 1;
        while (isSpace(text.charCodeAt(value))) value++;
        member.value = value;
      }
    } else {
      if (char !== ",") depth--;
      // A top-level value ends at a top-level `,` or at the object's `}`, less the spaces.
      if (depth === 0 || depth === 1 && char === ",") {
        if (member) {
          let end = at;
          while (isSpace(text.charCodeAt(end - 1))) end--;
          member.end = end;
          members.push(member);
          member = undefined;
        }
        if (depth === 0) {
          close = at;
          break;
        }
      }
    }
  }
  return { members, close };
}

/** Whether `code` is JSON whitespace. */
function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}
