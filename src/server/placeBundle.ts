/**
 * What the app needs to open a place that exists only on the server (issue #16 item 4):
 *   GET /api/places/:id/bundle  → the place (name, bbox, centre), its network's version, and as GeoJSON its boundary,
 *                                 districts, stations, hydrants and roads for display (drawn from the stored graph);
 *   GET /api/places/:id/graph   → the stored network itself, our graph.bin, as the browser's import path loads it;
 *   POST /api/places/:id/evaluate → the app's live compliance check (the worker's EvaluateRequest: stations as they are
 *                                 now, planning area, districts, standard, barriers) on the server's network with the
 *                                 worker's own code and settings (default profile, peak / vehicle as asked), so the
 *                                 server answers exactly what the browser would ("Compute on the server").
 * Roles as every place route: a session is needed (401), and a user without a role on the place gets 404.
 *
 * The server stores no boundary: it is the place's built boundary when the server has one (public/data/<id>, as
 * its check reads it), else the union of the districts, else none; `boundarySource` says which. Water and railways
 * (the barrier check) come only from built data.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import type { Feature, FeatureCollection, LineString } from 'geojson';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { plannerError } from '../core/errors';
import { decodeGraph, type RoadGraph } from '../core/graph';
import { roadClassName } from '../core/roadClass';
import { Router } from '../core/router';
import { evaluateRequest, type EvaluateRequest } from '../core/compliance/evaluate';
import { roleOn, sessionUser, SESSION_COOKIE } from './auth';
import { decodeUpload, defaultProfiles, repoRoot } from './network';
import type { BoundarySource, PlaceBundle } from './placeBundleShape';

/** Largest evaluate request (districts, planning area and barriers as GeoJSON), bytes. */
const EVALUATE_LIMIT = 16 << 20;
/** Routers kept for evaluate (place + network version + peak + vehicle), least recently used dropped. */
const ROUTERS_KEPT = 8;

const params = { params: { type: 'object', properties: { id: { type: 'string', pattern: '^[a-z0-9_-]{1,64}$' } }, required: ['id'] } } as const;

const fc = (features: Feature[] = []): FeatureCollection => ({ type: 'FeatureCollection', features });

/** Road segments of a graph for display: a segment driven both ways is one feature (oneway 0), else oneway 1. */
export function graphRoads(g: RoadGraph): FeatureCollection<LineString> {
  const seen = new Map<string, Feature<LineString>>();
  for (let a = 0; a < g.nodeCount; a++) {
    for (let e = g.firstEdge[a]; e < g.firstEdge[a + 1]; e++) {
      const b = g.target[e];
      const key = a < b ? `${a}:${b}:${g.roadClass[e]}` : `${b}:${a}:${g.roadClass[e]}`;
      const twin = seen.get(key);
      if (twin) {
        twin.properties!.oneway = 0;
        continue;
      }
      const n = g.nameId[e];
      seen.set(key, {
        type: 'Feature',
        properties: { cls: roadClassName(g.roadClass[e]), name: g.names.zh[n] ?? '', nameEn: g.names.en[n] ?? '', oneway: 1 },
        geometry: { type: 'LineString', coordinates: [[g.lon[a] / 1e7, g.lat[a] / 1e7], [g.lon[b] / 1e7, g.lat[b] / 1e7]] },
      });
    }
  }
  return { type: 'FeatureCollection', features: [...seen.values()] };
}

/** A layer of the place's built data on this server, or undefined when there is none. */
async function builtLayer(placeId: string, file: string): Promise<FeatureCollection | undefined> {
  try {
    const x = JSON.parse(await readFile(resolve(repoRoot, 'public/data', placeId, file), 'utf8')) as FeatureCollection;
    return x?.type === 'FeatureCollection' && Array.isArray(x.features) ? x : undefined;
  } catch {
    return undefined;
  }
}

export function registerPlaceBundle(app: FastifyInstance, pool: Pool): void {
  /** The place's name once the caller may view it (else 401 / 404, as the other place routes). */
  const viewable = async (req: FastifyRequest, placeId: string): Promise<string> => {
    const user = await sessionUser(pool, req.cookies[SESSION_COOKIE]);
    if (!user) throw plannerError('unauthenticated', '请先登录', 'please log in first');
    const role = await roleOn(pool, user, placeId);
    const p = await pool.query<{ name: string }>('SELECT name FROM places WHERE id = $1', [placeId]);
    if (role === null || !p.rows[0]) throw plannerError('not-found', '没有找到（或您没有查看权限）', 'not found (or you may not see it)');
    return p.rows[0].name;
  };
  const features = async (placeId: string, kind: string) => {
    const r = await pool.query(`SELECT props, ST_AsGeoJSON(geom)::json AS geometry FROM features WHERE place_id = $1 AND kind = $2 ORDER BY id`, [placeId, kind]);
    return fc(r.rows.map((x) => ({ type: 'Feature', properties: x.props, geometry: x.geometry })));
  };

  app.get('/api/places/:id/bundle', { schema: params }, async (req): Promise<PlaceBundle> => {
    const { id } = req.params as { id: string };
    const name = await viewable(req, id);
    const net = await pool.query<{ version: number; source: string; nodeCount: number; edgeCount: number; updatedAt: string; graph: Buffer }>(
      `SELECT version, source, node_count AS "nodeCount", edge_count AS "edgeCount", updated_at AS "updatedAt", graph FROM networks WHERE place_id = $1`, [id]);
    const [districts, stations, hydrants] = [await features(id, 'districts'), await features(id, 'stations'), await features(id, 'hydrants')];
    let boundary = await builtLayer(id, 'boundary.geojson');
    let boundarySource: BoundarySource = boundary ? 'built' : 'none';
    if (!boundary && districts.features.length) {
      const u = await pool.query(`SELECT ST_AsGeoJSON(ST_Multi(ST_Union(geom)), 7)::json AS g FROM features WHERE place_id = $1 AND kind = 'districts' AND ST_Dimension(geom) = 2`, [id]);
      if (u.rows[0]?.g) {
        boundary = fc([{ type: 'Feature', properties: { id: `${id}-districts`, name }, geometry: u.rows[0].g }]);
        boundarySource = 'districts';
      }
    }
    const n = net.rows[0];
    const graph = n ? decodeGraph(n.graph.buffer.slice(n.graph.byteOffset, n.graph.byteOffset + n.graph.byteLength) as ArrayBuffer) : null;
    // bbox: the network's, else the boundary's (PostGIS), else none
    let bbox: PlaceBundle['place']['bbox'] = graph ? graph.bbox : null;
    if (!bbox && boundary) {
      const b = await pool.query<{ x1: number; y1: number; x2: number; y2: number }>(
        `SELECT ST_XMin(e) AS x1, ST_YMin(e) AS y1, ST_XMax(e) AS x2, ST_YMax(e) AS y2 FROM (SELECT ST_Extent(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326))::geometry AS e FROM unnest($1::text[]) AS g) s`,
        [boundary.features.map((f) => JSON.stringify(f.geometry))]);
      const r = b.rows[0];
      if (r && r.x1 !== null) bbox = [r.x1, r.y1, r.x2, r.y2];
    }
    const [water, rail] = [await builtLayer(id, 'water.geojson'), await builtLayer(id, 'rail.geojson')];
    return {
      place: { id, name, bbox, center: bbox ? [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2] : null },
      network: n ? { version: n.version, source: n.source, nodeCount: n.nodeCount, edgeCount: n.edgeCount, updatedAt: n.updatedAt } : null,
      boundary: boundary ?? fc(), boundarySource, districts, stations, hydrants,
      roads: graph ? graphRoads(graph) : fc(),
      ...(water ? { water } : {}), ...(rail ? { rail } : {}),
    };
  });

  const routers = new Map<string, Router>();
  const profiles = defaultProfiles();
  /** The worker's router for the place's current network: the default profile and road rules, peak and vehicle as asked. */
  const routerFor = async (placeId: string, peak: boolean, vehicleId: string | undefined): Promise<{ router: Router; version: number }> => {
    const v = await pool.query<{ version: number }>('SELECT version FROM networks WHERE place_id = $1', [placeId]);
    if (!v.rows[0]) throw plannerError('no-network', '该地点在服务器上还没有路网', 'this place has no road network on the server yet');
    const key = `${placeId}|${v.rows[0].version}|${peak}|${vehicleId ?? ''}`;
    let router = routers.get(key);
    if (!router) {
      const r = await pool.query<{ graph: Buffer; version: number }>('SELECT graph, version FROM networks WHERE place_id = $1', [placeId]);
      router = new Router(decodeUpload(r.rows[0].graph), profiles.profile, peak, { roadRules: profiles.rules, vehicleId });
    }
    routers.delete(key);
    routers.set(key, router);
    while (routers.size > ROUTERS_KEPT) routers.delete(routers.keys().next().value!);
    return { router, version: v.rows[0].version };
  };

  app.post('/api/places/:id/evaluate', {
    bodyLimit: EVALUATE_LIMIT,
    schema: {
      ...params,
      body: {
        type: 'object', required: ['stations', 'planningArea', 'districts', 'standard'],
        properties: {
          stations: { type: 'array', maxItems: 5000, items: { type: 'object' } }, planningArea: { type: 'object' }, districts: { type: 'object' },
          standard: { type: 'object' }, overrides: { type: 'object' }, barriers: { type: 'object' }, options: { type: 'object' },
          peak: { type: 'boolean' }, vehicleId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
        },
      },
    },
  }, async (req) => {
    const { id } = req.params as { id: string };
    await viewable(req, id);
    const { peak, vehicleId, ...body } = req.body as EvaluateRequest & { peak?: boolean; vehicleId?: string };
    const { router, version } = await routerFor(id, peak ?? false, vehicleId);
    const report = evaluateRequest({ ...body, placeId: id }, router);
    return { engine: 'server', networkVersion: version, report };
  });

  app.get('/api/places/:id/graph', { schema: params }, async (req, reply) => {
    const { id } = req.params as { id: string };
    await viewable(req, id);
    const r = await pool.query<{ graph: Buffer; version: number }>('SELECT graph, version FROM networks WHERE place_id = $1', [id]);
    if (!r.rows[0]) throw plannerError('no-network', '该地点在服务器上还没有路网', 'this place has no road network on the server yet');
    reply.header('x-network-version', String(r.rows[0].version)).type('application/octet-stream');
    return reply.send(r.rows[0].graph);
  });
}
