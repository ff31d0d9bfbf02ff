// What the drag specs share (drag-map, drag-freeze): waiting for a settled place, a map point's page pixel, and a road
// vertex near the middle of the place to put a proposed station on.

/** The network ready and the compliance check done (and the isochrone too, with `iso`). */
export async function settled(page, { iso = false } = {}) {
  await page.waitForFunction((withIso) => {
    const s = window.__planner.store.getState();
    return s.network?.status === 'ready' && s.compliance.report && !s.compliance.busy && !(withIso && s.iso.busy);
  }, iso, { timeout: 90_000 });
}

/** The page pixel of a [lon, lat] on the map. */
export async function pixelOf(page, lonLat) {
  const box = await page.locator('.maplibregl-canvas').boundingBox();
  const p = await page.evaluate((ll) => window.__planner.map.project(ll), lonLat);
  return { x: box.x + p.x, y: box.y + p.y };
}

/** The road vertex nearest the middle of the place (on land, on the network). */
export const roadPointNearCentre = (page) => page.evaluate(() => {
  const s = window.__planner.store.getState();
  const [w, so, e, n] = s.places.find((p) => p.id === s.placeId).bbox;
  const c = [(w + e) / 2, (so + n) / 2];
  let best = null, bd = Infinity;
  for (const f of s.placeData.roads.features)
    for (const p of f.geometry.type === 'LineString' ? f.geometry.coordinates : f.geometry.coordinates.flat()) {
      const d = (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2;
      if (d < bd) { bd = d; best = p; }
    }
  return best;
});
