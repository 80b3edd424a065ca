import type { SignalValue, VehicleState } from '../api/types';
import { formatAge, formatClock, formatCount, linkBadge } from '../data/format';
import { DEFAULT_CARD_SIGNALS, formatValue, labelOf, newestValues, unitOf, type SignalIndex } from '../data/signals';
import type { LiveSample } from '../live/fleetStore';

export interface VehicleCardProps {
  vehicle: VehicleState;
  live: LiveSample | undefined;
  stored: number | undefined;
  now: number;
  selected: boolean;
  /** Wall-clock ms since the newest sample of this vehicle arrived (null: never). */
  silentMs: number | null;
  onSelect(vin: string): void;
  /** Present only in demo mode: the "dead zone now" toggle. */
  deadZone?: { on: boolean; busy: boolean; toggle(): void };
  /** The signals to show (canonical names), in order; default DEFAULT_CARD_SIGNALS. */
  signals?: readonly string[];
  /** The vehicle's catalogue (units, types); values are shown without units until it is known. */
  catalogue?: SignalIndex | null;
}

/** The charge state is shown too, whenever the vehicle is plugged in (not Disconnected/Unknown). */
const CHARGE_STATE = 'DetailedChargeState';
const UNPLUGGED = new Set(['Disconnected', 'Unknown', 'SNA', 'Invalid']);

/** Whole miles per hour on a card; everything else by its resolution and magnitude. */
const CARD_DECIMALS: Record<string, number> = { VehicleSpeed: 0, Soc: 1, Power: 1 };

export function cardSignals(selected: readonly string[], values: Record<string, SignalValue>): string[] {
  const out = [...selected];
  const cs = values[CHARGE_STATE];
  if (!out.includes(CHARGE_STATE) && typeof cs === 'string' && !UNPLUGGED.has(cs)) out.push(CHARGE_STATE);
  return out;
}

/** An online vehicle without a new sample for this long (wall time) gets a "no data" warning. */
const SILENT_MS = 5000;

const MODEL_NAMES: Record<string, string> = {
  model3: 'Model 3',
  modely: 'Model Y',
  models: 'Model S',
  modelsplaid: 'Model S Plaid',
  modelx: 'Model X',
  modelxplaid: 'Model X Plaid',
};

export function modelName(model: string | null | undefined): string {
  if (!model) return '—';
  return MODEL_NAMES[model.toLowerCase().replace(/[^a-z0-9]/g, '')] ?? model;
}

export function VehicleCard({ vehicle: v, live, stored, now, selected, silentMs, onSelect, deadZone, signals = DEFAULT_CARD_SIGNALS, catalogue }: VehicleCardProps) {
  const badge = linkBadge(v.link);
  const values = newestValues(v.latest, live, v.lastCaptureMs);
  const shown = cardSignals(signals, values);
  const lastCapture = Math.max(v.lastCaptureMs ?? 0, live?.t ?? 0) || null;
  const oldestAge = v.oldestBufferedMs !== null && v.oldestBufferedMs !== undefined ? now - v.oldestBufferedMs : null;
  return (
    <article
      className={`card link-${v.link}${selected ? ' selected' : ''}`}
      data-testid={`vehicle-card-${v.vin}`}
      data-link={v.link}
      data-last-capture-ms={lastCapture ?? ''}
      onClick={() => onSelect(v.vin)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect(v.vin);
        }
      }}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      aria-label={`${v.name}, ${badge.label}`}
    >
      <header className="card-head">
        <div>
          <h3 className="card-name">{v.name}</h3>
          <div className="card-sub">{modelName(v.model)}</div>
          <div className="card-vin mono">{v.vin}</div>
        </div>
        <span className={badge.className} data-testid={`link-state-${v.vin}`}>
          <span className="dot" aria-hidden="true" />
          {badge.label}
        </span>
      </header>
      {v.link === 'online' && silentMs !== null && silentMs > SILENT_MS && (
        <div className="silent" data-testid={`silent-${v.vin}`} title="the server still reports the link as online, but no new sample arrived">
          no data for {formatAge(silentMs)}
        </div>
      )}
      <dl className="card-metrics">
        {shown.map((name) => {
          const sig = catalogue?.get(name);
          const canonical = sig?.name ?? name;
          const value = values[canonical];
          const unit = unitOf(sig);
          const charging = canonical === CHARGE_STATE && (value === 'Charging' || value === 'Starting');
          return (
            <div key={name} data-testid={`card-signal-${v.vin}-${canonical}`} data-value={value === undefined ? '' : JSON.stringify(value)}>
              <dt title={canonical}>{labelOf(canonical)}</dt>
              <dd className={`${typeof value === 'string' ? 'state' : ''}${charging ? ' charging' : ''}`}>
                {typeof value === 'boolean' ? (
                  <span aria-label={value ? 'yes' : 'no'}>
                    <span aria-hidden="true" className={value ? 'bool-yes' : 'bool-no'}>
                      {value ? '● ' : '○ '}
                    </span>
                    {value ? 'yes' : 'no'}
                  </span>
                ) : (
                  formatValue(sig, value, typeof value === 'number' && sig?.type !== 'enum' ? CARD_DECIMALS[canonical] : undefined)
                )}{' '}
                {unit && value !== undefined && value !== null && <small>{unit}</small>}
                {canonical === 'Soc' && (
                  <span className="soc-bar" aria-hidden="true">
                    <span style={{ width: `${Math.max(0, Math.min(100, typeof value === 'number' ? value : 0))}%` }} />
                  </span>
                )}
              </dd>
            </div>
          );
        })}
        <div>
          <dt>Spool</dt>
          <dd data-testid={`spool-${v.vin}`}>
            {formatCount(v.spoolDepth)} <small>{v.spoolDepth <= 0 ? 'empty' : oldestAge === null ? 'buffered' : `oldest ${formatAge(oldestAge)}`}</small>
          </dd>
        </div>
        <div>
          <dt>Last capture</dt>
          <dd>
            {formatClock(lastCapture)} <small>{lastCapture ? `${formatAge(now - lastCapture)} ago` : ''}</small>
          </dd>
        </div>
      </dl>
      <footer className="card-foot">
        <span className="muted">{formatCount(stored ?? v.samplesStored)} stored</span>
        {deadZone && (
          <label className={`toggle${deadZone.on ? ' on' : ''}`} onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
            <input
              type="checkbox"
              role="switch"
              checked={deadZone.on}
              disabled={deadZone.busy}
              onChange={deadZone.toggle}
              data-testid={`deadzone-${v.vin}`}
              aria-label={`dead zone now for ${v.name}`}
            />
            <span className="toggle-track" aria-hidden="true">
              <span className="toggle-knob" />
            </span>
            dead zone now
          </label>
        )}
      </footer>
    </article>
  );
}
