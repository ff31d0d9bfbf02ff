/** OpenStreetMap elements as every reader (PBF, XML, Overpass JSON) returns them. Coordinates are WGS84. */
export type Tags = Record<string, string>;

export interface OsmNode {
  id: number;
  lon: number;
  lat: number;
  tags?: Tags;
}

export interface OsmWay {
  id: number;
  nodes: number[];
  tags: Tags;
}

export interface OsmMember {
  type: 'node' | 'way' | 'relation';
  ref: number;
  role: string;
}

export interface OsmRelation {
  id: number;
  members: OsmMember[];
  tags: Tags;
}

export interface OsmData {
  /** A Map from the text readers, a NodeStore (typed arrays, read as a Map) from the PBF reader. */
  nodes: ReadonlyMap<number, OsmNode>;
  ways: OsmWay[];
  relations: OsmRelation[];
}
