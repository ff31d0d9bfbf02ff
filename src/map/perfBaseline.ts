/**
 * `?perf=before` in the page URL: the map and the side panel behave as before the drag work of issue #14 (every
 * store change synced to the map at once, hidden tabs' panels re-rendered, no wait for a drag step's answers, label
 * fade 0 (full label placement every frame), drag-updated sources tiled to MapLibre's default maxzoom). Only the drag bench (tests/bench/drag.ts)
 * uses it, to measure the old way beside the new one in the same run.
 */
export function perfBaseline(): boolean {
  try {
    return new URLSearchParams(window.location.search).get('perf') === 'before';
  } catch {
    return false;
  }
}
