/**
 * The one place coordinates change datum. The API, the segments and the phone's GPS are all
 * WGS84. Tianditu (天地图) tiles are CGCS2000, which agrees with WGS84 to centimetres, so they
 * take WGS84 as is; AMap/Tencent tiles are drawn in GCJ-02 (the national "Mars" offset, a few
 * hundred metres in Shanghai), so everything drawn over them is shifted here, and a point
 * picked on such a map is shifted back before it is sent. gcoord implements the published
 * transform (test/unit/web-datum.test.ts checks it against known pairs).
 */
import gcoord from 'gcoord';

export type Datum = 'wgs84' | 'gcj02';

/** [lon, lat] in WGS84 → the map's datum. */
export function toMap(position: readonly [number, number], datum: Datum): [number, number] {
  if (datum === 'wgs84') return [position[0], position[1]];
  const [lon, lat] = gcoord.transform([position[0], position[1]], gcoord.WGS84, gcoord.GCJ02) as [number, number];
  return [lon, lat];
}

/** [lon, lat] in the map's datum → WGS84. */
export function fromMap(position: readonly [number, number], datum: Datum): [number, number] {
  if (datum === 'wgs84') return [position[0], position[1]];
  const [lon, lat] = gcoord.transform([position[0], position[1]], gcoord.GCJ02, gcoord.WGS84) as [number, number];
  return [lon, lat];
}
