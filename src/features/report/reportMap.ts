/**
 * The report's map as an image at print resolution: a MapLibre map of its own (hidden, preserveDrawingBuffer,
 * pixelRatio 2–3) drawing the report's districts by verdict, failing edge stretches, barriers, the planning area and
 * the stations, fitted to the place, read back with toDataURL once idle, then removed. Station names are returned
 * as positions (fractions of the image), so the view prints them as text over the image.
 */
import * as maplibregl from 'maplibre-gl';
import type { StyleSpecification } from 'maplibre-gl';
import type { ReportMapData } from '../../core/report/types';
import { REPORT_COLOURS } from '../../core/report/build';

export interface MapImage {
  dataUrl: string;
  /** CSS pixels of the map (the image is pixelRatio times larger). */
  width: number;
  height: number;
  labels: { x: number; y: number; text: string }[];
}

const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

export function reportStyle(d: ReportMapData): StyleSpecification {
  const C = REPORT_COLOURS;
  return {
    version: 8,
    sources: {
      boundary: { type: 'geojson', data: d.boundary ?? empty },
      roads: { type: 'geojson', data: d.roads ?? empty },
      water: { type: 'geojson', data: d.water ?? empty },
      districts: { type: 'geojson', data: d.districts },
      failing: { type: 'geojson', data: d.failing },
      barriers: { type: 'geojson', data: d.barriers },
      stations: { type: 'geojson', data: d.stations },
    },
    layers: [
      { id: 'bg', type: 'background', paint: { 'background-color': '#ffffff' } },
      { id: 'boundary-fill', type: 'fill', source: 'boundary', paint: { 'fill-color': '#f4f6f8' } },
      { id: 'water-fill', type: 'fill', source: 'water', filter: ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]], paint: { 'fill-color': '#cfe3f3' } },
      { id: 'water-line', type: 'line', source: 'water', filter: ['in', ['geometry-type'], ['literal', ['LineString', 'MultiLineString']]], paint: { 'line-color': '#9cc3e4', 'line-width': 1.2 } },
      { id: 'roads', type: 'line', source: 'roads', paint: { 'line-color': '#b9b9b9', 'line-width': 0.6 } },
      {
        id: 'districts-fill', type: 'fill', source: 'districts',
        paint: { 'fill-color': ['match', ['get', 'verdict'], 'pass', C.pass, 'fail', C.fail, C.none], 'fill-opacity': 0.22 },
      },
      { id: 'districts-line', type: 'line', source: 'districts', paint: { 'line-color': '#555555', 'line-width': 1 } },
      { id: 'boundary-line', type: 'line', source: 'boundary', paint: { 'line-color': C.boundary, 'line-width': 2, 'line-dasharray': [3, 2] } },
      { id: 'barriers', type: 'line', source: 'barriers', paint: { 'line-color': C.barrier, 'line-width': 3, 'line-opacity': 0.9 } },
      { id: 'failing', type: 'line', source: 'failing', paint: { 'line-color': C.failing, 'line-width': 3.5 } },
      {
        id: 'stations', type: 'circle', source: 'stations',
        paint: {
          'circle-radius': 6, 'circle-color': ['match', ['get', 'kind'], 'existing', C.station, '#ffffff'],
          'circle-stroke-color': C.station, 'circle-stroke-width': 2.5,
        },
      },
    ],
  };
}

/** Renders the map off screen and returns it as a PNG data URL. Rejects after timeoutMs. */
export async function renderReportMap(d: ReportMapData, opts: { width: number; height: number; pixelRatio?: number; timeoutMs?: number }): Promise<MapImage> {
  const el = document.createElement('div');
  // Off screen but laid out (a hidden element has no size for WebGL).
  Object.assign(el.style, { position: 'fixed', left: '-10000px', top: '0', width: `${opts.width}px`, height: `${opts.height}px` });
  el.setAttribute('aria-hidden', 'true');
  document.body.appendChild(el);
  let map: maplibregl.Map | null = null;
  try {
    map = new maplibregl.Map({
      container: el, style: reportStyle(d), interactive: false, attributionControl: false, fadeDuration: 0,
      pixelRatio: opts.pixelRatio ?? 2, canvasContextAttributes: { preserveDrawingBuffer: true, antialias: true },
      bounds: [[d.bbox[0], d.bbox[1]], [d.bbox[2], d.bbox[3]]], fitBoundsOptions: { padding: 24 },
    });
    const m = map;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('report map: timed out')), opts.timeoutMs ?? 30_000);
      m.once('error', (e) => { clearTimeout(timer); reject(e.error ?? new Error('report map error')); });
      m.once('idle', () => { clearTimeout(timer); resolve(); });
    });
    const labels = d.stations.features.flatMap((f) => {
      if (f.geometry.type !== 'Point') return [];
      const p = m.project(f.geometry.coordinates as [number, number]);
      return [{ x: p.x / opts.width, y: p.y / opts.height, text: String(f.properties?.name ?? '') }];
    });
    return { dataUrl: m.getCanvas().toDataURL('image/png'), width: opts.width, height: opts.height, labels };
  } finally {
    map?.remove();
    el.remove();
  }
}

/** The map image with the station names drawn in (for the PNG export), as a PNG data URL. */
export async function mapPngWithLabels(img: MapImage, pixelRatio: number): Promise<string> {
  const pic = new Image();
  pic.src = img.dataUrl;
  await pic.decode();
  const c = document.createElement('canvas');
  c.width = pic.naturalWidth;
  c.height = pic.naturalHeight;
  const ctx = c.getContext('2d');
  if (!ctx) return img.dataUrl;
  ctx.drawImage(pic, 0, 0);
  ctx.font = `600 ${12 * pixelRatio}px 'WenQuanYi Zen Hei', 'Noto Sans CJK SC', sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  for (const l of img.labels) {
    const x = l.x * c.width;
    const y = l.y * c.height - 9 * pixelRatio;
    const w = ctx.measureText(l.text).width;
    ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
    ctx.fillRect(x - w / 2 - 3 * pixelRatio, y - 15 * pixelRatio, w + 6 * pixelRatio, 16 * pixelRatio);
    ctx.fillStyle = '#1d1d1d';
    ctx.fillText(l.text, x, y);
  }
  return c.toDataURL('image/png');
}
