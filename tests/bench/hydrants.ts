/**
 * Bench section "hydrants" (issue #13): the audit of 10,000 hydrants and "suggest 100 hydrants".
 * Hydrants are SYNTHETIC: seeded random points beside random road points (up to ~11 m off) — 上海's real road graph, the
 * largest bundled; a generated grid of ~40,000 segments (synthetic roads) as the second network.
 * Targets: audit ≤ 100 ms, suggest 100 ≤ 1 s. The network preparation (HoseNetwork, once per graph) is timed apart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { buildGraph } from '../../src/core/buildGraph';
import { auditHydrants, type AuditHydrant } from '../../src/core/hydrants/audit';
import { HoseNetwork } from '../../src/core/hydrants/network';
import { parseHydrantStandard } from '../../src/core/hydrants/standard';
import { suggestHydrants } from '../../src/core/hydrants/suggest';
import { Router } from '../../src/core/router';
import { randomGrid } from '../../src/core/testGrid';
import { fireEngineProfile, placeRouter, repoRoot } from '../support/place';
import type { BenchSection } from './sections';

const std = parseHydrantStandard(JSON.parse(readFileSync(join(repoRoot, 'geodata/standards/hydrants/gb50974-2014.json'), 'utf8')));

/** Synthetic hydrants as an inventory has them: beside a road (a random road point, moved up to ~11 m each way). */
function randomHydrants(net: HoseNetwork, n: number, seed: number): AuditHydrant[] {
  let s = seed >>> 0;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, (_, i) => {
    const seg = Math.floor(rnd() * net.segLen.length);
    const [lon, lat] = net.pointAt(seg, rnd() * net.segLen[seg]);
    return { id: `synthetic-${i}`, kind: 'hydrant', lon: lon + (rnd() - 0.5) * 2e-4, lat: lat + (rnd() - 0.5) * 2e-4 };
  });
}

function timed<T>(runs: number, f: () => T): { ms: number[]; last: T } {
  const ms: number[] = [];
  let last!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = f();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { ms, last };
}
const med = (ms: number[]) => ms[Math.floor(ms.length / 2)].toFixed(1);

async function run(): Promise<string> {
  const rows: string[] = [];
  const nets: [string, () => Router][] = [
    ['上海 (real roads)', () => placeRouter('shanghai')],
    ['grid 200×100 (synthetic)', () => new Router(buildGraph(randomGrid(42, 200, 100, { dropRate: 0.1, onewayRate: 0.2, firstClass: 1, classCount: 6 })).graph, fireEngineProfile())],
  ];
  for (const [name, make] of nets) {
    const router = make();
    const prep = timed(3, () => new HoseNetwork(router));
    const net = prep.last;
    const segs = net.segLen.length;
    rows.push(`| prepare hose network | ${name} | ${segs} | ${med(prep.ms)} | ${prep.ms[0].toFixed(1)} | once per graph |`);
    const hs = randomHydrants(net, 10_000, 7);
    const audit = timed(7, () => auditHydrants(net, hs, std));
    const f = audit.last.figures;
    rows.push(`| audit 10,000 hydrants (synthetic) | ${name} | ${segs} | ${med(audit.ms)} | ${audit.ms[0].toFixed(1)} | ≤ 100 ms (protected ${Math.floor(f.protectedShare * 100)} %, ${f.hydrantsUsed} used) |`);
    const few = randomHydrants(net, 20, 11);
    const sug = timed(3, () => suggestHydrants(net, few, std, { count: 100 }));
    const last = sug.last.suggestions.at(-1);
    rows.push(`| suggest 100 hydrants | ${name} | ${sug.last.candidates} candidates | ${med(sug.ms)} | ${sug.ms[0].toFixed(1)} | ≤ 1000 ms (${sug.last.suggestions.length} placed, protected ${Math.floor((sug.last.beforeM / net.totalM) * 100)} → ${Math.floor((last?.protectedShare ?? 0) * 100)} %) |`);
  }
  return `## Hydrant audit and suggestions (issue #13)\n\n| operation | network | segments | median ms | min ms | target |\n|---|---|---:|---:|---:|---|\n${rows.join('\n')}\n\n` +
    `Hydrant positions are synthetic (seeded random points up to ~11 m beside random road points). 1-minute load average when this ran: ${loadavg()[0].toFixed(1)} on ${cpus().length} cores. ` +
    'Audit = snapping, one multi-source search in metres capped at 150 m, every segment\'s cover and gaps, spacing, figures. ' +
    'Suggest = candidates every 40 m on roads a fire engine can reach, every candidate\'s gain once (one capped search each), then lazy greedy with incremental coverage.\n';
}

export default { name: 'hydrants', run } satisfies BenchSection;
