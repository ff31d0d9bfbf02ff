/**
 * Test and bench support: the built data of a place (public/data/<id>) read from disk — its road graph as a Router
 * with the fire-engine profile and the road rules (geodata/profiles), its JSON files. One copy of what the real-data
 * tests all need.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeGraph, type RoadGraph } from '../../src/core/graph';
import { parseProfile, type SpeedProfile } from '../../src/core/profile';
import { Router } from '../../src/core/router';
import { parseRoadRules, type RoadRules } from '../../src/core/roadRules';

export const repoRoot = join(import.meta.dirname, '../..');

/** A repository file as JSON. */
export const readJson = (path: string): unknown => JSON.parse(readFileSync(join(repoRoot, path), 'utf8'));

/** A file of a place's built data as JSON, or null when the place has no such file. */
export function placeJson(place: string, file: string): unknown {
  const p = join(repoRoot, 'public/data', place, file);
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null;
}

/** The bytes of a place's graph.bin (a fresh buffer each call: the worker tests transfer it). */
export function placeGraphBytes(place: string): ArrayBuffer {
  const b = readFileSync(join(repoRoot, 'public/data', place, 'graph.bin'));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

export const placeGraph = (place: string): RoadGraph => decodeGraph(placeGraphBytes(place));

/** The fire-engine speed profile of geodata/profiles. */
export const fireEngineProfile = (): SpeedProfile => parseProfile(readJson('geodata/profiles/fire-engine.json'));

/** The road rules of geodata/profiles (a fresh parse each call). */
export const roadRules = (): RoadRules => parseRoadRules(readJson('geodata/profiles/road-rules.json'));

/** A router on a place's graph with the fire-engine profile and the road rules for a vehicle (default: the rules' default). */
export const placeRouter = (place: string, peak = false, vehicleId?: string): Router =>
  new Router(placeGraph(place), fireEngineProfile(), peak, { roadRules: roadRules(), vehicleId });
