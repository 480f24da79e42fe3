// The TAP report of a Bun script's scenario results (its runner reads stdout): the runtime's
// version, one "ok N - name" or "not ok N - name # error" line per result and "1..N". Returns how
// many failed. No node:test here: the scripts run under Bun.
export function printTap(results) {
  let failed = 0;
  console.log(`# bun ${Bun.version}`);
  results.forEach((r, i) => {
    if (r.ok) console.log(`ok ${i + 1} - ${r.name}`);
    else {
      failed++;
      console.log(`not ok ${i + 1} - ${r.name} # ${r.error.replaceAll("\n", " ")}`);
    }
  });
  console.log(`1..${results.length}`);
  return failed;
}
