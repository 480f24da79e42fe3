/** Test helper: a Deno KV whose first read hangs. */

/** `kv` whose first read never answers (later ones do). */
export function firstReadHangs(kv: Deno.Kv): Deno.Kv {
  let reads = 0;
  return new Proxy(kv, {
    get(target, name) {
      if (name === "get") {
        return (key: Deno.KvKey) => ++reads === 1 ? new Promise(() => {}) : target.get(key);
      }
      const value = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
