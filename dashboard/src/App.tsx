import { useCallback, useEffect, useMemo, useState } from 'react';
import { FleetHeader } from './components/FleetHeader';
import { Terminal } from './components/Terminal';
import { VehicleCard } from './components/VehicleCard';
import { SignalPicker } from './components/SignalPicker';
import { VehicleView } from './components/VehicleView';
import { CARD_SIGNALS_KEY, DEFAULT_CARD_SIGNALS, isChartable, loadSelection, newestValues, saveSelection } from './data/signals';
import type { SignalInfo } from './api/types';
import { catalogueKey, useCatalogues } from './live/useCatalogue';
import { vehicleNow } from './live/fleetStore';
import { useFleet, useNow } from './live/hooks';
import { useDemo } from './live/useDemo';
import { parseRoute, routeVin } from './data/sessions';
import { ChargeDetail, ChargesPage, DriveDetail, DrivesPage } from './components/SessionPages';

const routeNow = () => parseRoute(window.location.hash);

export function App() {
  const fleet = useFleet();
  const wallNow = useNow(1000);
  const demo = useDemo(fleet.epoch, fleet.loaded && fleet.connection.state === 'open' ? fleet.demo : null);
  const [route, setRoute] = useState(routeNow);
  const selected = routeVin(route);

  useEffect(() => {
    const onHash = () => setRoute(routeNow());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const select = useCallback((vin: string | null) => {
    window.location.hash = vin ? `#/vehicle/${encodeURIComponent(vin)}` : '';
    setRoute(vin ? { page: 'live', vin } : { page: 'fleet' });
    // one column (phone, narrow window): the charts are below all cards, bring them into view
    if (vin && window.matchMedia('(max-width: 1100px)').matches) {
      requestAnimationFrame(() => document.querySelector('.detail')?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
    }
  }, []);

  const [cardSignals, setCardSignals] = useState(() => loadSelection(CARD_SIGNALS_KEY, DEFAULT_CARD_SIGNALS));
  const chooseCardSignals = useCallback((names: string[]) => {
    setCardSignals(names);
    saveSelection(CARD_SIGNALS_KEY, names);
  }, []);
  const catalogues = useCatalogues(fleet.vehicles);
  // the card settings offer every signal of the fleet's catalogues (a location is shown as lat, lon)
  const fleetSignals = useMemo(() => {
    const byName = new Map<string, SignalInfo>();
    for (const idx of catalogues.values()) for (const s of idx.signals) if (!byName.has(s.name) && (isChartable(s) || s.type === 'location')) byName.set(s.name, s);
    return [...byName.values()];
  }, [catalogues]);
  const fleetWithData = useMemo(() => {
    const names = new Set<string>();
    for (const v of fleet.vehicles) for (const k of Object.keys(v.latest ?? {})) names.add(k);
    return names;
  }, [fleet.vehicles]);

  const vehicle = fleet.vehicles.find((v) => v.vin === selected);
  const deadZones = new Map((demo.state?.vehicles ?? []).map((d) => [d.vin, d.deadZone]));
  const closed = fleet.connection.state === 'closed' || (fleet.connection.state === 'connecting' && fleet.connection.attempt > 0);

  return (
    <div className="app">
      <FleetHeader fleet={fleet} now={wallNow} />
      {closed && (
        <div className="banner" role="alert" data-testid="disconnected-banner">
          <strong>Server unreachable.</strong> The live feed is disconnected; reconnecting automatically
          {fleet.connection.state === 'closed' ? ` in ${Math.max(0, Math.ceil((fleet.connection.retryAt - wallNow) / 1000))} s` : '…'}. Values below may
          be stale.
        </div>
      )}
      <main className={`layout${closed ? ' stale' : ''}`}>
        <section className="fleet" aria-label="fleet">
          <div className="section-head">
            <h2>Fleet</h2>
            <span className="muted small">{fleet.loaded && fleet.vehicles.length > 0 ? `${fleet.vehicles.length} vehicles · click one for live charts` : ''}</span>
            {fleetSignals.length > 0 && (
              <div className="section-tools">
                <SignalPicker
                  id="card-signals"
                  label="Card signals"
                  title="Signals on the cards"
                  signals={fleetSignals}
                  withData={fleetWithData}
                  selected={cardSignals}
                  onChange={chooseCardSignals}
                  defaults={DEFAULT_CARD_SIGNALS}
                />
              </div>
            )}
          </div>
          {!fleet.loaded ? (
            <div className="placeholder" data-testid="fleet-loading">
              <span className="spinner" aria-hidden="true" /> {fleet.connection.state === 'closed' ? 'waiting for the server…' : 'loading the fleet…'}
            </div>
          ) : fleet.vehicles.length === 0 ? (
            <div className="placeholder" data-testid="fleet-empty">
              No vehicles yet — they appear here as soon as an edge connects.
            </div>
          ) : (
            <div className="grid" data-testid="fleet-grid">
              {fleet.vehicles.map((v) => (
                <VehicleCard
                  key={v.vin}
                  vehicle={v}
                  live={fleet.latest[v.vin]}
                  stored={fleet.stored[v.vin]}
                  now={vehicleNow(fleet.clocks[v.vin], wallNow)}
                  silentMs={fleet.clocks[v.vin] ? wallNow - fleet.clocks[v.vin].heardAt : null}
                  selected={v.vin === selected}
                  signals={cardSignals}
                  catalogue={catalogues.get(catalogueKey(v)) ?? null}
                  onSelect={(vin) => select(vin === selected && route.page === 'live' ? null : vin)}
                  deadZone={
                    demo.available && deadZones.has(v.vin)
                      ? { on: !!deadZones.get(v.vin), busy: demo.busy, toggle: () => void demo.deadZone(v.vin, !deadZones.get(v.vin)) }
                      : undefined
                  }
                />
              ))}
            </div>
          )}
        </section>
        <div className="detail">
          {route.page === 'drives' ? (
            <DrivesPage key={route.vin} vin={route.vin} vehicle={vehicle} />
          ) : route.page === 'drive' ? (
            <DriveDetail key={`${route.vin}/${route.id}`} vin={route.vin} id={route.id} vehicle={vehicle} />
          ) : route.page === 'charges' ? (
            <ChargesPage key={route.vin} vin={route.vin} vehicle={vehicle} />
          ) : route.page === 'charge' ? (
            <ChargeDetail key={`${route.vin}/${route.id}`} vin={route.vin} id={route.id} vehicle={vehicle} />
          ) : vehicle ? (
            <VehicleView
              key={vehicle.vin}
              vehicle={vehicle}
              captureNow={vehicleNow(fleet.clocks[vehicle.vin], wallNow)}
              values={newestValues(vehicle.latest, fleet.latest[vehicle.vin], vehicle.lastCaptureMs)}
              onClose={() => select(null)}
            />
          ) : (
            <section className="panel placeholder-panel">
              <div className="placeholder">Select a vehicle to chart its signals live: speed, power, charge, gear and charge state bands, any other signal it sends, and its route.</div>
            </section>
          )}
          <Terminal logs={fleet.logs} demo={demo} vehicles={fleet.vehicles} />
        </div>
      </main>
    </div>
  );
}
