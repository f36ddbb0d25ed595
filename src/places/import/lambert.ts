/**
 * Lambert conformal conic (two standard parallels) on GRS80, inverse: projected metres to
 * WGS84 degrees (RGF93 and RGNC91-93 coincide with WGS84 to within a metre). Enough for the
 * projections the French police open data uses. No I/O.
 */
const A = 6378137;
const F = 1 / 298.257222101;
const E = Math.sqrt(2 * F - F * F);
const RAD = Math.PI / 180;

interface Lcc {
  lat1: number;
  lat2: number;
  lat0: number;
  lon0: number;
  x0: number;
  y0: number;
}

export const PROJECTIONS: Record<string, Lcc> = {
  // RGF93 / Lambert-93 (metropolitan France)
  '2154': { lat1: 49, lat2: 44, lat0: 46.5, lon0: 3, x0: 700_000, y0: 6_600_000 },
  // RGNC91-93 / Lambert New Caledonia
  '3163': { lat1: -20 - 40 / 60, lat2: -22 - 20 / 60, lat0: -21.5, lon0: 166, x0: 400_000, y0: 300_000 },
};

const m = (phi: number) => Math.cos(phi) / Math.sqrt(1 - E * E * Math.sin(phi) ** 2);
const t = (phi: number) =>
  Math.tan(Math.PI / 4 - phi / 2) / ((1 - E * Math.sin(phi)) / (1 + E * Math.sin(phi))) ** (E / 2);

/** [lat, lon] in degrees of projected coordinates, or null for an unknown EPSG code. */
export function unproject(epsg: string, x: number, y: number): [number, number] | null {
  const p = PROJECTIONS[epsg];
  if (!p) return null;
  const phi1 = p.lat1 * RAD;
  const phi2 = p.lat2 * RAD;
  const n = (Math.log(m(phi1)) - Math.log(m(phi2))) / (Math.log(t(phi1)) - Math.log(t(phi2)));
  const bigF = m(phi1) / (n * t(phi1) ** n);
  const rho0 = A * bigF * t(p.lat0 * RAD) ** n;
  const dx = x - p.x0;
  const dy = rho0 - (y - p.y0);
  const sign = Math.sign(n);
  const rho = sign * Math.sqrt(dx * dx + dy * dy);
  const tt = (rho / (A * bigF)) ** (1 / n);
  const theta = Math.atan2(sign * dx, sign * dy);
  let phi = Math.PI / 2 - 2 * Math.atan(tt);
  for (let i = 0; i < 20; i++) {
    const next =
      Math.PI / 2 - 2 * Math.atan(tt * ((1 - E * Math.sin(phi)) / (1 + E * Math.sin(phi))) ** (E / 2));
    if (Math.abs(next - phi) < 1e-12) break;
    phi = next;
  }
  return [phi / RAD, theta / n / RAD + p.lon0];
}
