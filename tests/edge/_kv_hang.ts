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

/**
 * `kv` whose reads (`get`) each wait until the test lets them go: `reads` counts those begun,
 * `release(i)` lets the i-th (from 0) go, `free()` lets every held and later one go, and
 * `begun(n)` resolves once n reads have begun.
 */
export function heldReads(kv: Deno.Kv) {
  const gates: PromiseWithResolvers<void>[] = [];
  const waiting: { n: number; resolve: () => void }[] = [];
  let open = false;
  const held = new Proxy(kv, {
    get(target, name) {
      if (name === "get") {
        return (key: Deno.KvKey) => {
          const gate = Promise.withResolvers<void>();
          if (open) gate.resolve();
          gates.push(gate);
          for (const w of waiting) if (gates.length >= w.n) w.resolve();
          return gate.promise.then(() => target.get(key));
        };
      }
      const value = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    kv: held,
    get reads(): number {
      return gates.length;
    },
    release: (i: number) => gates[i].resolve(),
    free() {
      open = true;
      for (const gate of gates) gate.resolve();
    },
    begun(n: number): Promise<void> {
      if (gates.length >= n) return Promise.resolve();
      return new Promise((resolve) => waiting.push({ n, resolve }));
    },
  };
}
