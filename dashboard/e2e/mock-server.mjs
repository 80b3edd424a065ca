// A stand-in for the fleetlog server in demo mode, implementing docs/api.md (issue 13's contract:
// frames of any signals, `values` by signal name) with five simulated vehicles, so the dashboard
// and e2e.mjs can be developed and tested without the Java server.
//
// Each vehicle sends sparse frames at their own rates: VehicleSpeed, Power and Odometer in every
// frame (50 Hz), Location, GpsHeading and Elevation at 10 Hz, Soc, pack voltage and current, rated
// range and (while charging) AC charging power at 1 Hz, temperatures at 0.2 Hz (OutsideTemp
// unavailable for a while in each cycle), tyre pressures every 10 s, and the states Gear,
// DetailedChargeState, Locked, ChargePortDoorOpen, SentryMode, ChargeLimitSoc and Version on change
// plus every 10 s. A 3-minute cycle: P, R, D (driving), P, locked; the even vehicles then charge
// (Starting, Charging, Complete) before unplugging.
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
import crypto from 'node:crypto';
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

// ---- the catalogue: a subset of the built-in one, with its wire ids (protocol/…/builtin.catalog)
const CATALOGUE_TEXT = `
0 VehicleSpeed float unit=mph resolution=0.01 range=-500..500 bound=2 aliases=speed,Vehicle.Speed
1 Power float unit=kW resolution=0.01 range=-10000..10000 bound=5
2 Soc float unit=% resolution=0.01 range=0..100 bound=0.5 aliases=Vehicle.Powertrain.TractionBattery.StateOfCharge.Current
3 GpsHeading float unit=deg resolution=0.01 range=-1000000..1000000 bound=5 circular aliases=heading,Vehicle.CurrentLocation.Heading
4 Odometer float unit=mi resolution=0.001 range=0..10000000 bound=0 aliases=Vehicle.TraveledDistance
5 Location location resolution=0.0000001 bound=0 aliases=latitude,longitude,Vehicle.CurrentLocation
6 Elevation float unit=m resolution=0.01 range=-1000..20000 bound=0 aliases=Vehicle.CurrentLocation.Altitude
7 Gear enum values=Unknown:0,Invalid:1,P:2,R:3,N:4,D:5,SNA:6 aliases=Vehicle.Powertrain.Transmission.SelectedGear
17 PackVoltage float unit=V resolution=0.01 range=0..1500 bound=0.5
18 PackCurrent float unit=A resolution=0.01 range=-3000..3000 bound=1
21 RatedRange float unit=mi resolution=0.01 range=0..2000 bound=0.5
33 DetailedChargeState enum values=Unknown:0,Disconnected:1,NoPower:2,Starting:3,Charging:4,Complete:5,Stopped:6
34 ChargeLimitSoc integer unit=% range=0..100
38 ACChargingPower float unit=kW resolution=0.01 range=0..1000 bound=0.5
45 ChargePortDoorOpen boolean
50 Locked boolean
51 SentryMode enum values=Unknown:0,Off:1,Idle:2,Armed:3,Aware:4,Panic:5,Quiet:6
67 TpmsPressureFl float unit=bar resolution=0.01 range=0..10 bound=0.02
68 TpmsPressureFr float unit=bar resolution=0.01 range=0..10 bound=0.02
69 TpmsPressureRl float unit=bar resolution=0.01 range=0..10 bound=0.02
70 TpmsPressureRr float unit=bar resolution=0.01 range=0..10 bound=0.02
71 InsideTemp float unit=degC resolution=0.1 range=-60..100 bound=0.5
72 OutsideTemp float unit=degC resolution=0.1 range=-60..80 bound=0.5
78 Version string maxlength=64
`;
function parseCatalogue(text) {
  const signals = [];
  for (const line of text.trim().split('\n')) {
    const [id, name, type, ...attrs] = line.trim().split(/\s+/);
    const sig = { id: Number(id), name, type };
    for (const a of attrs) {
      if (a === 'circular') { sig.circular = true; continue; }
      const [k, v] = a.split('=');
      if (k === 'aliases') sig.aliases = v.split(',');
      else if (k === 'values') sig.values = v.split(',').map((e) => ({ code: Number(e.split(':')[1]), name: e.split(':')[0] }));
      else if (k === 'range') [sig.min, sig.max] = v.split('..').map(Number);
      else if (k === 'unit') sig.unit = v;
      else sig[k] = Number(v);
    }
    signals.push(sig);
  }
  const hash = crypto.createHash('sha256').update(text).digest('hex');
  return { catalogue: hash.slice(0, 16), hash, signals };
}
const CATALOGUE = parseCatalogue(CATALOGUE_TEXT);
const SIGNAL_BY_KEY = new Map();
for (const sig of CATALOGUE.signals) for (const k of [sig.name, ...(sig.aliases ?? [])]) SIGNAL_BY_KEY.set(k.toLowerCase(), sig);

function makeVehicle([vin, name, model, lat0, lon0], i) {
  return {
    vin, name, model, lat0, lon0, phase: i * 1.3, charges: i % 2 === 0,
    seq: 0, t: 0, odometer: 1000 + i * 2345.6, soc: 90 - i * 7, prevSpeed: null,
    spool: [], store: [], link: 'online', deadZone: false, reconnectAt: 0, drainStart: 0, drainCount: 0,
    bytesReceived: 0, lastVehicleMsg: 0, sentLink: null, sentSpool: -1,
    due: {}, states: {}, merged: {}, mergedT: {}, offline: [],
  };
}
const vehicles = FLEET.slice(0, VEHICLE_COUNT).map(makeVehicle);
const byVin = new Map(vehicles.map((v) => [v.vin, v]));

/** True once per `periodMs` of capture time for `key` (a signal captured at its own rate). */
function due(v, key, periodMs, t) {
  const slot = Math.floor(t / periodMs);
  if (v.due[key] === slot) return false;
  v.due[key] = slot;
  return true;
}

/** Where a vehicle is in its 3-minute cycle: gear, lock, charging, and the drive envelope. */
function phaseOf(v, cycle) {
  const gear = cycle < 0.04 ? 'P' : cycle < 0.07 ? 'R' : cycle < 0.72 ? 'D' : 'P';
  const locked = cycle >= 0.74 && cycle < 0.99;
  let charge = 'Disconnected';
  if (v.charges) charge = cycle < 0.76 ? 'Disconnected' : cycle < 0.77 ? 'Starting' : cycle < 0.95 ? 'Charging' : cycle < 0.985 ? 'Complete' : 'Disconnected';
  const door = v.charges && cycle >= 0.755 && cycle < 0.99;
  const env = Math.min(1, Math.max(0, (cycle - 0.08) / 0.05)) * Math.min(1, Math.max(0, (0.71 - cycle) / 0.05));
  return { gear, locked, charge, door, env, sentry: locked ? 'Armed' : 'Off' };
}

/** Next simulated frame at capture time t: a loop around the vehicle's home, parking and charging. */
function capture(v, t) {
  const s = t / 1000 + v.phase * 100;
  const cycle = (s % 180) / 180;
  const ph = phaseOf(v, cycle);
  const speed = Math.max(0, ph.env * (38 + 22 * Math.sin(s / 23 + v.phase) + 6 * Math.sin(s / 5.1)));
  const dt = STEP_MS / 1000;
  const accel = v.prevSpeed === null ? 0 : (speed - v.prevSpeed) / dt; // mph/s
  v.prevSpeed = speed;
  const charging = ph.charge === 'Charging';
  const chargeKw = charging ? 11 + 0.3 * Math.sin(s / 7) : ph.charge === 'Starting' ? 2 : 0;
  const power = charging || ph.charge === 'Starting' ? -chargeKw : speed === 0 ? 0.4 : 2 + speed * 0.18 + 0.004 * speed * speed + accel * speed * 0.045;
  v.odometer += (speed * dt) / 3600;
  v.soc = Math.min(100, Math.max(5, v.soc - (power * dt) / 3600 / 0.75));
  const ang = s / 60 + v.phase;
  const values = { VehicleSpeed: round(speed, 2), Power: round(power, 2), Odometer: round(v.odometer, 3) };
  if (due(v, 'pos', 100, t)) {
    values.Location = { lat: round(v.lat0 + 0.02 * Math.sin(ang) + 0.004 * Math.sin(3 * ang), 7), lon: round(v.lon0 + 0.03 * Math.cos(ang), 7) };
    values.GpsHeading = round(((((ang + Math.PI / 2) * 180) / Math.PI) % 360 + 360) % 360, 2);
    values.Elevation = round(20 + 10 * Math.sin(ang * 2), 2);
  }
  if (due(v, '1hz', 1000, t)) {
    values.Soc = round(v.soc, 2);
    values.PackVoltage = round(350 + v.soc * 0.6 - power * 0.05, 2);
    values.PackCurrent = round((power * 1000) / (350 + v.soc * 0.6), 2);
    values.RatedRange = round(v.soc * 2.72, 2);
    if (charging || ph.charge === 'Starting') values.ACChargingPower = round(chargeKw, 2);
  }
  if (due(v, 'temp', 5000, t)) {
    values.InsideTemp = round(21 + 1.5 * Math.sin(s / 90), 1);
    values.OutsideTemp = cycle >= 0.3 && cycle < 0.36 ? null : round(14 + 3 * Math.sin(s / 400), 1); // sensor dropout: unavailable
  }
  if (due(v, 'tpms', 10_000, t)) {
    const warm = 0.05 * ph.env;
    Object.assign(values, { TpmsPressureFl: round(2.9 + warm, 2), TpmsPressureFr: round(2.91 + warm, 2), TpmsPressureRl: round(2.88 + warm, 2), TpmsPressureRr: round(2.87 + warm, 2) });
  }
  // states: on change, and all of them again every 10 s (so a window shows them from its start)
  const keyframe = due(v, 'states', 10_000, t);
  const states = { Gear: ph.gear, DetailedChargeState: ph.charge, Locked: ph.locked, ChargePortDoorOpen: ph.door, SentryMode: ph.sentry, ChargeLimitSoc: 90, Version: '2026.44.25.1' };
  for (const [k, val] of Object.entries(states)) {
    if (keyframe || v.states[k] !== val) values[k] = val;
    v.states[k] = val;
  }
  return { seq: ++v.seq, t, values };
}
const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d;

/** The server's merged newest values: a signal's value stays until a newer frame captures it. */
function absorb(v, frame) {
  for (const [k, val] of Object.entries(frame.values)) {
    if (!(v.mergedT[k] > frame.t)) {
      v.merged[k] = val;
      v.mergedT[k] = frame.t;
    }
  }
}

function vehicleState(v) {
  const last = v.store[v.store.length - 1];
  const n = v.seq - v.spool.length;
  return {
    vin: v.vin, name: v.name, model: v.model, link: v.link, catalogue: CATALOGUE.catalogue,
    spoolDepth: v.spool.length, oldestBufferedMs: v.spool.length ? v.spool[0].t : null,
    lastSeq: last ? last.seq : null, samplesStored: n, lastCaptureMs: last ? last.t : null,
    latest: Object.keys(v.merged).length ? { ...v.merged } : null,
    bytesReceived: Math.round(v.bytesReceived), bytesPerSample: n ? round(v.bytesReceived / n, 2) : null,
    fullProtobufBytesPerSample: n ? 71.0 : null, gaps: 0,
  };
}

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
    absorb(v, s);
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
    batch.forEach((f) => absorb(v, f));
    v.bytesReceived += batch.length * 6.1;
    const first = batch[0];
    const last = batch[batch.length - 1];
    broadcast({ type: 'stored', vin: v.vin, fromSeq: first.seq, toSeq: last.seq, fromMs: first.t, toMs: last.t });
    broadcast({ type: 'sample', vin: v.vin, seq: last.seq, t: last.t, values: { ...v.merged } });
    if (v.link === 'draining' && v.spool.length <= RATE_HZ * 0.2) {
      log('INFO', `edge ${v.vin} drain_complete samples=${v.drainCount} in ${((now - v.drainStart) / 1000).toFixed(1)} s, none lost`);
      setLink(v, 'online');
    }
  }
  maybeSendVehicle(v, now);
}

function setLink(v, link) {
  if (v.link === link) return;
  // link-down spans (GET …/offline): frames captured in one were backfilled
  const now = Date.now();
  if (link === 'offline') v.offline.push([now, null]);
  else if (v.link === 'offline' && v.offline.length) v.offline[v.offline.length - 1][1] = now;
  v.link = link;
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

// ---- drives and charges (docs/drives.md, simplified): a drive while the gear is D, R or N; a charge
// while DetailedChargeState is Starting or Charging; figures from the frames
function sessionsOf(v) {
  const drives = [];
  const charges = [];
  let gear = null;
  let cs = null;
  let soc = null;
  let loc = null;
  let d = null;
  let c = null;
  let prevPower = null;
  const isBackfilled = (t) => v.offline.some(([a, b]) => t >= a && (b === null || t <= b));
  for (const f of v.store) {
    const x = f.values;
    if ('Gear' in x) gear = x.Gear;
    if ('DetailedChargeState' in x) cs = x.DetailedChargeState;
    if (typeof x.Soc === 'number') soc = x.Soc;
    if (x.Location) loc = x.Location;
    const moving = gear === 'D' || gear === 'R' || gear === 'N';
    if (moving && !d) d = { startMs: f.t, startLoc: loc, startSoc: soc, odo0: x.Odometer, energy: 0, maxSpeed: 0, gain: 0, loss: 0, elev: null, n: 0, late: 0 };
    if (d) {
      d.endMs = f.t;
      d.endLoc = loc;
      d.endSoc = soc;
      if (typeof x.Odometer === 'number') d.odo1 = x.Odometer;
      if (typeof x.VehicleSpeed === 'number') d.maxSpeed = Math.max(d.maxSpeed, Math.abs(x.VehicleSpeed));
      if (typeof x.Power === 'number' && prevPower) d.energy += ((x.Power + prevPower.p) / 2) * ((f.t - prevPower.t) / 3.6e6);
      if (typeof x.Elevation === 'number') {
        if (d.elev !== null) (x.Elevation > d.elev ? (d.gain += x.Elevation - d.elev) : (d.loss += d.elev - x.Elevation));
        d.elev = x.Elevation;
      }
      d.n++;
      if (isBackfilled(f.t)) d.late++;
      if (!moving) {
        drives.push(d);
        d = null;
      }
    }
    if (typeof x.Power === 'number') prevPower = { p: x.Power, t: f.t };
    const charging = cs === 'Starting' || cs === 'Charging';
    if (charging && !c) c = { startMs: f.t, loc, socFrom: soc, energy: 0, peak: 0, prev: null, n: 0, late: 0 };
    if (c) {
      if (typeof x.ACChargingPower === 'number') {
        if (c.prev) c.energy += ((x.ACChargingPower + c.prev.p) / 2) * ((f.t - c.prev.t) / 3.6e6);
        c.prev = { p: x.ACChargingPower, t: f.t };
        c.peak = Math.max(c.peak, x.ACChargingPower);
      }
      c.n++;
      if (isBackfilled(f.t)) c.late++;
      if (charging) {
        c.endMs = f.t;
        c.socTo = soc;
      } else {
        charges.push(c);
        c = null;
      }
    }
  }
  if (d && d.n > 1) drives.push(d); // a drive in progress, as the server's deriver shows it
  if (c && c.endMs) charges.push(c);
  const iso = (t) => new Date(t).toISOString();
  return {
    drives: drives.map((d) => {
      const mi = typeof d.odo0 === 'number' && typeof d.odo1 === 'number' ? round(d.odo1 - d.odo0, 3) : null;
      const dur = (d.endMs - d.startMs) / 1000;
      return {
        id: d.startMs, vin: v.vin, start: iso(d.startMs), end: iso(d.endMs), startMs: d.startMs, endMs: d.endMs,
        startLat: d.startLoc?.lat ?? null, startLon: d.startLoc?.lon ?? null, endLat: d.endLoc?.lat ?? null, endLon: d.endLoc?.lon ?? null,
        distanceMi: mi, distanceKm: mi === null ? null : round(mi * 1.609344, 3), durationS: round(dur, 1), energyKwh: round(d.energy, 4), energySource: 'power',
        whPerMi: mi ? round((d.energy * 1000) / mi, 1) : null, whPerKm: mi ? round((d.energy * 1000) / mi / 1.609344, 1) : null,
        maxSpeedMph: round(d.maxSpeed, 2), meanSpeedMph: mi && dur > 0 ? round(mi / (dur / 3600), 2) : null,
        elevationGainM: round(d.gain, 1), elevationLossM: round(d.loss, 1), startSoc: d.startSoc, endSoc: d.endSoc,
        startOdometerMi: d.odo0 ?? null, endOdometerMi: d.odo1 ?? null, backfillFraction: round(d.late / d.n, 4),
      };
    }),
    charges: charges.map((c) => ({
      id: c.startMs, vin: v.vin, start: iso(c.startMs), end: iso(c.endMs), startMs: c.startMs, endMs: c.endMs,
      lat: c.loc?.lat ?? null, lon: c.loc?.lon ?? null, durationS: round((c.endMs - c.startMs) / 1000, 1), energyAddedKwh: round(c.energy, 4),
      socFrom: c.socFrom, socTo: c.socTo, peakPowerKw: round(c.peak, 2), meanPowerKw: c.endMs > c.startMs ? round(c.energy / ((c.endMs - c.startMs) / 3.6e6), 2) : null,
      kind: 'AC', cost: round(c.energy * 0.3, 2), currency: 'EUR', backfillFraction: round(c.late / c.n, 4),
    })),
  };
}

function sessionsRoute(res, url, vin, kind, id) {
  const v = byVin.get(decodeURIComponent(vin));
  if (!v) return send(res, 404, { error: `unknown vin ${vin}` });
  const all = sessionsOf(v)[kind];
  if (id !== undefined) {
    const one = all.find((s) => String(s.id) === id);
    return one ? send(res, 200, one) : send(res, 404, { error: `no ${kind.slice(0, -1)} ${id}` });
  }
  let from, to;
  try {
    from = parseTime(url.searchParams, 'from') ?? -Infinity;
    to = parseTime(url.searchParams, 'to') ?? Infinity;
  } catch (e) {
    return send(res, 400, { error: e.message });
  }
  const limit = Number(url.searchParams.get('limit') ?? 100);
  if (!(limit >= 1 && limit <= 1000)) return send(res, 400, { error: `parameter 'limit': ${limit} is not within 1..1000` });
  const after = Number(url.searchParams.get('cursor') ?? -Infinity);
  const page = all.filter((s) => s.endMs >= from && s.startMs < to && s.startMs > after).slice(0, limit);
  return send(res, 200, { [kind]: page, nextCursor: page.length === limit ? String(page[page.length - 1].id) : null });
}

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
    let m = p.match(/^\/api\/vehicles\/([^/]+)\/signals$/);
    if (m) {
      if (!byVin.has(decodeURIComponent(m[1]))) return send(res, 404, { error: `unknown vin ${m[1]}` });
      return send(res, 200, CATALOGUE);
    }
    m = p.match(/^\/api\/vehicles\/([^/]+)\/(drives|charges)(?:\/([^/]+))?$/);
    if (m) return sessionsRoute(res, url, m[1], m[2], m[3]);
    m = p.match(/^\/api\/vehicles\/([^/]+)\/offline$/);
    if (m) {
      const v = byVin.get(decodeURIComponent(m[1]));
      if (!v) return send(res, 404, { error: `unknown vin ${m[1]}` });
      const from = Number(url.searchParams.get('from'));
      const to = Number(url.searchParams.get('to') ?? Date.now());
      if (!Number.isFinite(from) || !(from < to)) return send(res, 400, { error: "parameters 'from' and 'to': from must be before to" });
      const spans = v.offline.map(([a, b]) => [Math.max(a, from), Math.min(b ?? Date.now(), to - 1)]).filter(([a, b]) => a <= b);
      return send(res, 200, { vin: v.vin, from, to, offline: spans });
    }
    m = p.match(/^\/api\/vehicles\/([^/]+)\/series$/);
    if (m) {
      // the server's /series in small: raw frames into at most `points` buckets [t, min, max, mean, last, count]
      const v = byVin.get(decodeURIComponent(m[1]));
      if (!v) return send(res, 404, { error: `unknown vin ${m[1]}` });
      const from = Number(url.searchParams.get('from'));
      const to = Number(url.searchParams.get('to'));
      const points = Number(url.searchParams.get('points') ?? 1000);
      if (!Number.isFinite(from) || !Number.isFinite(to) || !(from < to)) return send(res, 400, { error: "parameter 'from' must be before 'to'" });
      if (!(points >= 1 && points <= 10000)) return send(res, 400, { error: `parameter 'points': ${points} is not in 1..10000` });
      const width = Math.ceil((to - from) / points);
      const rows = v.store.slice(lowerBound(v.store, from), lowerBound(v.store, to));
      const series = [];
      for (const n of (url.searchParams.get('signals') ?? '').split(',').filter(Boolean)) {
        const sig = SIGNAL_BY_KEY.get(n.trim().toLowerCase());
        if (!sig) return send(res, 400, { error: `unknown signal '${n}'` });
        const buckets = new Map();
        for (const r of rows) {
          const x = r.values[sig.name];
          const val = typeof x === 'number' ? x : typeof x === 'boolean' ? Number(x) : null;
          if (val === null) continue;
          const t = from + Math.floor((r.t - from) / width) * width;
          const b = buckets.get(t) ?? [t, val, val, 0, val, 0];
          b[1] = Math.min(b[1], val);
          b[2] = Math.max(b[2], val);
          b[3] += val;
          b[4] = val;
          b[5] += 1;
          buckets.set(t, b);
        }
        const pts = [...buckets.values()].map((b) => [b[0], b[1], b[2], b[3] / b[5], b[4], b[5]]);
        series.push({ signal: sig.name, type: sig.type, unit: sig.unit, source: 'raw', bucketMs: width, points: pts });
      }
      return send(res, 200, { vin: v.vin, from, to, points, series });
    }
    m = p.match(/^\/api\/vehicles\/([^/]+)\/(samples|summary)$/);
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
        let prev = null;
        let odo0 = null;
        let odo1 = null;
        for (const r of rows) {
          const pw = r.values.Power;
          if (typeof pw === 'number') {
            if (prev) energy += ((pw + prev.p) / 2) * ((r.t - prev.t) / 3.6e6);
            prev = { p: pw, t: r.t };
          }
          if (typeof r.values.Odometer === 'number') {
            odo0 ??= r.values.Odometer;
            odo1 = r.values.Odometer;
          }
        }
        const dist = odo0 === null ? 0 : odo1 - odo0;
        return send(res, 200, { vin: v.vin, samples: rows.length, distanceMi: round(dist, 3), energyKwh: round(energy, 3), whPerMi: dist > 0.01 ? round((energy * 1000) / dist, 1) : null, onlineSeconds: null, offlineSeconds: null });
      }
      // ?signals=A,B: names or aliases, case-insensitive; unknown → 400 naming it
      const rawSel = url.searchParams.get('signals');
      let selected = CATALOGUE.signals.map((x) => x.name);
      if (rawSel !== null && rawSel.trim() !== '') {
        selected = [];
        for (const n of rawSel.split(',').map((x) => x.trim()).filter(Boolean)) {
          const sig = SIGNAL_BY_KEY.get(n.toLowerCase());
          if (!sig) return send(res, 400, { error: `parameter 'signals': unknown signal '${n}'` });
          if (!selected.includes(sig.name)) selected.push(sig.name);
        }
      }
      const limit = Number(url.searchParams.get('limit') ?? rows.length);
      const out = [];
      for (const r of rows) {
        if (out.length >= limit) break;
        const values = {};
        let any = false;
        for (const n of selected) if (n in r.values) { values[n] = r.values[n]; any = true; }
        if (any) out.push({ seq: r.seq, t: r.t, values });
      }
      if (url.searchParams.get('format') === 'csv') {
        const cell = (x) => {
          if (x === undefined) return '';
          if (x === null) return 'NA';
          if (typeof x === 'object') return `${x.lat} ${x.lon}`;
          const str = String(x);
          return /[",\r\n]/.test(str) ? `"${str.replace(/"/g, '""')}"` : str;
        };
        const head = `vin,seq,capture_time,${selected.join(',')},reconstructed\n`;
        return send(res, 200, head + out.map((r) => [v.vin, r.seq, new Date(r.t).toISOString(), ...selected.map((n) => cell(r.values[n])), ''].join(',')).join('\n'), 'text/csv');
      }
      return send(res, 200, out);
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
