/**
 * More sections of `npm run bench`, each in its own file (tests/bench/<name>.ts): a section runs its measurements and
 * returns markdown (a heading, a table, notes) appended to bench/results.md after the routing table. Add a section
 * with one line here. `BENCH_ONLY=<name>` runs just that section (and skips the routing table) while developing.
 */
export interface BenchSection {
  name: string;
  run(): Promise<string>;
}

export const SECTIONS: readonly (() => Promise<BenchSection>)[] = [
  async () => (await import('./drag')).default,
  async () => (await import('./hydrantImport')).default,
  () => import('./import').then((m) => m.importSection()),
  async () => (await import('./hydrants')).default,
  () => import('./optimize').then((m) => m.default),
  async () => (await import('./server')).default,
  async () => (await import('./layers')).default,
];
