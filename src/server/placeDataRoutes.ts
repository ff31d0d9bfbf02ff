/** A place's stored data: its road network (graph.bin or an OSM extract) and its districts, stations and hydrants. */
import type { FastifyInstance } from 'fastify';
import { graphFromOsm, storeNetwork } from './network';
import { fail, PLACE_ID, placeParams, tx, type RouteContext } from './routeKit';

export function registerPlaceDataRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { pool, need, audit } = ctx;
  /**
   * The place's network: our graph.bin as the browser has it, or (?osm=<file name>) an OSM extract (.osm.pbf, .osm
   * XML, Overpass JSON) built here with the importer of `npm run geodata` (readOsm + buildGraph).
   */
  app.put('/api/places/:id/network', { schema: { params: placeParams, querystring: { type: 'object', properties: { osm: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,100}$' } }, additionalProperties: false } } }, async (req) => {
    const { id } = req.params as { id: string };
    const { user } = await need(req, id, 'edit');
    if (!Buffer.isBuffer(req.body)) throw fail('unsupported-media-type', '路网须以 application/octet-stream 上传', 'upload the network as application/octet-stream');
    const osmName = (req.query as { osm?: string }).osm;
    const body = osmName ? Buffer.from(graphFromOsm(req.body, osmName)) : req.body;
    const out = await tx(pool, async (c) => {
      const r = await storeNetwork(c, id, body, osmName ? `osm:${osmName}` : 'upload', user.id);
      await audit(c, user, 'network.put', id, null, { version: r.version, bytes: body.length, edges: r.edges });
      return r;
    });
    return out;
  });

  app.get('/api/places/:id/network', { schema: { params: placeParams } }, async (req) => {
    const { id } = req.params as { id: string };
    await need(req, id, 'view');
    const r = await pool.query(`SELECT version, source, node_count AS "nodeCount", edge_count AS "edgeCount", ST_AsGeoJSON(bbox)::json AS bbox, updated_at AS "updatedAt" FROM networks WHERE place_id = $1`, [id]);
    if (!r.rows[0]) throw fail('no-network', '该地点在服务器上还没有路网', 'this place has no road network on the server yet');
    return r.rows[0];
  });

  // ── districts, stations, hydrants (GeoJSON FeatureCollections) ──
  const kindParams = { type: 'object', properties: { id: PLACE_ID, kind: { type: 'string', enum: ['districts', 'stations', 'hydrants'] } }, required: ['id', 'kind'] } as const;
  app.put('/api/places/:id/features/:kind', {
    schema: { params: kindParams, body: { type: 'object', properties: { type: { const: 'FeatureCollection' }, features: { type: 'array', maxItems: 20000, items: { type: 'object', properties: { geometry: { type: 'object' }, properties: { type: ['object', 'null'] } }, required: ['geometry'] } } }, required: ['type', 'features'] } },
  }, async (req) => {
    const { id, kind } = req.params as { id: string; kind: string };
    const { user } = await need(req, id, 'edit');
    const fc = req.body as { features: { geometry: object; properties?: object | null }[] };
    const n = await tx(pool, async (c) => {
      await c.query('DELETE FROM features WHERE place_id = $1 AND kind = $2', [id, kind]);
      if (fc.features.length) {
        await c.query(`INSERT INTO features (place_id, kind, props, geom) SELECT $1, $2, p, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) FROM unnest($3::jsonb[], $4::text[]) AS u(p, g)`,
          [id, kind, fc.features.map((f) => JSON.stringify(f.properties ?? {})), fc.features.map((f) => JSON.stringify(f.geometry))]);
      }
      await audit(c, user, `${kind}.put`, id, null, { count: fc.features.length });
      return fc.features.length;
    }).catch((e: { code?: string; message?: string }) => {
      if (typeof e.code === 'string' && /^(XX|22)/.test(e.code)) throw fail('bad-geometry', '要素的几何无效', 'a feature has an invalid geometry', e.message);
      throw e;
    });
    return { count: n };
  });

  app.get('/api/places/:id/features/:kind', { schema: { params: kindParams } }, async (req) => {
    const { id, kind } = req.params as { id: string; kind: string };
    await need(req, id, 'view');
    const r = await pool.query(`SELECT props, ST_AsGeoJSON(geom)::json AS geometry FROM features WHERE place_id = $1 AND kind = $2 ORDER BY id`, [id, kind]);
    return { type: 'FeatureCollection', features: r.rows.map((x) => ({ type: 'Feature', properties: x.props, geometry: x.geometry })) };
  });
}
