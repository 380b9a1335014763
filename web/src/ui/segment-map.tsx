/**
 * A map of segments. Leaflet is loaded only when a map is opened (it is not in the first
 * screen's JavaScript). Tiles come from /app-config.json; without a source the segments draw
 * on a plain background. Every coordinate passes through geo/datum.ts on its way in and out.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { appConfig } from '../config';
import { fromMap, toMap, type Datum } from '../geo/datum';
import type { Fix } from '../geo/position';
import { t } from '../i18n';

export interface MapSegment {
  readonly segmentId: string;
  readonly name: string;
  readonly geometry: { readonly type: string; readonly coordinates: unknown };
}

type Coordinates = number[] | Coordinates[];

function shift(coordinates: Coordinates, datum: Datum): Coordinates {
  if (typeof coordinates[0] === 'number') return toMap(coordinates as [number, number], datum);
  return (coordinates as Coordinates[]).map((inner) => shift(inner, datum));
}

export interface SegmentMapProps {
  readonly segments: readonly MapSegment[];
  readonly here?: Fix | undefined;
  readonly onPick?: (segmentId: string, lonLat: [number, number]) => void;
  readonly highlight?: string | undefined;
  /** A segment's own colour (a console's flag, count or refusal); the default blue otherwise. */
  readonly colorOf?: (segmentId: string) => string | undefined;
  /** The tooltip of a segment; its name otherwise. */
  readonly tooltipOf?: (segmentId: string) => string | undefined;
  /** What the map shows beyond the segment ids (e.g. the month of its counts): a change redraws it. */
  readonly drawKey?: string;
  /** Accessible name of the map region; "路段地图" otherwise. */
  readonly label?: string;
}

export function SegmentMap({ segments, here, onPick, highlight, colorOf, tooltipOf, drawKey, label }: SegmentMapProps) {
  const element = useRef<HTMLDivElement>(null);
  const [plain, setPlain] = useState(false);
  useEffect(() => {
    let disposed = false;
    let dispose = (): void => undefined;
    void (async () => {
      const [{ default: L }, config] = await Promise.all([import('leaflet'), appConfig()]);
      await import('leaflet/dist/leaflet.css');
      if (disposed || element.current === null) return;
      const datum: Datum = config.tiles?.datum ?? 'wgs84';
      // A view first: vector layers added to a map without one cannot compute their pixels.
      const map = L.map(element.current, { zoomControl: true, attributionControl: config.tiles !== undefined }).setView([31.23, 121.45], 14);
      dispose = () => map.remove();
      if (config.tiles === undefined) setPlain(true);
      else L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: 19, ...(config.tiles.subdomains === undefined ? {} : { subdomains: config.tiles.subdomains }) }).addTo(map);
      const layer = L.geoJSON(
        {
          type: 'FeatureCollection',
          features: segments.map((segment) => ({
            type: 'Feature',
            properties: { segmentId: segment.segmentId, name: segment.name },
            geometry: { type: segment.geometry.type, coordinates: shift(segment.geometry.coordinates as Coordinates, datum) },
          })),
        } as never,
        {
          style: (feature) => {
            const id = String(feature?.properties?.segmentId);
            return { color: id === highlight ? '#c2410c' : (colorOf?.(id) ?? '#1d4ed8'), weight: id === highlight ? 8 : 5 };
          },
          onEachFeature: (feature, featureLayer) => {
            featureLayer.bindTooltip(tooltipOf?.(String(feature.properties.segmentId)) ?? String(feature.properties.name));
            if (onPick !== undefined) featureLayer.on('click', (event) => onPick(String(feature.properties.segmentId), fromMap([(event as { latlng: { lng: number; lat: number } }).latlng.lng, (event as { latlng: { lat: number } }).latlng.lat], datum)));
          },
        },
      ).addTo(map);
      if (here !== undefined) {
        const [lon, lat] = toMap([here.lon, here.lat], datum);
        L.circleMarker([lat, lon], { radius: 7, color: '#15803d', fillOpacity: 0.8 }).addTo(map);
      }
      const bounds = layer.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16] });
    })();
    return () => {
      disposed = true;
      dispose();
    };
    // Keyed by what is drawn, not by the arrays' identity (a parent renders new arrays).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [segments.map((segment) => segment.segmentId).join(','), here?.lon, here?.lat, highlight, drawKey]);
  return (
    // The map's own element keeps a fixed class: Leaflet adds its classes to it, and a class
    // Preact re-renders would wipe them.
    <figure class={plain ? 'map-figure map-plain' : 'map-figure'}>
      <div ref={element} class="map" role="region" aria-label={label ?? t('mapLabel')} />
      {plain ? <figcaption class="muted">{t('mapNoTiles')}</figcaption> : null}
    </figure>
  );
}
