/** Types of the server contract (docs/api.md). Times are Unix epoch milliseconds. */

export type Link = 'online' | 'offline' | 'draining';

export const FIELD_KEYS = [
  'speed',
  'power',
  'soc',
  'heading',
  'odometer',
  'latitude',
  'longitude',
  'elevation',
] as const;
export type FieldKey = (typeof FIELD_KEYS)[number];
export type Fields = Partial<Record<FieldKey, number | null>>;

export interface VehicleState {
  vin: string;
  name: string;
  model: string;
  link: Link;
  spoolDepth: number;
  oldestBufferedMs: number | null;
  lastSeq: number | null;
  samplesStored: number;
  lastCaptureMs: number | null;
  latest: Fields | null;
  bytesReceived: number;
  bytesPerSample: number | null;
  fullProtobufBytesPerSample: number | null;
  gaps: number;
}

/** One stored sample as served by `GET /api/vehicles/{vin}/samples?format=json`. */
export interface StoredSample extends Fields {
  seq: number;
  t: number;
  reconstructed?: string[];
}

export type LiveMessage =
  | { type: 'snapshot'; vehicles: VehicleState[]; demo: boolean }
  | { type: 'vehicle'; vehicle: VehicleState }
  | ({ type: 'sample'; vin: string; seq: number; t: number } & Fields)
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
