/** The PostGIS side of the nearest-refuge benchmark: table, index and query. */

export const POSTGIS_SCHEMA = `
CREATE TABLE places_knn (
  id text PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL,
  geog geography(Point, 4326) NOT NULL,
  open_week int4multirange,
  closed_until bigint
);`;
export const POSTGIS_INDEX = 'CREATE INDEX places_knn_geog ON places_knn USING gist (geog)';

/** $1 lon, $2 lat, $3 local minute of the week, $4 instant (epoch ms), $5 limit. */
export const NEAREST_SQL = `
SELECT id, name, kind, ST_Y(geog::geometry) AS lat, ST_X(geog::geometry) AS lon,
       round(ST_Distance(geog, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, false))::int AS "distanceM"
FROM places_knn
WHERE open_week @> $3::int AND (closed_until IS NULL OR closed_until <= $4::bigint)
ORDER BY geog <-> ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography
LIMIT $5`;

const fmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Minutes since Monday 00:00 in Europe/Paris (the synthetic places are all in metropolitan France). */
export function minuteOfWeek(at: number): number {
  const parts = Object.fromEntries(fmt.formatToParts(at).map((p) => [p.type, p.value]));
  return DAYS.indexOf(parts.weekday) * 1440 + Number(parts.hour) * 60 + Number(parts.minute);
}
