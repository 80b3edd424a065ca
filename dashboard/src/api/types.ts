/** Types of the server contract (docs/api.md, issue 13's v2). Times are Unix epoch milliseconds. */

export type Link = 'online' | 'offline' | 'draining';

/** A position, the value of a `location` signal. */
export interface LatLon {
  lat: number;
  lon: number;
}

/**
 * A signal value in JSON, by the signal's catalogue type: float and integer → number, boolean →
 * true/false, enum → the value's name, string → string, location → {lat, lon}; captured but
 * unavailable → null. A signal that was NOT captured has no key at all.
 */
export type SignalValue = number | boolean | string | LatLon | null;

/** Signal values by canonical signal name (`VehicleSpeed`, `Gear`, `Location`, …). */
export type Values = Record<string, SignalValue>;

export type SignalType = 'float' | 'integer' | 'boolean' | 'enum' | 'string' | 'location';

/** One signal of a vehicle's catalogue (`GET /api/vehicles/{vin}/signals`). */
export interface SignalInfo {
  id: number;
  name: string;
  aliases?: string[];
  type: SignalType | string;
  unit?: string;
  resolution?: number;
  bound?: number;
  circular?: boolean;
  min?: number;
  max?: number;
  /** enum only: the named values */
  values?: Array<{ code: number; name: string }>;
  /** string only */
  maxlength?: number;
}

export interface CatalogueInfo {
  /** the catalogue's shortId (16 hex) */
  catalogue: string;
  hash: string;
  signals: SignalInfo[];
}

export interface VehicleState {
  vin: string;
  name: string;
  model: string;
  link: Link;
  /** shortId of the vehicle's catalogue (absent on a server before issue 13) */
  catalogue?: string | null;
  spoolDepth: number;
  oldestBufferedMs: number | null;
  lastSeq: number | null;
  samplesStored: number;
  lastCaptureMs: number | null;
  /** The newest value of every signal captured since the server started, or null. */
  latest: Values | null;
  bytesReceived: number;
  bytesPerSample: number | null;
  fullProtobufBytesPerSample: number | null;
  gaps: number;
}

/** One stored frame as served by `GET /api/vehicles/{vin}/samples?format=json`. */
export interface StoredSample {
  seq: number;
  t: number;
  /** the selected signals captured in this frame */
  values: Values;
  /** selected signals whose value is a prediction (omitted on the wire) */
  reconstructed?: string[];
}

export type LiveMessage =
  | { type: 'snapshot'; vehicles: VehicleState[]; demo: boolean }
  | { type: 'vehicle'; vehicle: VehicleState }
  /** `values`: the merged newest values (same as `latest`), not only the last frame's */
  | { type: 'sample'; vin: string; seq: number; t: number; values: Values }
  | { type: 'stored'; vin: string; fromSeq: number; toSeq: number; fromMs: number; toMs: number }
  | { type: 'log'; t: number; level: string; message: string };

export interface DemoVehicle {
  vin: string;
  name: string;
  deadZone: boolean;
}

export interface DemoState {
  running: boolean;
  vehicles: DemoVehicle[];
}

export interface Summary {
  vin: string;
  samples: number;
  distanceMi: number | null;
  energyKwh: number | null;
  whPerMi: number | null;
  onlineSeconds: number | null;
  offlineSeconds: number | null;
}
