/**
 * CSV records (RFC 4180 quoting, `;` or `,`, BOM and CRLF tolerated) and the layout of the
 * official police open-data file (`export-pn.csv`). No I/O.
 */
import { unproject } from './lambert.ts';
import { ImportFormatError, num, type ParsedPlace, text } from './types.ts';

/** Rows of fields, with the line number each row starts on. */
export function parseCsv(input: string): { line: number; fields: string[] }[] {
  const s = input.replace(/^\uFEFF/, '');
  const firstLine = s.slice(0, s.indexOf('\n') === -1 ? s.length : s.indexOf('\n'));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== '') rows.push({ line: rowLine, fields });
      fields = [];
      field = '';
      line++;
      rowLine = line;
    } else field += c;
  }
  if (field !== '' || fields.length) {
    fields.push(field);
    rows.push({ line: rowLine, fields });
  }
  return rows;
}

const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The columns a police CSV needs, as the refusal of a file without them says. */
export const POLICE_CSV_COLUMNS =
  'a name column (service, nom or name) and coordinate columns (geocodage_y_GPS and ' +
  'geocodage_x_GPS, latitude and longitude, lat and lon, or geocodage_x and geocodage_y with geocodage_epsg)';

/**
 * Records of a police/gendarmerie CSV. Coordinates: WGS84 columns, else unprojected x/y.
 * A file without a name or coordinate column is refused as a whole: each of its rows would be
 * rejected for the same reason, and nothing would say it is the wrong file.
 */
export function parsePoliceCsv(input: string, fileName = 'the CSV file'): ParsedPlace[] {
  const [header, ...rows] = parseCsv(input);
  if (!header)
    throw new ImportFormatError(`${fileName} is empty: expected a header line with ${POLICE_CSV_COLUMNS}`);
  const col = (...names: string[]) => {
    for (const n of names) {
      const i = header.fields.findIndex((h) => h.trim().toLowerCase() === n.toLowerCase());
      if (i >= 0) return i;
    }
    return -1;
  };
  const c = {
    name: col('service', 'nom', 'name'),
    address: col('adresse_geographique', 'adresse'),
    phone: col('telephone', 'téléphone', 'phone'),
    insee: col('code_commune_insee', 'code_insee'),
    postcode: col('code_postal'),
    epsg: col('geocodage_epsg'),
    x: col('geocodage_x'),
    y: col('geocodage_y'),
    lon: col('geocodage_x_gps', 'longitude', 'lon'),
    lat: col('geocodage_y_gps', 'latitude', 'lat'),
    id: col('id', 'identifiant'),
    kind: col('kind', 'type'),
  };
  const missing = [
    ...(c.name < 0 ? ['name'] : []),
    ...((c.lat < 0 || c.lon < 0) && (c.x < 0 || c.y < 0) ? ['coordinate'] : []),
  ];
  if (missing.length) {
    throw new ImportFormatError(
      `${fileName}: its header has no ${missing.join(' and no ')} column; a police CSV needs ${POLICE_CSV_COLUMNS}`,
    );
  }
  return rows.map(({ line, fields }) => {
    const get = (i: number) => (i >= 0 ? text(fields[i]) : null);
    const name = get(c.name);
    let lat = num(get(c.lat));
    let lon = num(get(c.lon));
    let rejectReason: string | undefined;
    if (lat === null || lon === null) {
      const epsg = get(c.epsg) ?? '';
      const x = num(get(c.x));
      const y = num(get(c.y));
      const converted = x !== null && y !== null ? unproject(epsg, x, y) : null;
      if (converted) [lat, lon] = converted;
      else if (x !== null && y !== null) rejectReason = `unsupported projection EPSG:${epsg || '?'}`;
    }
    const rawKind = get(c.kind);
    const kind = rawKind
      ? rawKind === 'police' || rawKind === 'gendarmerie'
        ? rawKind
        : { unknown: rawKind }
      : /gendarmerie|brigade/i.test(name ?? '')
        ? 'gendarmerie'
        : 'police';
    const insee = get(c.insee);
    return {
      row: line,
      sourceId: get(c.id) ?? (name ? `${insee ?? ''}:${slug(name)}` : null),
      name,
      kind,
      lat,
      lon,
      address: get(c.address),
      phone: get(c.phone),
      openingHours: null,
      accessibility: null,
      postcode: insee ?? get(c.postcode),
      ...(rejectReason ? { rejectReason } : {}),
    } satisfies ParsedPlace;
  });
}
