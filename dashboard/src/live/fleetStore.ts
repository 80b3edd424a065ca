import type { LiveMessage, VehicleState } from '../api/types';
import { backoffMs } from '../data/format';

export type Connection =
  | { state: 'connecting'; attempt: number }
  | { state: 'open' }
  | { state: 'closed'; attempt: number; retryAt: number };

export interface LogLine {
  id: number;
  t: number;
  level: string;
  message: string;
}

/** The newest `sample` message seen for a vehicle. */
export type LiveSample = Extract<LiveMessage, { type: 'sample' }>;

export interface FleetSnapshot {
  connection: Connection;
  /** False until the first `snapshot` message arrived. */
  loaded: boolean;
  vehicles: VehicleState[];
  demo: boolean;
  logs: LogLine[];
  /** Bumped on every `snapshot` (every (re)connect): views reload their REST window. */
  epoch: number;
  /** Newest live sample per VIN (cards show it: `vehicle` messages come only on state changes). */
  latest: Record<string, LiveSample>;
  /** Samples stored per VIN: the last VehicleState count plus `stored` ranges seen since. */
  stored: Record<string, number>;
  /** Per VIN: the newest capture time seen and the wall-clock time it was first seen. */
  clocks: Record<string, VehicleClock>;
}

/**
 * A vehicle's capture clock, anchored at capture time `t` seen at wall time `seenAt` and running
 * at wall speed from there, so a vehicle in a dead zone keeps "aging" and its chart window keeps
 * moving. A sample newer than the clock re-anchors it; an older one (a drained backlog) leaves it
 * running, so the window never jumps back. `newest` and `heardAt` are the newest capture time seen
 * and the wall time it arrived. Per vehicle, because replays need not share a clock (a replay of
 * last week, another at 20x); a replay slower than real time is not supported.
 */
export interface VehicleClock {
  t: number;
  seenAt: number;
  newest: number;
  heardAt: number;
}

/** "Now" on a vehicle's capture clock (wall time when the vehicle was never heard of). */
export function vehicleNow(clock: VehicleClock | undefined, wallNow: number): number {
  // never before the newest sample: `wallNow` may be a slightly stale UI tick
  return clock ? Math.max(clock.newest, clock.t + Math.max(0, wallNow - clock.seenAt)) : wallNow;
}

/** The terminal keeps this many log lines; older ones are dropped. */
export const MAX_LOG_LINES = 500;

type SampleMsg = Extract<LiveMessage, { type: 'sample' }>;
type StoredMsg = Extract<LiveMessage, { type: 'stored' }>;

/**
 * Holds the fleet as the `/live` feed describes it and owns the WebSocket: connects, applies
 * messages, and after a close reconnects by itself with exponential backoff (0.5 s → 10 s).
 * Snapshots are immutable; React reads them through `subscribe`/`getSnapshot`. `sample` and
 * `stored` messages are not kept here (they are per vehicle view): they go to `onSample` /
 * `onStored` listeners. Not thread-aware: browsers run it on one thread.
 */
/** Shortest time a card shows "draining" (a small backlog drains faster than the eye). */
export const MIN_DRAINING_MS = 1500;

export class FleetStore {
  private snap: FleetSnapshot = {
    connection: { state: 'connecting', attempt: 0 },
    loaded: false,
    vehicles: [],
    demo: false,
    logs: [],
    epoch: 0,
    latest: {},
    stored: {},
    clocks: {},
  };
  private seqHigh = new Map<string, number>();
  private notifyTimer: ReturnType<typeof setTimeout> | null = null;
  private listeners = new Set<() => void>();
  private sampleListeners = new Set<(m: SampleMsg) => void>();
  private storedListeners = new Set<(m: StoredMsg) => void>();
  private ws: WebSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private logId = 0;
  private stopped = false;
  private drainingSince = new Map<string, number>();
  private pendingHold = new Map<string, number>();
  private holdId = 0;

  constructor(
    private readonly url: string,
    private readonly wallNow: () => number = Date.now,
  ) {}

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): FleetSnapshot => this.snap;

  onSample(fn: (m: SampleMsg) => void): () => void {
    this.sampleListeners.add(fn);
    return () => this.sampleListeners.delete(fn);
  }

  onStored(fn: (m: StoredMsg) => void): () => void {
    this.storedListeners.add(fn);
    return () => this.storedListeners.delete(fn);
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close();
    this.ws = null;
  }

  /** Applies one live message (public for tests). */
  apply(msg: LiveMessage): void {
    switch (msg.type) {
      case 'snapshot': {
        const vehicles = msg.vehicles ?? [];
        this.seqHigh.clear();
        const stored: Record<string, number> = {};
        vehicles.forEach((v) => this.absorb(v, stored));
        const clocks = { ...this.snap.clocks };
        vehicles.forEach((v) => advance(clocks, v.vin, v.lastCaptureMs, this.wallNow()));
        this.set({ vehicles: [...vehicles], demo: !!msg.demo, loaded: true, epoch: this.snap.epoch + 1, stored, clocks });
        break;
      }
      case 'vehicle': {
        const v = this.holdDraining(msg.vehicle);
        const i = this.snap.vehicles.findIndex((x) => x.vin === v.vin);
        const vehicles = i >= 0 ? this.snap.vehicles.map((x, j) => (j === i ? v : x)) : [...this.snap.vehicles, v];
        const stored = { ...this.snap.stored };
        this.absorb(v, stored);
        const clocks = { ...this.snap.clocks };
        advance(clocks, v.vin, v.lastCaptureMs, this.wallNow());
        this.set({ vehicles, stored, clocks });
        break;
      }
      case 'sample': {
        const prev = this.snap.latest[msg.vin];
        if (!prev || msg.t >= prev.t) this.snap.latest = { ...this.snap.latest, [msg.vin]: msg };
        const c = this.snap.clocks[msg.vin];
        if (!c || msg.t > c.newest) {
          const clocks = { ...this.snap.clocks };
          advance(clocks, msg.vin, msg.t, this.wallNow());
          this.snap.clocks = clocks;
        }
        this.sampleListeners.forEach((fn) => fn(msg));
        this.notifySoon();
        break;
      }
      case 'stored': {
        const high = this.seqHigh.get(msg.vin) ?? -1;
        if (msg.toSeq > high) {
          const added = msg.toSeq - Math.max(msg.fromSeq, high + 1) + 1;
          this.seqHigh.set(msg.vin, msg.toSeq);
          this.snap.stored = { ...this.snap.stored, [msg.vin]: (this.snap.stored[msg.vin] ?? 0) + added };
          this.notifySoon();
        }
        this.storedListeners.forEach((fn) => fn(msg));
        break;
      }
      case 'log': {
        const line: LogLine = { id: ++this.logId, t: msg.t, level: msg.level, message: msg.message };
        const logs = this.snap.logs.length >= MAX_LOG_LINES ? this.snap.logs.slice(-(MAX_LOG_LINES - 1)) : this.snap.logs.slice();
        logs.push(line);
        this.set({ logs });
        break;
      }
      default:
        // a newer server may send types this dashboard does not know: ignore them
        break;
    }
  }

  /**
   * A drain can finish within a few hundred milliseconds; the card keeps showing "draining" for at
   * least MIN_DRAINING_MS so an operator sees that a backlog arrived. The newest state is applied
   * when the hold ends (unless a newer message replaced it).
   */
  private holdDraining(v: VehicleState): VehicleState {
    const now = this.wallNow();
    this.pendingHold.delete(v.vin); // a newer state replaces any held one
    if (v.link === 'draining') {
      if (!this.drainingSince.has(v.vin)) this.drainingSince.set(v.vin, now);
      return v;
    }
    const since = this.drainingSince.get(v.vin);
    if (since === undefined) return v;
    const left = since + MIN_DRAINING_MS - now;
    if (v.link !== 'online' || left <= 0) {
      this.drainingSince.delete(v.vin);
      return v;
    }
    const held = ++this.holdId;
    this.pendingHold.set(v.vin, held);
    setTimeout(() => {
      if (this.pendingHold.get(v.vin) !== held) return;
      this.pendingHold.delete(v.vin);
      this.drainingSince.delete(v.vin);
      this.apply({ type: 'vehicle', vehicle: v });
    }, left);
    return { ...v, link: 'draining' };
  }

  private absorb(v: VehicleState, stored: Record<string, number>): void {
    stored[v.vin] = v.samplesStored ?? 0;
    this.seqHigh.set(v.vin, v.lastSeq ?? -1);
  }

  /** Live samples arrive at up to 10 Hz per vehicle: re-render at most 5 times a second. */
  private notifySoon(): void {
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      this.snap = { ...this.snap };
      this.listeners.forEach((fn) => fn());
    }, 200);
  }

  private connect(): void {
    if (this.stopped) return;
    this.set({ connection: { state: 'connecting', attempt: this.attempt } });
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.set({ connection: { state: 'open' } });
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      let msg: LiveMessage;
      try {
        msg = JSON.parse(ev.data) as LiveMessage;
      } catch {
        return; // not JSON: not part of the contract, skip it
      }
      this.apply(msg);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.scheduleReconnect();
    };
    // onerror is always followed by onclose, which reconnects
    ws.onerror = () => undefined;
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = backoffMs(this.attempt);
    this.set({ connection: { state: 'closed', attempt: this.attempt, retryAt: Date.now() + delay } });
    this.attempt++;
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private set(patch: Partial<FleetSnapshot>): void {
    this.snap = { ...this.snap, ...patch };
    this.listeners.forEach((fn) => fn());
  }
}

function advance(clocks: Record<string, VehicleClock>, vin: string, t: number | null | undefined, wallNow: number): void {
  if (t === null || t === undefined || !Number.isFinite(t)) return;
  const c = clocks[vin];
  if (c && t <= c.newest) return;
  if (!c || t >= vehicleNow(c, wallNow)) clocks[vin] = { t, seenAt: wallNow, newest: t, heardAt: wallNow };
  else clocks[vin] = { ...c, newest: t, heardAt: wallNow };
}

export function liveUrl(loc: Location = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/live`;
}
