import type { Connection, FleetSnapshot } from '../live/fleetStore';
import { fleetTotals, formatCount } from '../data/format';

function connectionText(c: Connection, now: number): { label: string; cls: string } {
  switch (c.state) {
    case 'open':
      return { label: 'live', cls: 'conn conn-open' };
    case 'connecting':
      return { label: c.attempt === 0 ? 'connecting…' : 'reconnecting…', cls: 'conn conn-connecting' };
    case 'closed':
      return { label: `disconnected — retry in ${Math.max(0, Math.ceil((c.retryAt - now) / 1000))} s`, cls: 'conn conn-closed' };
  }
}

export function FleetHeader({ fleet, now }: { fleet: FleetSnapshot; now: number }) {
  const vehicles = fleet.vehicles.map((v) => ({ ...v, samplesStored: fleet.stored[v.vin] ?? v.samplesStored }));
  const totals = fleetTotals(vehicles);
  const conn = connectionText(fleet.connection, now);
  return (
    <header className="topbar">
      <div className="brand">
        <svg width="26" height="26" viewBox="0 0 16 16" aria-hidden="true">
          <rect width="16" height="16" rx="4" fill="var(--accent)" />
          <path d="M3 11 L6 7 L9 9 L13 4" stroke="var(--bg)" strokeWidth="2" fill="none" />
        </svg>
        <div>
          <div className="brand-name">fleetlog</div>
          <div className="brand-sub">live fleet telemetry</div>
        </div>
      </div>
      <dl className="totals" data-testid="fleet-totals">
        <div>
          <dt>Online</dt>
          <dd data-testid="total-online">
            {totals.online}
            <small>/{totals.vehicles}</small>
          </dd>
        </div>
        <div>
          <dt>Samples stored</dt>
          <dd data-testid="total-samples">{formatCount(totals.samplesStored)}</dd>
        </div>
        <div>
          <dt>On vehicles</dt>
          <dd>{formatCount(totals.spooled)}</dd>
        </div>
        <div>
          <dt>Bandwidth saved</dt>
          <dd data-testid="total-saved" title="1 − wire bytes per sample / full protobuf bytes per sample">
            {totals.bandwidthSaved === null ? '—' : `${(totals.bandwidthSaved * 100).toFixed(1)}%`}
          </dd>
        </div>
      </dl>
      <div className={conn.cls} data-testid="connection-status" data-state={fleet.connection.state} role="status">
        <span className="dot" aria-hidden="true" />
        {conn.label}
      </div>
    </header>
  );
}
