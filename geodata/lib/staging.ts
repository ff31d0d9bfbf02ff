/**
 * Leftovers of interrupted pipeline runs. A build stages its output in `.<out>.staging-<pid>` next to the output
 * folder and swaps folders through `.<name>.old-<pid>` (io.ts swapInto); a run that is killed leaves them behind.
 * The next run removes those whose process is gone, `.gitignore` keeps them out of git and vite.config.ts keeps
 * them out of `dist/`.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** `.data.staging-1234`, `.places.json.old-1234`, …: a name the pipeline uses only while it runs. */
export const LEFTOVER_NAME = /^\.(.+)\.(staging|old)-(\d+)$/;

/** Whether any part of `path` below `base` is a pipeline leftover (used to filter the public folder). */
export function isLeftoverPath(base: string, path: string): boolean {
  const rel = relative(base, path);
  return rel !== '' && rel.split(sep).some((part) => LEFTOVER_NAME.test(part));
}

/** Whether process `pid` still runs (a process of another user counts as running). */
function running(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A leftover older than this is removed even when its pid has been reused by another process. */
const MAX_AGE_MS = 6 * 3600 * 1000;

/**
 * Removes the leftovers of interrupted runs for output folder `outDir`: `.<out>.staging-<pid>` and
 * `.<out>.old-<pid>` beside it, `.<name>.old-<pid>` / `.<name>.staging-<pid>` inside it, when process <pid> no longer
 * runs (or the leftover is older than 6 hours). A running build's folders are kept. Returns the removed paths.
 */
export function removeLeftovers(outDir: string, now = Date.now()): string[] {
  const removed: string[] = [];
  const parent = join(outDir, '..');
  const outName = relative(parent, outDir);
  const sweep = (dir: string, mine: (name: string) => boolean) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const m = LEFTOVER_NAME.exec(name);
      if (!m || !mine(m[1])) continue;
      const path = join(dir, name);
      const stale = !running(Number(m[3])) || now - statSync(path).mtimeMs > MAX_AGE_MS;
      if (!stale) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    }
  };
  sweep(parent, (target) => target === outName);
  sweep(outDir, () => true);
  return removed;
}
