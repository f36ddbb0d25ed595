/** OpenStreetMap tags → a Havre place (kind, address, phone, hours, wheelchair). No I/O. */
import { type Accessibility, isPlaceKind, type PlaceKind } from '../kinds.ts';
import { type ParsedPlace, text } from './types.ts';

const AMENITY: Record<string, PlaceKind> = {
  bar: 'bar',
  pub: 'bar',
  biergarten: 'bar',
  restaurant: 'restaurant',
  cafe: 'restaurant',
  fast_food: 'restaurant',
  food_court: 'restaurant',
  ice_cream: 'restaurant',
  nightclub: 'nightclub',
  pharmacy: 'pharmacy',
  townhall: 'institution',
  library: 'institution',
  community_centre: 'institution',
  social_centre: 'institution',
  courthouse: 'institution',
  post_office: 'institution',
  bus_station: 'transport',
  ferry_terminal: 'transport',
  social_facility: 'association',
};
const TOURISM = new Set(['hotel', 'hostel', 'guest_house', 'motel']);

export type Tags = Record<string, unknown>;

/** The kind of an OSM object, or the tag that could not be mapped. */
export function kindFromTags(tags: Tags): PlaceKind | { unknown: string } {
  const amenity = text(tags.amenity);
  if (amenity === 'police') {
    const who = `${text(tags['police:FR']) ?? ''} ${text(tags.operator) ?? ''} ${text(tags.name) ?? ''}`;
    return /gendarmerie/i.test(who) ? 'gendarmerie' : 'police';
  }
  if (amenity && AMENITY[amenity]) return AMENITY[amenity];
  if (text(tags.healthcare) === 'pharmacy') return 'pharmacy';
  if (TOURISM.has(text(tags.tourism) ?? '')) return 'hotel';
  const shop = text(tags.shop);
  if (shop && shop !== 'no' && shop !== 'vacant') return 'shop';
  if (['station', 'halt'].includes(text(tags.railway) ?? '') || text(tags.public_transport) === 'station') {
    return 'transport';
  }
  if (['association', 'ngo', 'charity'].includes(text(tags.office) ?? '')) return 'association';
  const explicit = text(tags.kind);
  if (explicit && isPlaceKind(explicit)) return explicit;
  const described = amenity ? `amenity=${amenity}` : (explicit ?? 'no amenity/shop/tourism tag');
  return { unknown: described };
}

const WHEELCHAIR: Record<string, Accessibility> = {
  yes: 'yes',
  designated: 'yes',
  limited: 'limited',
  no: 'no',
};

export function placeFromTags(
  tags: Tags,
  row: number,
  sourceId: string | null,
  lat: number | null,
  lon: number | null,
): ParsedPlace {
  const street = [text(tags['addr:housenumber']), text(tags['addr:street'])].filter(Boolean).join(' ');
  const town = [text(tags['addr:postcode']), text(tags['addr:city'])].filter(Boolean).join(' ');
  return {
    row,
    sourceId,
    name: text(tags.name),
    kind: kindFromTags(tags),
    lat,
    lon,
    address: [street, town].filter(Boolean).join(', ') || null,
    phone: text(tags.phone) ?? text(tags['contact:phone']),
    openingHours: text(tags.opening_hours),
    accessibility: WHEELCHAIR[text(tags.wheelchair) ?? ''] ?? null,
    postcode: text(tags['addr:postcode']),
  };
}
