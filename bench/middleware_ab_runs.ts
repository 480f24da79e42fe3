/**
 * Runs `bench/middleware_ab.ts` in several fresh processes and summarises its "default stack vs
 * no middleware" ratios (both paths): each run's ratio, then their median and range. One process
 * on a shared machine moves by a few percent from run to run; the median of several says more
 * about a 1.05× target than any single run.
 *
 * Run: `deno run -A bench/middleware_ab_runs.ts [runs=8] [rounds=60] [callsPerRound=100]`
 *
 * @module
 */

const [runs = 8, rounds = 60, per = 100] = Deno.args.map(Number);
if (![runs, rounds, per].every((n) => Number.isInteger(n) && n > 0)) {
  throw new Error(
    "usage: middleware_ab_runs.ts [runs] [rounds] [callsPerRound] (positive integers)",
  );
}
const script = new URL("./middleware_ab.ts", import.meta.url).pathname;
const ratios: Record<"create" | "request", number[]> = { create: [], request: [] };

for (let run = 1; run <= runs; run++) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, String(rounds), String(per)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout);
  if (code !== 0) throw new Error(`run ${run} failed:\n${new TextDecoder().decode(stderr)}`);
  const line: string[] = [];
  for (const path of ["create", "request"] as const) {
    const m = text.match(new RegExp(`^${path}: default stack .* ([\\d.]+)×$`, "m"));
    if (!m) throw new Error(`run ${run}: no "${path}: default stack" line in:\n${text}`);
    ratios[path].push(Number(m[1]));
    line.push(`${path} ${m[1]}×`);
  }
  console.log(`run ${run}: ${line.join(", ")}`);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
console.log(`\n${runs} runs × ${rounds} rounds × ${per} calls: default stack vs none`);
for (const path of ["create", "request"] as const) {
  const xs = ratios[path];
  console.log(
    `${path.padEnd(8)} median ${median(xs).toFixed(3)}×, range ${Math.min(...xs).toFixed(3)}–` +
      `${Math.max(...xs).toFixed(3)}×, runs at most 1.05×: ${xs.filter((x) => x <= 1.05).length}`,
  );
}
