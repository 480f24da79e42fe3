/** Test helpers: a Deno KV whose writes are recorded, or whose conditional writes always lose. */

/** A value an atomic operation set: its key, value and `expireIn`. */
export interface KvSet {
  key: Deno.KvKey;
  value: unknown;
  expireIn?: number;
}

/** Records (in the array returned) every entry `kv`'s atomic operations set, in order. */
export function recordSets(kv: Deno.Kv): KvSet[] {
  const sets: KvSet[] = [];
  const atomic = kv.atomic.bind(kv);
  kv.atomic = () => {
    const op = atomic();
    const set = op.set.bind(op);
    op.set = (key, value, options) => {
      sets.push({ key, value, expireIn: options?.expireIn });
      return set(key, value, options);
    };
    return op;
  };
  return sets;
}

/**
 * `kv` whose conditional writes (those with a check) always lose, as to other isolates;
 * `lost.count` counts them.
 */
export function alwaysRaced(kv: Deno.Kv, lost = { count: 0 }): Deno.Kv {
  return new Proxy(kv, {
    get(target, name) {
      if (name === "atomic") {
        return () => {
          const op = target.atomic();
          let checked = false;
          const check = op.check.bind(op);
          const commit = op.commit.bind(op);
          return Object.assign(op, {
            check: (...checks: Deno.AtomicCheck[]) => (checked = true, check(...checks)),
            commit: () => checked ? (lost.count++, Promise.resolve({ ok: false })) : commit(),
          });
        };
      }
      const value = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Makes every commit of `kv` lose (as if another isolate always wrote first); counts them. */
export function losingCommits(kv: Deno.Kv): { commits: () => number } {
  let commits = 0;
  const atomic = kv.atomic.bind(kv);
  kv.atomic = () => {
    const op = atomic();
    op.commit = () => (commits++, Promise.resolve({ ok: false }));
    return op;
  };
  return { commits: () => commits };
}

/**
 * `kv` whose commits lose while `lose(conditional)` says so, and whose first commit of the kind
 * `held` names waits for `release()` (`reached` resolves once it is waiting); `seen` counts the
 * commits made, and the conditional ones.
 */
export function gatedCommits(
  kv: Deno.Kv,
  held: "conditional" | "plain",
  lose: (conditional: boolean) => boolean,
) {
  const gate = Promise.withResolvers<void>();
  const reached = Promise.withResolvers<void>();
  const seen = { commits: 0, conditional: 0, gated: false };
  const atomic = kv.atomic.bind(kv);
  kv.atomic = () => {
    const op = atomic();
    let checked = false;
    const check = op.check.bind(op);
    const commit = op.commit.bind(op);
    op.check = (...checks) => (checked = true, check(...checks));
    op.commit = async () => {
      seen.commits++;
      if (checked) seen.conditional++;
      if (!seen.gated && (held === "conditional") === checked) {
        seen.gated = true;
        reached.resolve();
        await gate.promise;
      }
      return lose(checked) ? { ok: false } : commit();
    };
    return op;
  };
  return { seen, reached: reached.promise, release: () => gate.resolve() };
}
