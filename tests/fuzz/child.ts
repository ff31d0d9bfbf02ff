/**
 * The fuzz runner process: runs cases [from, to) of a seed and writes one line per case to stdout — `s <i> <target>` when it starts, `<i> <kind> <target> <ms>` when done,
 * or a JSON line for a crash or silent acceptance — synchronously, so the parent sees which case hangs.
 * Usage: node --import tsx tests/fuzz/child.ts <from> <to> <seed> [<only target> | -<all but target>]
 */
import { writeSync } from 'node:fs';
import { runCase, targetOf } from './targets';

const [from, to, seed] = process.argv.slice(2, 5).map(Number);
const filter = process.argv[5] ?? '';
const wanted = (name: string) => !filter || (filter.startsWith('-') ? name !== filter.slice(1) : name === filter);
for (let i = from; i < to; i++) {
  if (!wanted(targetOf(i).name)) continue;
  writeSync(1, `s ${i} ${targetOf(i).name}\n`);
  const t0 = performance.now();
  const { target, verdict, input } = await runCase(i, seed);
  const ms = Math.round(performance.now() - t0);
  if (verdict.kind === 'crash' || verdict.kind === 'silent') writeSync(1, JSON.stringify({ i, target, ms, ...verdict, input }) + '\n');
  else writeSync(1, `${i} ${verdict.kind} ${target} ${ms}\n`);
}
