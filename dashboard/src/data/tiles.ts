/**
 * The basemap of the drive map: a tile URL template (Leaflet's `{z}/{x}/{y}` or `{-y}`, optional `{s}`
 * and `{r}`), kept in localStorage under TILES_KEY; "off" draws the plain SVG track only. The default is
 * OpenStreetMap's standard tile server (its tile usage policy asks for the attribution we show and
 * for moderate use; a fleet operator with many viewers should point this at their own tile server).
 */
export const TILES_KEY = 'fleetlog.tiles';
export const OSM_TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';
export const TILES_OFF = 'off';
const MAX_LEN = 500;

/** Why a tile template is not usable, or null when it is. */
export function tileUrlProblem(url: string): string | null {
  const u = url.trim();
  if (u === TILES_OFF) return null;
  if (u.length === 0) return 'empty: give a URL template or "off"';
  if (u.length > MAX_LEN) return `longer than ${MAX_LEN} characters`;
  if (!/^(https?:\/\/[^/\s]+\/|\/)/i.test(u)) return 'must start with http://, https:// or / (this server)';
  if (/\s/.test(u)) return 'contains white space';
  // Leaflet throws on a placeholder it has no value for: only its own are allowed ({-y}: TMS rows)
  const unknown = (u.match(/\{[^}]*\}/g) ?? []).find((p) => !['{z}', '{x}', '{y}', '{-y}', '{s}', '{r}'].includes(p));
  if (unknown) return `unknown placeholder ${unknown} (allowed: {z} {x} {y} {-y} {s} {r})`;
  for (const p of ['{z}', '{x}']) if (!u.includes(p)) return `lacks ${p}`;
  if (!u.includes('{y}') && !u.includes('{-y}')) return 'lacks {y}';
  return null;
}

/** The saved template, or the default when none is saved or the saved one is not usable. */
export function loadTiles(): string {
  try {
    const v = localStorage.getItem(TILES_KEY);
    return v !== null && tileUrlProblem(v) === null ? v.trim() : OSM_TILES;
  } catch {
    return OSM_TILES;
  }
}

/** Saves a usable template (returns null) or returns the problem and saves nothing. */
export function saveTiles(url: string): string | null {
  const problem = tileUrlProblem(url);
  if (problem) return problem;
  try {
    if (url.trim() === OSM_TILES) localStorage.removeItem(TILES_KEY);
    else localStorage.setItem(TILES_KEY, url.trim());
  } catch {
    // private mode: the choice lasts for this page only
  }
  return null;
}

/** The host a template loads from, for the "tiles from …" note ("this server" for a path). */
export function tileHost(url: string): string {
  const m = url.match(/^https?:\/\/([^/]+)/i);
  return m ? m[1] : 'this server';
}

/**
 * What the map shows, from what its tile layer reported so far. Tiles that all fail (offline, a
 * wrong URL) fall back to the plain track; so does a basemap where nothing loaded within the
 * timeout (a blackholed host never fails, it only hangs).
 */
export type TileState = 'off' | 'loading' | 'loaded' | 'failed';

export interface TileProgress {
  loaded: number;
  failed: number;
  /** the layer reported that every tile in view is done (loaded or failed) */
  settled: boolean;
  timedOut: boolean;
}

export function tileState(enabled: boolean, p: TileProgress): TileState {
  if (!enabled) return 'off';
  if (p.loaded > 0) return 'loaded';
  if (p.timedOut || (p.settled && p.failed > 0)) return 'failed';
  return 'loading';
}

/** How long a basemap may show nothing before the plain track replaces it. */
export const TILE_TIMEOUT_MS = 8000;
