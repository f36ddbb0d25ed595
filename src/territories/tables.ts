export interface TerritoriesTables {
  territories: {
    /** INSEE code, e.g. 75117 (Paris 17e), 76540 (Rouen). */
    code: string;
    name: string;
    kind: 'commune' | 'arrondissement';
    /** GeoJSON Polygon or MultiPolygon, WGS84, as text. */
    boundary: string;
    min_lon: number;
    min_lat: number;
    max_lon: number;
    max_lat: number;
    created_at: number;
    updated_at: number;
  };
}
