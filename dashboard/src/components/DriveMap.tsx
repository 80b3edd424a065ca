import { useEffect, useMemo, useRef, useState } from 'react';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import type { Point } from '../data/series';
import { trackPieces } from '../data/sessions';
import { loadTiles, OSM_ATTRIBUTION, OSM_TILES, saveTiles, TILE_TIMEOUT_MS, TILES_OFF, tileHost, tileState, type TileProgress } from '../data/tiles';
import { RouteMap } from './RouteMap';

const LIVE_COLOR = '#22d3ee';
const BACKFILL_COLOR = '#fbbf24';
const NO_PROGRESS: TileProgress = { loaded: 0, failed: 0, settled: false, timedOut: false };

/**
 * A session's route on a tile basemap (Leaflet; the tile URL is the user's `fleetlog.tiles`
 * setting, OpenStreetMap by default) with the live track cyan and backfilled pieces amber. When the
 * tiles are off, fail, or load nothing within TILE_TIMEOUT_MS, the plain SVG track (RouteMap) is
 * shown instead, so an offline dashboard still shows the route.
 */
export function DriveMap({ points }: { points: Point[] }) {
  const [tiles, setTiles] = useState(loadTiles);
  const [progress, setProgress] = useState<TileProgress>(NO_PROGRESS);
  const enabled = tiles !== TILES_OFF;
  const state = tileState(enabled, progress);
  const failed = state === 'failed';
  const pieces = useMemo(() => trackPieces(points), [points]);
  const hasTrack = pieces.some((p) => p.latlngs.length > 0);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = ref.current;
    if (!enabled || failed || !el || !hasTrack) return;
    const map = L.map(el, { scrollWheelZoom: false, attributionControl: true });
    // the server's Referrer-Policy is no-referrer; OSM's tile policy asks browsers for a Referer: the origin only
    const layer = L.tileLayer(tiles, { maxZoom: 19, referrerPolicy: 'strict-origin-when-cross-origin', attribution: tiles === OSM_TILES ? OSM_ATTRIBUTION : `tiles: ${tileHost(tiles)}` });
    layer.on('tileload', () => setProgress((p) => ({ ...p, loaded: p.loaded + 1 })));
    layer.on('tileerror', () => setProgress((p) => ({ ...p, failed: p.failed + 1 })));
    layer.on('load', () => setProgress((p) => ({ ...p, settled: true })));
    // the view first: vector layers added to a map without one fail to clip (Leaflet needs its pixel bounds)
    const all = pieces.flatMap((p) => p.latlngs);
    map.fitBounds(L.latLngBounds(all), { padding: [18, 18], maxZoom: 17 });
    for (const p of pieces) if (p.latlngs.length > 0) L.polyline(p.latlngs, { color: p.backfilled ? BACKFILL_COLOR : LIVE_COLOR, weight: p.backfilled ? 5 : 4, opacity: 0.9 }).addTo(map);
    L.circleMarker(all[0], { radius: 6, color: '#22c55e', fillOpacity: 0.9 }).bindTooltip('start').addTo(map);
    L.circleMarker(all[all.length - 1], { radius: 6, color: '#ef4444', fillOpacity: 0.9 }).bindTooltip('end').addTo(map);
    layer.addTo(map);
    const timer = setTimeout(() => setProgress((p) => ({ ...p, timedOut: true })), TILE_TIMEOUT_MS);
    return () => {
      clearTimeout(timer);
      map.remove();
    };
  }, [enabled, failed, tiles, pieces, hasTrack]);

  const choose = (url: string): string | null => {
    const problem = saveTiles(url);
    if (!problem) {
      setProgress(NO_PROGRESS);
      setTiles(url.trim());
    }
    return problem;
  };
  const showTiles = enabled && !failed && hasTrack;
  return (
    <figure className="chart drive-map" data-testid="drive-map" data-tiles={hasTrack ? state : 'no-track'} data-tile-url={tiles}>
      <figcaption>
        <span>Route</span>
        <span className="muted small">
          {!hasTrack ? 'no position data' : state === 'off' ? 'plain track (map tiles off)' : failed ? `map tiles unavailable from ${tileHost(tiles)}: plain track` : state === 'loaded' ? `map: ${tileHost(tiles)}` : 'loading map…'}
        </span>
        <TileSettings tiles={tiles} choose={choose} />
      </figcaption>
      {showTiles ? <div ref={ref} className="leaflet-box" data-testid="drive-map-tiles" role="img" aria-label="route of the drive on a map" /> : <RouteMap points={points} caption="GPS track" bare />}
    </figure>
  );
}

function TileSettings({ tiles, choose }: { tiles: string; choose(url: string): string | null }) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(tiles);
  const [error, setError] = useState<string | null>(null);
  const apply = (url: string) => {
    const problem = choose(url);
    setError(problem);
    if (!problem) {
      setDraft(url);
      setOpen(false);
    }
  };
  return (
    <span className="tile-settings">
      <button className="icon-btn small" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="tiles-toggle" title="map tiles">
        ⚙ Tiles
      </button>
      {open && (
        <span className="tile-panel" data-testid="tiles-panel">
          <label className="small muted" htmlFor="tiles-input">
            Tile URL ({'{z}/{x}/{y}'}), or “off”
          </label>
          <input id="tiles-input" data-testid="tiles-input" value={draft} onChange={(e) => setDraft(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && apply(draft)} spellCheck={false} />
          <span className="tile-buttons">
            <button className="btn" onClick={() => apply(draft)} data-testid="tiles-save">
              Save
            </button>
            <button className="btn" onClick={() => apply(OSM_TILES)} data-testid="tiles-osm">
              OpenStreetMap
            </button>
            <button className="btn" onClick={() => apply(TILES_OFF)} data-testid="tiles-off">
              Off
            </button>
          </span>
          {error && (
            <span className="notice error" role="alert" data-testid="tiles-error">
              {error}
            </span>
          )}
        </span>
      )}
    </span>
  );
}
