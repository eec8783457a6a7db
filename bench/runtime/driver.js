// Load driver for bench/runtime/run.sh (Node 18+, no dependencies).
//
//   node driver.js variants OPPORTUNITIES.jsonl N            closed-won variants, JSONL on stdout
//   node driver.js q2c SANDBOX SERVE TOKEN FILE.jsonl        Quote-to-Cash over HTTP
//   node driver.js pipeline SANDBOX HOOK N [CONCURRENCY]     3-write pipeline over HTTP
//   node driver.js instant TARGET HOOK N [CONCURRENCY]       the same against instant.js
//   node driver.js latency SERVE TOKEN                       webhook-to-completion p50/p99
//
// q2c posts every record of FILE to SERVE/hooks/closed-won-to-cash, plays the billing system
// (an invoice for every new subscription, so the wait step resumes) and the deal desk
// (approves open tasks), and waits until every instance is terminal. pipeline posts N accounts
// to HOOK and waits until the sandbox holds N shipments, whoever runs the flow. Both print
// one line: "instances N seconds S".
'use strict';
const crypto = require('crypto');
const fs = require('fs');

// The template signs its closed-won webhook: HMAC-SHA256 over "<unix seconds>.<raw body>"
// with $Q2C_WEBHOOK_SECRET (see runtime/webhook/README.md).
function signature(body) {
  const secret = process.env.Q2C_WEBHOOK_SECRET;
  if (!secret) return {};
  const ts = String(Math.floor(Date.now() / 1000));
  const mac = crypto.createHmac('sha256', secret).update(ts + '.' + JSON.stringify(body));
  return { 'x-switchboard-timestamp': ts, 'x-switchboard-signature': 'sha256=' + mac.digest('hex') };
}

async function http(method, url, body, headers = {}) {
  for (let attempt = 0; ; ++attempt) {
    try {
      const r = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, json: text ? JSON.parse(text) : null };
    } catch (e) {
      if (attempt > 20) { console.error(e.cause || e); throw e; }
      await sleep(50);
    }
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Runs `fn` over items with at most `n` in flight.
async function pool(items, n, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

function variants(file, n) {
  const won = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim())
    .map((l) => JSON.parse(l))
    .filter((o) => o.stage === 'closed-won' && o.quote.currency === o.currency);
  for (let i = 0; i < n; ++i) {
    const o = JSON.parse(JSON.stringify(won[i % won.length]));
    o.id = 'B' + String(i).padStart(17, '0'); // 18 characters, as CRM ids
    process.stdout.write(JSON.stringify(o) + '\n');
  }
}

async function q2c(sandbox, serve, token, file) {
  const records = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim())
    .map((l) => JSON.parse(l));
  const admin = { authorization: 'Bearer ' + token };
  const ids = new Set();
  const invoiced = new Set();
  const approved = new Set();
  let cursor = 0;
  let posting = true;
  // The outside world, until the posting is over and every instance is terminal.
  const world = (async () => {
    for (;;) {
      const ev = await http('GET', `${sandbox}/_sandbox/events?since=${cursor}`);
      for (const e of ev.json.events) {
        cursor = Math.max(cursor, Number(e.sequence));
        if (e.type !== 'billing.subscription.created' || invoiced.has(e.data.id)) continue;
        invoiced.add(e.data.id);
        const s = e.data;
        await http('POST', `${sandbox}/billing/Invoice`, {
          number: 'INV-' + s.id, accountRef: s.accountRef, subscriptionRef: s.id,
          issueDate: s.startDate, currency: s.currency, total: 100 * s.quantity,
          status: 'open',
        });
      }
      const tasks = await http('GET', `${serve}/api/tasks`, undefined, admin);
      for (const t of tasks.json) {
        if (t.status !== 'open' || approved.has(t.id)) continue;
        approved.add(t.id);
        await http('POST', `${serve}/api/tasks/${t.id}/approve`, { by: 'bench' }, admin);
      }
      if (!posting) {
        const list = await http('GET', `${serve}/api/instances`, undefined, admin);
        const mine = list.json.filter((i) => ids.has(i.id));
        if (mine.length === ids.size
            && mine.every((i) => ['completed', 'dead-lettered', 'failed', 'compensated']
              .includes(i.status))) {
          return mine.filter((i) => i.status === 'completed').length;
        }
      }
      await sleep(100);
    }
  })();
  const t0 = process.hrtime.bigint();
  await pool(records, 4, async (o) => {
    const r = await http('POST', `${serve}/hooks/closed-won-to-cash`, o, signature(o));
    if (r.status !== 202 && r.status !== 200) throw new Error(`webhook: ${r.status}`);
    ids.add(r.json.instanceId);
  });
  posting = false;
  const completed = await world;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`instances ${ids.size} seconds ${s.toFixed(3)} completed ${completed}`);
}

async function pipeline(sandbox, hook, n, concurrency) {
  const before = (await http('GET', `${sandbox}/erp/Shipment`)).json.length;
  const items = Array.from({ length: n }, (_, i) => ({
    id: 'P' + String(i).padStart(8, '0'), name: `Pipeline Co ${i}`, amount: 100 + i, rev: 1,
  }));
  const t0 = process.hrtime.bigint();
  await pool(items, concurrency, async (a) => {
    const r = await http('POST', hook, a);
    if (r.status >= 300 && r.status !== 200) throw new Error(`webhook: ${r.status}`);
  });
  for (;;) {
    const now = (await http('GET', `${sandbox}/erp/Shipment`)).json.length;
    if (now - before >= n) break;
    await sleep(50);
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`instances ${n} seconds ${s.toFixed(3)}`);
}

// The pipeline against instant.js: done when it has seen N shipments created.
async function instant(target, hook, n, concurrency) {
  const before = (await http('GET', `${target}/_count`)).json.shipments;
  const items = Array.from({ length: n }, (_, i) => ({
    id: 'I' + String(i).padStart(8, '0'), name: `Instant Co ${i}`, amount: 100 + i, rev: 1,
  }));
  const t0 = process.hrtime.bigint();
  await pool(items, concurrency, async (a) => {
    const r = await http('POST', hook, a);
    if (r.status >= 300) throw new Error(`webhook: ${r.status}`);
  });
  while ((await http('GET', `${target}/_count`)).json.shipments - before < n) await sleep(20);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`instances ${n} seconds ${s.toFixed(3)}`);
}

// Webhook-to-completion latency of the completed instances serve lists (its journal's
// created and updated times, in milliseconds).
async function latency(serve, token) {
  const list = await http('GET', `${serve}/api/instances`, undefined,
    { authorization: 'Bearer ' + token });
  const ms = list.json.filter((i) => i.status === 'completed')
    .map((i) => Date.parse(i.updated) - Date.parse(i.created)).sort((x, y) => x - y);
  const at = (q) => (ms.length ? ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] : 0);
  console.log(`completed ${ms.length} p50 ${at(0.5)} p99 ${at(0.99)}`);
}

const [mode, ...a] = process.argv.slice(2);
const run = {
  variants: () => variants(a[0], Number(a[1])),
  q2c: () => q2c(a[0], a[1], a[2], a[3]),
  pipeline: () => pipeline(a[0], a[1], Number(a[2]), Number(a[3] || 4)),
  instant: () => instant(a[0], a[1], Number(a[2]), Number(a[3] || 4)),
  latency: () => latency(a[0], a[1]),
}[mode];
if (!run) {
  console.error('usage: node driver.js variants|q2c|pipeline|instant|latency ...');
  process.exit(2);
}
Promise.resolve(run()).catch((e) => { console.error(e.message); process.exit(1); });
