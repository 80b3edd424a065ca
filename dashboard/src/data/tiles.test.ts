// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { loadTiles, OSM_TILES, saveTiles, TILES_KEY, tileHost, tileState, tileUrlProblem } from './tiles';

afterEach(() => localStorage.clear());

describe('tile setting', () => {
  it('accepts Leaflet templates over http(s) or from this server, and "off"', () => {
    expect(tileUrlProblem(OSM_TILES)).toBeNull();
    expect(tileUrlProblem('https://{s}.tile.example.org/{z}/{x}/{y}{r}.png')).toBeNull();
    expect(tileUrlProblem('/tiles/{z}/{x}/{y}.png')).toBeNull();
    expect(tileUrlProblem('off')).toBeNull();
  });

  it('refuses what cannot be a tile URL, naming why', () => {
    expect(tileUrlProblem('')).toMatch(/empty/);
    expect(tileUrlProblem('javascript:alert(1)/{z}/{x}/{y}')).toMatch(/must start with/);
    expect(tileUrlProblem('https://tiles.example.org/{z}/{x}.png')).toBe('lacks {y}');
    expect(tileUrlProblem('https://a b/{z}/{x}/{y}')).toMatch(/must start|white space/);
    expect(tileUrlProblem(`https://x.org/{z}/{x}/{y}${'a'.repeat(600)}`)).toMatch(/longer than/);
    expect(tileUrlProblem('https://x.org/{z}/{x}/{y}.png?key={apikey}')).toMatch(/unknown placeholder \{apikey\}/);
    expect(tileUrlProblem('https://x.org/tms/{z}/{x}/{-y}.png')).toBeNull();
  });

  it('is saved in localStorage; a bad saved value falls back to OpenStreetMap', () => {
    expect(loadTiles()).toBe(OSM_TILES);
    expect(saveTiles('/tiles/{z}/{x}/{y}.png')).toBeNull();
    expect(loadTiles()).toBe('/tiles/{z}/{x}/{y}.png');
    expect(saveTiles('nonsense')).toMatch(/must start/);
    expect(loadTiles()).toBe('/tiles/{z}/{x}/{y}.png');
    expect(saveTiles('off')).toBeNull();
    expect(loadTiles()).toBe('off');
    localStorage.setItem(TILES_KEY, 'ftp://x/{z}/{x}/{y}');
    expect(loadTiles()).toBe(OSM_TILES);
    expect(tileHost(OSM_TILES)).toBe('tile.openstreetmap.org');
    expect(tileHost('/t/{z}/{x}/{y}.png')).toBe('this server');
  });
});

describe('tile state', () => {
  const p = (loaded: number, failed: number, settled = false, timedOut = false) => ({ loaded, failed, settled, timedOut });
  it('shows the basemap once a tile loaded, the plain track when all failed or nothing came in time', () => {
    expect(tileState(false, p(5, 0))).toBe('off');
    expect(tileState(true, p(0, 0))).toBe('loading');
    expect(tileState(true, p(0, 3))).toBe('loading'); // more tiles may still come
    expect(tileState(true, p(0, 3, true))).toBe('failed');
    expect(tileState(true, p(0, 0, false, true))).toBe('failed');
    expect(tileState(true, p(1, 3, true, true))).toBe('loaded');
  });
});
