// A stand-in for the fleetlog server in demo mode, implementing docs/api.md with five simulated
// vehicles, so the dashboard and e2e.mjs can be developed and tested without the Java server.
//
//   node e2e/mock-server.mjs [--port 0] [--static target/classes/public] [--no-demo] [--rate 50] [--vehicles 5]
//
// Prints "mock server listening on http://127.0.0.1:PORT" when ready. Capture time = wall time.
// A dead zone cuts the vehicle's link: samples pile up in its spool (offline); when it ends the
// link returns after ~1 s, the backlog drains oldest first at 8x real time (draining, with
// `stored` events whose ranges lie in the past), then the vehicle is online again.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { WebSocketServer } from 'ws';

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const PORT = Number(arg('--port', process.env.PORT ?? '0'));
const STATIC_DIR = path.resolve(arg('--static', 'target/classes/public'));
const DEMO = !args.includes('--no-demo');
const CSRF = 'mock-csrf-token'; // GET /api/session hands it out; every POST must carry it
const RATE_HZ = Number(arg('--rate', '50'));
const VEHICLE_COUNT = Number(arg('--vehicles', '5'));
const STEP_MS = 1000 / RATE_HZ;
const TICK_MS = 100;
const DRAIN_PER_TICK = Math.round((RATE_HZ * TICK_MS * 8) / 1000); // 8x real time
const RECONNECT_MS = 1000;
const KEEP_MS = 30 * 60 * 1000;
const HISTORY_MS = 3 * 60 * 1000;
const started = Date.now();

const FLEET = [
  ['5YJ3E1EA7KF000001', 'Model 3 #1', 'model3', 37.3947, -122.1503],
  ['7SAYGDEE1NF000002', 'Model Y #2', 'modelY', 37.4419, -122.143],
  ['5YJSA1E6XMF000003', 'Model S Plaid #3', 'modelS', 37.3861, -122.0839],
  ['7SAXCBE5XNF000004', 'Model X #4', 'modelX', 37.4275, -122.1697],
  ['5YJ3E1EB3LF000005', 'Model 3 #5', 'model3', 37.4023, -122.1183],
];

let running = true;

function makeVehicle([vin, name, model, lat0, lon0], i) {
  return {
    vin, name, model, lat0, lon0, phase: i * 1.3,
    seq: 0, t: 0, odometer: 1000 + i * 2345.6, soc: 90 - i * 7, prevSpeed: null,
    spool: [], store: [], link: 'online', deadZone: false, reconnectAt: 0, drainStart: 0, drainCount: 0,
    bytesReceived: 0, lastVehicleMsg: 0, sentLink: null, sentSpool: -1,
  };
}
const vehicles = FLEET.slice(0, VEHICLE_COUNT).map(makeVehicle);
const byVin = new Map(vehicles.map((v) => [v.vin, v]));

/** Next simulated sample at capture time t: a loop around the vehicle's home, with stops. */
function capture(v, t) {
  const s = t / 1000 + v.phase * 100;
  const cycle = (s % 180) / 180; // 3-minute drive cycle with a stop
  const env = Math.min(1, Math.max(0, (cycle - 0.08) / 0.06)) * Math.min(1, Math.max(0, (1 - cycle) / 0.06));
  const speed = Math.max(0, env * (38 + 22 * Math.sin(s / 23 + v.phase) + 6 * Math.sin(s / 5.1)));
  const dt = STEP_MS / 1000;
  const accel = v.prevSpeed === null ? 0 : (speed - v.prevSpeed) / dt; // mph/s
  v.prevSpeed = speed;
  const power = speed === 0 ? 0.4 : 2 + speed * 0.18 + 0.004 * speed * speed + accel * speed * 0.045;
  const miles = (speed * dt) / 3600;
  v.odometer += miles;
  v.soc = Math.max(5, v.soc - (power * dt) / 3600 / 0.75);
  const ang = s / 60 + v.phase;
  const heading = ((((ang + Math.PI / 2) * 180) / Math.PI) % 360 + 360) % 360;
  return {
    seq: ++v.seq, t,
    speed: round(speed, 2), power: round(power, 2), soc: round(v.soc, 3), heading: round(heading, 1),
    odometer: round(v.odometer, 4),
    latitude: round(v.lat0 + 0.02 * Math.sin(ang) + 0.004 * Math.sin(3 * ang), 6),
    longitude: round(v.lon0 + 0.03 * Math.cos(ang), 6),
    elevation: round(20 + 10 * Math.sin(ang * 2), 1),
  };
}
const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d;

function vehicleState(v) {
  const last = v.store[v.store.length - 1];
  const n = v.seq - v.spool.length;
  return {
    vin: v.vin, name: v.name, model: v.model, link: v.link,
    spoolDepth: v.spool.length, oldestBufferedMs: v.spool.length ? v.spool[0].t : null,
    lastSeq: last ? last.seq : null, samplesStored: n, lastCaptureMs: last ? last.t : null,
    latest: last ? pick(last) : null,
    bytesReceived: Math.round(v.bytesReceived), bytesPerSample: n ? round(v.bytesReceived / n, 2) : null,
    fullProtobufBytesPerSample: n ? 71.0 : null, gaps: 0,
  };
}
const pick = (s) => ({ speed: s.speed, power: s.power, soc: s.soc, heading: s.heading, odometer: s.odometer,
  latitude: s.latitude, longitude: s.longitude, elevation: s.elevation });

// ---- live hub
const clients = new Set();
function broadcast(msg) {
  const text = JSON.stringify(msg);
  for (const ws of clients) if (ws.readyState === 1) ws.send(text);
}
function log(level, message) {
  broadcast({ type: 'log', t: Date.now(), level, message });
}

// ---- history so the charts have something to show at once
for (const v of vehicles) {
  for (let t = started - HISTORY_MS; t < started; t += STEP_MS) {
    const s = capture(v, Math.round(t));
    v.store.push(s);
    v.bytesReceived += 6.1;
  }
  v.t = v.store[v.store.length - 1].t;
}

function tick() {
  const now = Date.now();
  for (const v of vehicles) {
    if (running) {
      while (v.t + STEP_MS <= now) {
        v.t += STEP_MS;
        v.spool.push(capture(v, Math.round(v.t)));
      }
    } else {
      v.t = now; // no capture while the fleet is stopped
    }
    uplink(v, now);
    while (v.store.length && v.store[0].t < now - KEEP_MS) v.store.shift();
  }
}

function uplink(v, now) {
  if (v.deadZone) {
    setLink(v, 'offline');
  } else if (v.link === 'offline' && now >= v.reconnectAt) {
    if (v.spool.length > RATE_HZ) {
      v.drainStart = now;
      v.drainCount = v.spool.length;
      log('INFO', `edge ${v.vin} link_up backlog=${v.spool.length} samples, draining oldest first`);
    }
    setLink(v, v.spool.length > RATE_HZ ? 'draining' : 'online');
  }
  if (v.link !== 'offline' && v.spool.length) {
    const batch = v.spool.splice(0, v.link === 'draining' ? DRAIN_PER_TICK : v.spool.length);
    v.store.push(...batch);
    v.bytesReceived += batch.length * 6.1;
    const first = batch[0];
    const last = batch[batch.length - 1];
    broadcast({ type: 'stored', vin: v.vin, fromSeq: first.seq, toSeq: last.seq, fromMs: first.t, toMs: last.t });
    broadcast({ type: 'sample', vin: v.vin, ...last });
    if (v.link === 'draining' && v.spool.length <= RATE_HZ * 0.2) {
      log('INFO', `edge ${v.vin} drain_complete samples=${v.drainCount} in ${((now - v.drainStart) / 1000).toFixed(1)} s, none lost`);
      setLink(v, 'online');
    }
  }
  maybeSendVehicle(v, now);
}

function setLink(v, link) {
  if (v.link !== link) v.link = link;
}

function maybeSendVehicle(v, now) {
  const changed = v.sentLink !== v.link || v.sentSpool !== v.spool.length;
  if (changed && now - v.lastVehicleMsg >= 500) {
    v.lastVehicleMsg = now;
    v.sentLink = v.link;
    v.sentSpool = v.spool.length;
    broadcast({ type: 'vehicle', vehicle: vehicleState(v) });
  }
}

setInterval(tick, TICK_MS);
setInterval(() => {
  if (!running) return;
  const online = vehicles.filter((v) => v.link !== 'offline').length;
  log('DEBUG', `ingest rate=${online * RATE_HZ} samples/s vehicles_online=${online}/${vehicles.length} bytes_per_sample=6.1`);
}, 5000);

// ---- HTTP
function send(res, status, body, type = 'application/json') {
  const data = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(data);
}
function parseTime(q, name) {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (Number.isFinite(n)) return n;
  const d = Date.parse(raw);
  if (Number.isFinite(d)) return d;
  throw new Error(`parameter '${name}' is not a time: ${raw}`);
}
function lowerBound(arr, t) {
  let lo = 0, hi = arr.length;
  while (lo < hi) { const m = (lo + hi) >>> 1; if (arr[m].t < t) lo = m + 1; else hi = m; }
  return lo;
}
function demoState() {
  return { running, vehicles: vehicles.map((v) => ({ vin: v.vin, name: v.name, deadZone: v.deadZone })) };
}
function readBody(req) {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data));
  });
}
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json' };

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const p = url.pathname;
  try {
    if (p === '/api/vehicles') return send(res, 200, vehicles.map(vehicleState));
    if (p === '/status') {
      return send(res, 200, { status: 'ok', uptimeSeconds: Math.round((Date.now() - started) / 1000), vehicles: vehicles.map(vehicleState), store: { kind: 'mock' }, ingest: {}, compression: {}, jvm: {} });
    }
    let m = p.match(/^\/api\/vehicles\/([^/]+)\/(samples|summary)$/);
    if (m) {
      const v = byVin.get(decodeURIComponent(m[1]));
      if (!v) return send(res, 404, { error: `unknown vin ${m[1]}` });
      let from, to;
      try {
        from = parseTime(url.searchParams, 'from') ?? 0;
        to = parseTime(url.searchParams, 'to') ?? Number.MAX_SAFE_INTEGER;
      } catch (e) {
        return send(res, 400, { error: e.message });
      }
      const rows = v.store.slice(lowerBound(v.store, from), lowerBound(v.store, to));
      if (m[2] === 'summary') {
        let energy = 0;
        for (let i = 1; i < rows.length; i++) energy += ((rows[i].power + rows[i - 1].power) / 2) * ((rows[i].t - rows[i - 1].t) / 3.6e6);
        const dist = rows.length ? rows[rows.length - 1].odometer - rows[0].odometer : 0;
        return send(res, 200, { vin: v.vin, samples: rows.length, distanceMi: round(dist, 3), energyKwh: round(energy, 3), whPerMi: dist > 0.01 ? round((energy * 1000) / dist, 1) : null, onlineSeconds: null, offlineSeconds: null });
      }
      const limit = Number(url.searchParams.get('limit') ?? rows.length);
      const out = rows.slice(0, limit);
      if (url.searchParams.get('format') === 'csv') {
        const head = 'vin,seq,capture_time,speed,power,soc,heading,odometer,latitude,longitude,elevation,reconstructed\n';
        return send(res, 200, head + out.map((s) => [v.vin, s.seq, new Date(s.t).toISOString(), s.speed, s.power, s.soc, s.heading, s.odometer, s.latitude, s.longitude, s.elevation, ''].join(',')).join('\n'), 'text/csv');
      }
      return send(res, 200, out.map((s) => ({ ...s, reconstructed: [] })));
    }
    // like the real server on loopback without users: reads open, POSTs need the session's CSRF token
    if (p === '/api/session' && req.method === 'GET') {
      return send(res, 200, { authenticated: true, loginRequired: false, user: 'loopback', kind: 'loopback', scopes: ['control', 'read'], vins: null, csrfToken: CSRF });
    }
    if (req.method === 'POST' && req.headers['x-csrf-token'] !== CSRF) {
      return send(res, 403, { error: 'missing or wrong X-CSRF-Token header: take the token from GET /api/session' });
    }
    if (p.startsWith('/api/demo')) {
      if (!DEMO) return send(res, 404, { error: 'demo mode is off' });
      if (p === '/api/demo' && req.method === 'GET') return send(res, 200, demoState());
      if (p === '/api/demo/start' && req.method === 'POST') {
        if (!running) log('INFO', 'demo fleet started');
        running = true;
        return send(res, 200, demoState());
      }
      if (p === '/api/demo/stop' && req.method === 'POST') {
        if (running) log('INFO', 'demo fleet stopped');
        running = false;
        return send(res, 200, demoState());
      }
      m = p.match(/^\/api\/demo\/vehicles\/([^/]+)\/deadzone$/);
      if (m && req.method === 'POST') {
        const v = byVin.get(decodeURIComponent(m[1]));
        if (!v) return send(res, 404, { error: `unknown vin ${m[1]}` });
        let on;
        try { on = JSON.parse((await readBody(req)) || '{}').on; } catch { on = undefined; }
        if (typeof on !== 'boolean') return send(res, 400, { error: "body field 'on' must be true or false" });
        if (on && !v.deadZone) log('WARN', `edge ${v.vin} link_lost (dead zone), spooling on the vehicle`);
        if (!on && v.deadZone) { v.reconnectAt = Date.now() + RECONNECT_MS; log('INFO', `edge ${v.vin} dead zone ended, reconnecting`); }
        v.deadZone = on;
        return send(res, 200, demoState());
      }
      return send(res, 404, { error: `no route ${req.method} ${p}` });
    }
    // static files; unknown paths get index.html (single-page app)
    const file = path.join(STATIC_DIR, path.normalize(p === '/' ? '/index.html' : p));
    if (!file.startsWith(STATIC_DIR)) return send(res, 400, { error: 'bad path' });
    const target = fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(STATIC_DIR, 'index.html');
    if (!fs.existsSync(target)) return send(res, 404, 'dashboard not built: run npm run build', 'text/plain');
    res.writeHead(200, { 'Content-Type': MIME[path.extname(target)] ?? 'application/octet-stream' });
    fs.createReadStream(target).pipe(res);
  } catch (e) {
    send(res, 500, { error: String(e) });
  }
});

const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  if (new URL(req.url, 'http://localhost').pathname !== '/live') return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
    ws.send(JSON.stringify({ type: 'snapshot', vehicles: vehicles.map(vehicleState), demo: DEMO }));
  });
});

server.listen(PORT, '127.0.0.1', () => {
  console.log(`mock server listening on http://127.0.0.1:${server.address().port}`);
});
const shutdown = () => { for (const ws of clients) ws.terminate(); server.close(); process.exit(0); };
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
