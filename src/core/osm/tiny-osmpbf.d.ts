declare module 'tiny-osmpbf' {
  interface TinyOsmElement {
    type: 'node' | 'way' | 'relation';
    id: number;
    lat?: number;
    lon?: number;
    nodes?: number[];
    members?: { type: 'node' | 'way' | 'relation'; ref: number; role: string }[];
    tags?: Record<string, string>;
  }
  interface TinyOsmResult {
    version: number;
    generator: string;
    bounds?: { minlat: number; minlon: number; maxlat: number; maxlon: number };
    elements?: TinyOsmElement[];
  }
  function tinyOsmPbf(data: ArrayBuffer | Uint8Array, handler?: (e: TinyOsmElement) => void): TinyOsmResult;
  export default tinyOsmPbf;
}
