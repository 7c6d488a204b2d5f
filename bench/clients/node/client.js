'use strict';
// Node benchmark clients: `node client.js IMPL MODE URL N WARMUP THREADS` (bench/README.md).
//
// IMPL `docspace`: the docspace-auth binding (bindings/node: `login`, `Totp#codeNow`,
// `loginWithCode`; Promises on koffi worker threads). IMPL `fetch`: the anchor, the seed
// sample's code done right: Node's built-in fetch (undici, kept-alive connection), JSON
// bodies, the answers parsed, the challenge and confirm cookie checked, the code from otpauth
// (npm), the token picked out. IMPL `otpauth` exists for MODE `totp` only.
//
// W1 also reports the event-loop delay (perf_hooks.monitorEventLoopDelay, 1 ms resolution)
// while the flows run: a binding that blocked the loop would show its call time there.

const T0 = process.hrtime.bigint();
const path = require('node:path');

const USER = 'bench@example.com';
const PASSWORD = 'bench-password-1';
const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const BINDING = path.join(__dirname, '..', '..', '..', 'bindings', 'node');

function makeDocspace(url) {
  const ds = require(BINDING);
  const client = new ds.Client(url);
  const totp = new ds.Totp(SECRET);
  const flow = async () => {
    const result = await client.login(USER, PASSWORD);
    if (result.kind !== 'code_required') throw new Error(`expected code_required, got ${result.kind}`);
    result.challenge.dispose();
    const session = await client.loginWithCode(USER, PASSWORD, totp.codeNow());
    const length = session.token.length;
    session.dispose();
    return length;
  };
  return { flow, close: () => client.close() };
}

function makeFetch(url) {
  const OTPAuth = require('otpauth');
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(SECRET), algorithm: 'SHA1', digits: 6, period: 30 });
  const loginUrl = `${url}/api/2.0/authentication`;
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const post = async (target, body) => {
    const res = await fetch(target, { method: 'POST', headers, body: JSON.stringify(body) });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    const data = await res.json();
    return { res, response: data.response || {} };
  };
  const flow = async () => {
    const first = await post(loginUrl, { userName: USER, password: PASSWORD, session: false });
    const meta = first.response;
    if (meta.token || !meta.tfa || !String(meta.confirmUrl).includes('type=TfaAuth')) {
      throw new Error('expected a TfaAuth challenge');
    }
    if (!first.res.headers.getSetCookie().some((c) => c.startsWith('asc_confirm_key_TfaAuth='))) {
      throw new Error('no confirm key cookie');
    }
    const code = totp.generate();
    const second = await post(`${loginUrl}/${code}`, { userName: USER, password: PASSWORD, code, session: false });
    return second.response.token.length;
  };
  return { flow, close: () => {} };
}

const IMPLS = { docspace: makeDocspace, fetch: makeFetch };

function statusKiB(field) {
  const line = require('node:fs').readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(field));
  return line ? parseInt(line.slice(field.length), 10) : 0;
}

function percentile(sorted, p) {
  return sorted[Math.min(Math.round((sorted.length - 1) * p), sorted.length - 1)];
}

const emit = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);
const nowUs = () => Number(process.hrtime.bigint()) / 1e3;

async function w1(make, url, n, warmup) {
  const { monitorEventLoopDelay } = require('node:perf_hooks');
  const { flow, close } = make(url);
  for (let i = 0; i < warmup; i++) await flow();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const times = new Float64Array(n);
  loop.enable();
  const start = nowUs();
  for (let i = 0; i < n; i++) {
    const t = nowUs();
    if (!(await flow())) throw new Error('empty token');
    times[i] = nowUs() - t;
  }
  const total = nowUs() - start;
  loop.disable();
  times.sort();
  emit({
    n, median_us: percentile(times, 0.5), p99_us: percentile(times, 0.99), flows_per_s: n / (total / 1e6),
    rss_kib: statusKiB('VmRSS:'), hwm_kib: statusKiB('VmHWM:'),
    loop_delay_p99_us: loop.percentile(99) / 1e3, loop_delay_max_us: loop.max / 1e3,
  });
  close();
}

async function w3(make, url, n, warmup, tasks) {
  // `tasks` concurrent async flows on one client (one event loop; the binding's calls run on
  // koffi worker threads, fetch's I/O on the loop).
  const { flow, close } = make(url);
  const perTask = Math.floor(n / tasks);
  await Promise.all(Array.from({ length: tasks }, async () => { for (let i = 0; i < warmup; i++) await flow(); }));
  const start = nowUs();
  await Promise.all(Array.from({ length: tasks }, async () => { for (let i = 0; i < perTask; i++) await flow(); }));
  const total = nowUs() - start;
  emit({ threads: tasks, n: perTask * tasks, flows_per_s: (perTask * tasks) / (total / 1e6) });
  close();
}

async function mem(make, url, extra) {
  const first = make(url);
  await first.flow();
  global.gc?.();
  const base = statusKiB('VmRSS:');
  const clients = Array.from({ length: extra }, () => make(url));
  global.gc?.();
  const idle = statusKiB('VmRSS:');
  for (const c of clients) await c.flow();
  global.gc?.();
  const used = statusKiB('VmRSS:');
  emit({
    extra, rss_base_kib: base, rss_idle_kib: idle, rss_used_kib: used,
    per_handle_idle_kib: (idle - base) / extra, per_handle_used_kib: (used - base) / extra,
  });
  for (const c of clients) c.close();
  first.close();
}

function totpBench(impl, n) {
  const t0 = 1767225600;
  let handle;
  let fromBase32;
  if (impl === 'docspace') {
    const ds = require(BINDING);
    const parsed = new ds.Totp(SECRET);
    handle = (t) => parsed.codeAt(t);
    fromBase32 = (s, t) => ds.totp(s, { at: t });
  } else {
    const OTPAuth = require('otpauth');
    const parsed = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(SECRET) });
    handle = (t) => parsed.generate({ timestamp: t * 1000 });
    fromBase32 = (s, t) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(s) }).generate({ timestamp: t * 1000 });
  }
  let check = 0;
  let start = nowUs();
  for (let i = 0; i < n; i++) check += handle(t0 + i * 30).charCodeAt(5);
  const handleUs = nowUs() - start;
  start = nowUs();
  for (let i = 0; i < n; i++) check += fromBase32(SECRET, t0 + i * 30).charCodeAt(5);
  const base32Us = nowUs() - start;
  emit({ n, handle_codes_per_s: n / (handleUs / 1e6), base32_codes_per_s: n / (base32Us / 1e6), check });
}

async function main() {
  const [impl, mode, rawUrl] = process.argv.slice(2);
  const url = rawUrl.replace(/\/+$/, '');
  const num = (i, def) => (process.argv[i] !== undefined ? parseInt(process.argv[i], 10) : def);
  const n = num(5, 1000);
  const warmup = num(6, 100);
  const threads = num(7, 1);
  if (mode === 'totp') return totpBench(impl, n);
  const make = IMPLS[impl];
  if (!make) throw new Error(`unknown implementation ${impl}`);
  if (mode === 'cold') {
    const { flow, close } = make(url);
    const tSetup = process.hrtime.bigint();
    await flow();
    const tEnd = process.hrtime.bigint();
    emit({ ok: true, setup_us: Number(tSetup - T0) / 1e3, in_process_us: Number(tEnd - T0) / 1e3 });
    close();
  } else if (mode === 'w1') await w1(make, url, n, warmup);
  else if (mode === 'w3') await w3(make, url, n, warmup, threads);
  else if (mode === 'mem') await mem(make, url, n);
  else throw new Error(`unknown mode ${mode}`);
}

main().catch((error) => {
  process.stderr.write(`node client: ${error.stack || error}\n`);
  process.exit(1);
});
