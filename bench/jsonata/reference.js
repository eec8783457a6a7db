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
(async () => {
  for (const e of exprs) {
    const compiled = jsonata(e.expr);
    let evals = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    do {
      for (const r of records) {
        await compiled.evaluate(r, bindings);
        evals++;
      }
      elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    } while (elapsed < seconds);
    console.log(`${e.name} ${evals} ${elapsed.toFixed(6)}`);
  }
})();
