import type { ChartRow } from './series';

/** Below this distance (miles) Wh/mi is undefined: standing still would divide by ~zero. */
export const MIN_DISTANCE_MI = 0.02;

/**
 * Watt-hours per mile from energy (kWh, negative = net regeneration) and distance (mi).
 * Returns null when the distance is too small or not finite; a negative result means the
 * vehicle recovered more energy than it used over that distance.
 */
export function whPerMile(energyKwh: number, distanceMi: number): number | null {
  if (!Number.isFinite(energyKwh) || !Number.isFinite(distanceMi)) return null;
  if (distanceMi < MIN_DISTANCE_MI) return null;
  return (energyKwh * 1000) / distanceMi;
}

/**
 * Fills `efficiency` (Wh/mi) of each row over the trailing `windowMs`: energy is the trapezoid
 * integral of power between consecutive rows, distance the odometer-based `distance` delta.
 * The integral never crosses a null (gap) row, so a dead zone neither invents nor loses energy;
 * after a gap the rolling window restarts. Rows are modified in place and returned.
 */
export function fillRollingEfficiency(rows: ChartRow[], windowMs: number): ChartRow[] {
  // cumulative energy (kWh) at each row, reset (segment id bumped) at every gap row
  const energy: number[] = new Array(rows.length).fill(0);
  const segment: number[] = new Array(rows.length).fill(0);
  let seg = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.count === 0) {
      seg++;
      segment[i] = seg;
      energy[i] = 0;
      continue;
    }
    segment[i] = seg;
    const prev = i > 0 ? rows[i - 1] : undefined;
    if (prev && prev.count > 0 && segment[i - 1] === seg && r.power !== null && prev.power !== null) {
      const hours = (r.t - prev.t) / 3_600_000;
      energy[i] = energy[i - 1] + ((r.power + prev.power) / 2) * hours;
    } else {
      energy[i] = i > 0 && segment[i - 1] === seg ? energy[i - 1] : 0;
    }
  }
  let start = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    r.efficiency = null;
    if (r.count === 0) continue;
    while (start < i && (segment[start] !== segment[i] || rows[start].count === 0 || r.t - rows[start].t > windowMs)) {
      start++;
    }
    const s = rows[start];
    if (start === i || r.distance === null || s.distance === null) continue;
    r.efficiency = whPerMile(energy[i] - energy[start], r.distance - s.distance);
  }
  return rows;
}
