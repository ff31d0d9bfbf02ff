/**
 * Fuzz suite (issue #15): 10,000 seeded cases over every importer — OSM XML / PBF / Overpass JSON (readOsm, then
 * buildGraph), district GeoJSON (the app's parseDistrictFile and `planner check --districts`) and scenario files —
 * from mutated real files: byte/text edits, truncations, NaN/Infinity/huge numbers, swapped axes, metre coordinates,
 * deep nesting. Each case is judged by an independent check (checks.ts):
 *   crash  — anything thrown that is not a PlannerError, a process that dies, or a case running over HANG_MS;
 *   silent — an invalid file accepted (out-of-range or NaN values in the output, a non-WGS84 file, …).
 * The cases run in a child process (child.ts) that reports each finished case, so a hang is caught and named.
 * Findings already reported and owned by other work packages are listed in KNOWN: counted and printed, not failed;
 * anything else fails the test. Re-run one case: `node --import tsx tests/fuzz/child.ts <i> <i+1> <seed>`.
 * Environment: FUZZ_CASES (default 10000), FUZZ_SEED (default 1), FUZZ_BUDGET_S (default 110).
 */
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const CASES = Number(process.env.FUZZ_CASES ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 1);
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_S ?? 110) * 1000;
const HANG_MS = 5_000;

interface Finding { i: number; target: string; kind: 'crash' | 'silent' | 'hang'; category: string; detail?: string; input?: string; ms?: number }

/**
 * Findings reported to the owners of the importer files (not fixable inside this package): matched on
 * `target kind category`. Each entry says where the fault is.
 */
const KNOWN: { re: RegExp; where: string }[] = [
];

/** Runs cases [from, to) in one child process; resolves with the findings and where it stopped. */
function runChild(from: number, to: number, filter: string, deadline: number): Promise<{ findings: Finding[]; done: number; counts: Record<string, number> }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(here, 'child.ts'), String(from), String(to), String(SEED), filter], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const findings: Finding[] = [];
    const counts: Record<string, number> = {};
    let next = from, buf = '', last = Date.now(), stderr = '', finished = false;
    const started = { i: String(from), target: '?', any: false };
    const finish = (extra?: Finding) => {
      if (finished) return;
      finished = true;
      clearInterval(watch);
      if (extra) findings.push(extra);
      done({ findings, done: extra ? extra.i + 1 : next, counts });
    };
    const exited = (code: number | null) => {
      if (code === 0) { next = to; return finish(); }
      if (finished) return;
      finish({ i: Number(started.i), target: started.target, kind: 'crash', category: `process died (exit ${code})`, detail: stderr.slice(-400) });
    };
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        last = Date.now();
        if (line.startsWith('{')) {
          const f = JSON.parse(line) as Finding;
          findings.push(f);
          next = f.i + 1;
        } else if (line.startsWith('s ')) {
          [, started.i, started.target] = line.split(' ');
          started.any = true;
        } else {
          const [i, kind] = line.split(' ');
          next = Number(i) + 1;
          counts[kind] = (counts[kind] ?? 0) + 1;
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString('utf8')).slice(-2000); });
    const watch = setInterval(() => {
      // Loading the importers and seeds takes a second or more: the clock for a hang starts at the first case.
      if (Date.now() - last > (started.any ? HANG_MS : 30_000)) {
        child.kill('SIGKILL');
        finish({ i: Number(started.i), target: started.target, kind: 'hang', category: `no answer within ${HANG_MS / 1000} s` });
      } else if (Date.now() > deadline) {
        child.kill('SIGKILL');
        finish();
      }
    }, 200);
    child.on('close', exited);
  });
}

describe('fuzz: every importer', () => {
  it(`${CASES} seeded cases: no crash, no hang, no silent acceptance of an invalid file`, { timeout: BUDGET_MS + 60_000 }, async () => {
    const t0 = Date.now();
    const deadline = t0 + BUDGET_MS;
    const findings: Finding[] = [];
    const counts: Record<string, number> = {};
    /** One chain of child processes over the cases of `filter`, restarted after a hang; the case it reached. */
    const chain = async (filter: string): Promise<number> => {
      let at = 0;
      while (at < CASES && Date.now() < deadline) {
        const r = await runChild(at, CASES, filter, deadline);
        findings.push(...r.findings);
        for (const [k, v] of Object.entries(r.counts)) counts[k] = (counts[k] ?? 0) + v;
        if (r.done <= at) break;
        at = r.done;
      }
      return at;
    };
    // PBF cases in their own process (the known tiny-osmpbf hangs cost HANG_MS each), the rest in another.
    const at = Math.min(...(await Promise.all([chain('osm-pbf'), chain('-osm-pbf')])));
    const total = Object.values(counts).reduce((s, v) => s + v, 0) + findings.length;
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    const key = (f: Finding) => `${f.target} ${f.kind} ${f.category}`;
    const known = findings.filter((f) => KNOWN.some((k) => k.re.test(key(f))));
    const fresh = findings.filter((f) => !known.includes(f));
    const groups = new Map<string, Finding[]>();
    for (const f of findings) groups.set(key(f), [...(groups.get(key(f)) ?? []), f]);
    const n = (xs: Finding[], kind: string) => xs.filter((f) => f.kind === kind || (kind === 'crash' && f.kind === 'hang')).length;
    const lines = [
      `fuzz: ${total} cases, ${n(fresh, 'crash')} crashes, ${n(fresh, 'silent')} silent acceptances (seed ${SEED}, ${secs} s; ${counts.refused ?? 0} refused, ${counts.accepted ?? 0} accepted)`,
      `fuzz: known findings owned by other packages: ${n(known, 'crash')} crashes, ${n(known, 'silent')} silent acceptances`,
      ...[...groups].map(([k, fs]) => `  ${fresh.includes(fs[0]) ? 'NEW  ' : 'known'} ${fs.length}× ${k} — e.g. case ${fs[0].i}: ${fs[0].input?.slice(0, 160) ?? fs[0].detail ?? ''}`),
      ...KNOWN.filter((k) => !findings.some((f) => k.re.test(key(f)))).map((k) => `  no longer seen (remove from KNOWN): ${k.re}`),
    ];
    console.log(lines.join('\n'));
    expect(at, `stopped at case ${at} of ${CASES}: time budget ${BUDGET_MS / 1000} s`).toBe(CASES);
    expect(total).toBe(CASES);
    expect(fresh.map(key)).toEqual([]);
  });
});
