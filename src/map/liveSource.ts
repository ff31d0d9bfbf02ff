/**
 * One map source for everything a station drag changes (issue #14): the isochrone and the compliance result
 * (districts by verdict, pockets, failing / no-access stretches, worst points) go to
 * MapLibre as ONE GeoJSON source, `live`, each feature tagged with the source it belongs to (`src`), and every
 * layer of those sources reads `live` filtered by its tag. A drag step is then one update of one source: one
 * re-tiling in MapLibre's worker and one batch of tiles coming back, instead of one per source, each asking for
 * its own frame. The layer ids, paint and order stay as style.ts builds them; only the main map uses this (the
 * swipe halves and any other map built from buildStyle keep the separate sources).
 */
import type { Feature, FeatureCollection } from 'geojson';
import type { ExpressionSpecification, FilterSpecification, LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { SourceId } from './style';

export const LIVE_SOURCE = 'live';
/** The property naming a live feature's former source. */
export const LIVE_TAG = 'src';
/**
 * Not parts: cmp-barriers (the rivers / railways each district straddles) and cmp-focus (the station opened in the
 * compliance table) change at a drag step only when the dragged station's district crosses another barrier or the
 * dragged station is the one opened; thin lines along rivers and roads, they keep their own sources tiled to
 * MapLibre's default z18 (not shifted by z12 tiling at street zoom). When they do change, the render gate holds them
 * with 'live', so a step is still drawn once.
 */
export const LIVE_PARTS = ['iso-polygons', 'iso-lines', 'cmp-districts', 'cmp-pockets', 'cmp-failing', 'cmp-noaccess', 'cmp-worst'] as const satisfies readonly SourceId[];
export type LivePart = (typeof LIVE_PARTS)[number];
const isPart = (id: unknown): id is LivePart => (LIVE_PARTS as readonly unknown[]).includes(id);

/**
 * Tiled up to this zoom and overzoomed beyond, as the separate drag sources were (style.ts DRAG_SOURCE_MAXZOOM):
 * geojson-vt does not simplify at the maxzoom, and its 8192-unit grid per z12 tile moves a vertex at most ~0.7 m
 * at 31°N (under a pixel up to z16; the drag bench measures it). z11 halves the tiles a step re-tiles (2 instead of
 * 4 at zoom 14) but doubles that error (1.4 m: 3 px at z17), which would stay after the drop: not taken.
 */
export const LIVE_MAXZOOM = 12;

/**
 * The style with the live parts' sources replaced by one `live` source (`maxzoom`: undefined = MapLibre's default)
 * and their layers reading it through a `src` filter (combined with the layer's own filter).
 */
export function liveStyle(style: StyleSpecification, maxzoom: number | undefined = LIVE_MAXZOOM): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {};
  for (const [id, spec] of Object.entries(style.sources)) if (!isPart(id)) sources[id] = spec;
  sources[LIVE_SOURCE] = { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, ...(maxzoom === undefined ? {} : { maxzoom }) };
  const layers = style.layers.map((l): LayerSpecification => {
    if (!('source' in l) || !isPart(l.source)) return l;
    const tag: ExpressionSpecification = ['==', ['get', LIVE_TAG], l.source];
    const filter = (l.filter ? ['all', tag, l.filter] : tag) as FilterSpecification;
    return { ...l, source: LIVE_SOURCE, filter } as LayerSpecification;
  });
  return { ...style, sources, layers };
}

/**
 * A merger of the parts into the live collection, kept by its caller (one per map). Unchanged parts keep their
 * tagged feature objects, so the map sync (diffSync.ts) recognises them without looking inside; an unchanged set of
 * parts gives the same collection.
 */
export function liveMerger(): (data: Pick<Record<SourceId, FeatureCollection>, LivePart>) => FeatureCollection {
  const tagged = new Map<LivePart, { fc: FeatureCollection; features: Feature[] }>();
  let last: { parts: FeatureCollection[]; fc: FeatureCollection } | undefined;
  return (data) => {
    const parts = LIVE_PARTS.map((p) => data[p]);
    if (last && parts.every((fc, i) => fc === last!.parts[i])) return last.fc;
    const features: Feature[] = [];
    LIVE_PARTS.forEach((p, i) => {
      let t = tagged.get(p);
      if (t?.fc !== parts[i]) {
        t = { fc: parts[i], features: parts[i].features.map((f) => ({ ...f, properties: { ...f.properties, [LIVE_TAG]: p } })) };
        tagged.set(p, t);
      }
      for (const f of t.features) features.push(f);
    });
    last = { parts, fc: { type: 'FeatureCollection', features } };
    return last.fc;
  };
}

/** The features of one part in a live collection (what a separate source would have held), tags removed. */
export function livePart(fc: FeatureCollection, part: LivePart): Feature[] {
  return fc.features
    .filter((f) => f.properties?.[LIVE_TAG] === part)
    .map((f) => {
      const { [LIVE_TAG]: _tag, ...properties } = f.properties!;
      void _tag;
      return { ...f, properties };
    });
}
