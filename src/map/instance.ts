/** The one MapLibre map of the app, for features that need it (popups, tests). */
import type { Map as MlMap } from 'maplibre-gl';

let current: MlMap | null = null;

export function setMap(map: MlMap | null): void {
  current = map;
}

export function getMap(): MlMap | null {
  return current;
}
