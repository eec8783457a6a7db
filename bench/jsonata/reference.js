// Reference throughput: npm jsonata over the same records and expressions.
// usage: node reference.js JSONATA_MODULE_DIR RECORDS.json EXPRESSIONS.json SECONDS
const path = require('path');
const fs = require('fs');
const jsonata = require(path.resolve(process.argv[2]));
const records = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const exprs = JSON.parse(fs.readFileSync(process.argv[4], 'utf8'));
const seconds = parseFloat(process.argv[5] || '2');
const bindings = { statusMap: { NEW: 'Draft', NEGOTIATION: 'Pending', WON: 'Confirmed',
                                LOST: 'Cancelled' } };
const check = parseInt(process.env.BENCH_CHECK || '0', 10);
// Seconds on the wall clock, or of CPU used by the process (all its threads, garbage
// collection included) with BENCH_CLOCK=cpu, as bench_jsonata measures.
const now = process.env.BENCH_CLOCK === 'cpu'
  ? () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; }
  : () => Number(process.hrtime.bigint()) / 1e9;
(async () => {
  for (const e of exprs) {
    const compiled = jsonata(e.expr);
    if (check > 0) { // "name JSON" with the results of the first records, as bench_jsonata
      const results = [];
      for (const r of records.slice(0, check)) {
        try {
          const v = await compiled.evaluate(r, bindings);
          results.push(v === undefined ? null : JSON.parse(JSON.stringify(v)));
        } catch (err) {
          results.push({ error: err.code });
        }
      }
      console.log(`${e.name} ${JSON.stringify(results)}`);
      continue;
    }
    let evals = 0;
    const start = now();
    let elapsed = 0;
    do {
      for (const r of records) {
        await compiled.evaluate(r, bindings);
        evals++;
      }
      elapsed = now() - start;
    } while (elapsed < seconds);
    console.log(`${e.name} ${evals} ${elapsed.toFixed(6)}`);
  }
})();
