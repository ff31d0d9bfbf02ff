// Issue 14 (a smooth drag), the map side: during a drag the map's facilities stay as they were (the station's start
// drawn faded), an HTML marker follows the pointer, the isochrone and verdicts come through the one 'live' source and
// the worst-point times are hidden; after the drop the facilities show the station where it was dropped, the marker
// and the fading are gone and the times are back.
import { assert, open, showTab, waitIdle } from './helpers.mjs';
import { pixelOf, roadPointNearCentre, settled } from './dragHelpers.mjs';

const state = (page, fn, arg) => page.evaluate(fn, arg);

/** The facilities source's feature of a station, and its feature-state. */
const facility = (page, id) => state(page, async (sid) => {
  const map = window.__planner.map;
  const f = (await map.getSource('facilities').getData()).features.find((x) => x.properties.id === sid);
  return f && { id: f.id, at: f.geometry.coordinates, state: map.getFeatureState({ source: 'facilities', id: f.id }) };
}, id);

export const tests = [
  {
    name: 'drag-map: a marker follows the pointer over the faded start, live results in one source, all back at the drop',
    async run({ page, base, shot }) {
      await open(page, base, '?place=monaco');
      await settled(page, { iso: true });
      await showTab(page, 'plan');
      // a proposed station a little inland of the middle of the place
      const site = await roadPointNearCentre(page);
      await page.click('[data-testid="add-station"]');
      await page.waitForSelector('[data-testid="placing"]');
      const px0 = await pixelOf(page, site);
      await page.mouse.click(px0.x, px0.y);
      await page.waitForFunction(() => window.__planner.store.getState().scenario?.present.stations.some((x) => x.status === 'proposed'), null, { timeout: 20_000 });
      const st = await state(page, () => window.__planner.store.getState().scenario.present.stations.find((x) => x.status === 'proposed'));
      await settled(page, { iso: true });
      await waitIdle(page);
      const start = await facility(page, st.id);
      assert(start && Math.abs(start.at[0] - st.lon) < 1e-9, `station not in the facilities source: ${JSON.stringify(start)}`);

      const from = await pixelOf(page, [st.lon, st.lat]);
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      for (let i = 1; i <= 8; i++) await page.mouse.move(from.x - i * 8, from.y - i * 5);
      await page.waitForFunction(() => {
        const s = window.__planner.store.getState();
        return s.dragging && s.compliance.report && !s.compliance.busy && !s.iso.busy && window.__planner.map.loaded();
      }, null, { timeout: 60_000 });
      await waitIdle(page);
      const during = await state(page, async (sid) => {
        const map = window.__planner.map;
        const m = document.querySelector('.drag-marker')?.getBoundingClientRect();
        const live = (await map.getSource('live').getData()).features;
        const now = window.__planner.store.getState().scenario.present.stations.find((x) => x.id === sid);
        return {
          marker: m && { x: m.x + m.width / 2, y: m.y + m.height / 2 },
          station: [now.lon, now.lat],
          iso: live.filter((f) => f.properties.src === 'iso-polygons').length,
          worstLabel: map.getLayoutProperty('cmp-worst-label', 'visibility'),
        };
      }, st.id);
      const held = await facility(page, st.id);
      const pointer = { x: from.x - 64, y: from.y - 40 };
      assert(during.marker && Math.hypot(during.marker.x - pointer.x, during.marker.y - pointer.y) < 3, `marker not under the pointer: ${JSON.stringify(during.marker)} vs ${JSON.stringify(pointer)}`);
      assert(during.station[0] !== st.lon, 'the station did not follow the drag');
      assert(held.at[0] === start.at[0] && held.at[1] === start.at[1] && held.state.dragged === true, `facilities during the drag: ${JSON.stringify(held)}`);
      assert(during.iso === 1, `live isochrone during the drag: ${during.iso}`);
      assert(during.worstLabel === 'none', `worst-point times shown during the drag: ${during.worstLabel}`);
      await shot('drag-map-during');

      // from the mouse-up until the facilities have the dropped position's tiles, every animation frame and every
      // source event must still show the marker over the faded start (not the start at full opacity, nothing at the drop)
      await state(page, (ghost) => {
        const map = window.__planner.map;
        const log = (window.__dropLog = []);
        const sample = (at) => {
          if (window.__planner.store.getState().dragging) return;
          log.push({ at, t: performance.now(), loaded: map.isSourceLoaded('facilities'), marker: !!document.querySelector('.drag-marker'), faded: map.getFeatureState({ source: 'facilities', id: ghost }).dragged === true });
        };
        const onData = (e) => { if (e.sourceId === 'facilities') sample('sourcedata'); };
        map.on('sourcedata', onData);
        const t0 = performance.now();
        const loop = () => {
          sample('frame');
          if (performance.now() - t0 < 3000) requestAnimationFrame(loop);
          else map.off('sourcedata', onData);
        };
        requestAnimationFrame(loop);
      }, held.id);
      await page.mouse.up();
      await page.waitForFunction(() => !window.__planner.store.getState().dragging, null, { timeout: 10_000 });
      await settled(page, { iso: true });
      await waitIdle(page);
      await page.waitForTimeout(3100);
      const log = await state(page, () => window.__dropLog);
      // (the render gate's bound, GATE_MS = 400 ms after the drop, may end it first on a loaded machine)
      const early = log.filter((x) => !x.loaded && x.t - log[0].t < 400);
      assert(log.length && log.some((x) => x.loaded), `drop not sampled: ${JSON.stringify(log.slice(0, 5))}`);
      assert(early.every((x) => x.marker && x.faded), `the drag's look ended before the facilities had the drop: ${JSON.stringify(early.filter((x) => !x.marker || !x.faded).slice(0, 3))} of ${early.length}`);
      const moved = await state(page, (sid) => window.__planner.store.getState().scenario.present.stations.find((x) => x.id === sid), st.id);
      const dropped = await facility(page, st.id);
      const after = await state(page, () => ({
        marker: !!document.querySelector('.drag-marker'),
        worstLabel: window.__planner.map.getLayoutProperty('cmp-worst-label', 'visibility') ?? 'visible',
      }));
      assert(dropped.at[0] === moved.lon && dropped.at[1] === moved.lat && !dropped.state.dragged, `facilities after the drop: ${JSON.stringify(dropped)} vs ${moved.lon},${moved.lat}`);
      // the faded start's state is cleared too (the dropped feature may have a new id: checking it alone proves nothing)
      const ghostState = await state(page, (id) => window.__planner.map.getFeatureState({ source: 'facilities', id }), held.id);
      assert(!ghostState.dragged, `the start's feature still faded after the drop: ${JSON.stringify(ghostState)} (id ${held.id}, dropped id ${dropped.id})`);
      assert(!after.marker, 'the drag marker is still on the map');
      assert(after.worstLabel === 'visible', `worst-point times not back: ${after.worstLabel}`);
      const drawn = await state(page, (sid) => window.__planner.map.queryRenderedFeatures({ layers: ['stations-planned'] }).filter((f) => f.properties.id === sid).length, st.id);
      assert(drawn > 0, 'the dropped station is not drawn');
      await shot('drag-map-after');
    },
  },
];
