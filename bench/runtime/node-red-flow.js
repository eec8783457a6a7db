// Writes the Node-RED flow equivalent to the `pipeline` workflow of
// tests/e2e/data/durable/durable.switchboard: POST /hooks/pipeline answers 202 at once, then
// upserts the ERP customer by external ref (GET by field, then PUT or POST), creates the order
// and the shipment, every write with an Idempotency-Key, against the same sandbox.
//   node node-red-flow.js SANDBOX_URL > flows.json
'use strict';
const sandbox = process.argv[2];
const tab = 'bench';
let y = 40;
const node = (o) => ({ z: tab, x: 200, y: (y += 60), ...o });
const request = (id, wires) => node({
  id, type: 'http request', name: id, method: 'use', ret: 'obj', paytoqs: 'ignore', url: '',
  tls: '', persist: true, proxy: '', authType: '', senderr: false, headers: [], wires,
});
const fn = (id, func, wires) => node({ id, type: 'function', name: id, func, outputs: 1,
  wires });
const flow = [
  { id: tab, type: 'tab', label: 'pipeline' },
  node({ id: 'in', type: 'http in', name: 'webhook', url: '/hooks/pipeline', method: 'post',
    upload: false, wires: [['accept', 'find-customer']] }),
  fn('accept', 'msg.statusCode = 202; msg.payload = { accepted: true }; return msg;',
    [['respond']]),
  node({ id: 'respond', type: 'http response', name: '', statusCode: '', headers: {},
    wires: [] }),
  fn('find-customer', `
    const a = msg.payload;
    msg.account = a;
    delete msg.res; delete msg.req; // the webhook was answered already
    msg.method = 'GET';
    msg.url = '${sandbox}/erp/Customer?externalRef=' + encodeURIComponent(a.id);
    msg.headers = {};
    msg.payload = '';
    return msg;`, [['get-customer']]),
  request('get-customer', [['upsert-customer']]),
  fn('upsert-customer', `
    const a = msg.account;
    const found = Array.isArray(msg.payload) && msg.payload.length ? msg.payload[0] : null;
    msg.method = found ? 'PUT' : 'POST';
    msg.url = '${sandbox}/erp/Customer' + (found ? '/' + found.customerNumber : '');
    msg.headers = { 'Idempotency-Key': 'cust-' + a.id, 'Content-Type': 'application/json' };
    msg.payload = { externalRef: a.id, name: a.name };
    return msg;`, [['put-customer']]),
  request('put-customer', [['order']]),
  fn('order', `
    if (msg.statusCode >= 300) { node.error('customer: ' + msg.statusCode, msg); return null; }
    const a = msg.account;
    msg.method = 'POST';
    msg.url = '${sandbox}/erp/Order';
    msg.headers = { 'Idempotency-Key': 'order-' + a.id, 'Content-Type': 'application/json' };
    msg.payload = { customerRef: a.id, amount: a.amount, status: 'open' };
    return msg;`, [['post-order']]),
  request('post-order', [['shipment']]),
  fn('shipment', `
    if (msg.statusCode >= 300) { node.error('order: ' + msg.statusCode, msg); return null; }
    msg.method = 'POST';
    msg.url = '${sandbox}/erp/Shipment';
    msg.headers = { 'Idempotency-Key': 'ship-' + msg.account.id,
                    'Content-Type': 'application/json' };
    msg.payload = { orderRef: msg.payload.orderNumber, status: 'planned' };
    return msg;`, [['post-shipment']]),
  request('post-shipment', [[]]),
];
process.stdout.write(JSON.stringify(flow, null, 1) + '\n');
