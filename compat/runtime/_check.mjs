// What the runtime matrix's scenario files share to check a result: plain JS for every runtime of
// the matrix (Deno, Node, Bun, workerd, Chromium), no node: imports.

/** Throws an Error saying `message` unless `condition` holds. */
export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** What `promise` rejects with; undefined when it fulfils. */
export function rejection(promise) {
  return promise.then(() => undefined, (err) => err);
}

/**
 * Listens to each event of `names` on `stream` (a chat.completions.stream() event stream or a
 * runTools() runner): `events` is their names, in order; `args` each one's arguments, by name
 * (one entry per emission).
 */
export function listen(stream, names) {
  const events = [];
  const args = {};
  for (const name of names) {
    stream.on(name, (...a) => {
      events.push(name);
      (args[name] ??= []).push(a);
    });
  }
  return { events, args };
}
