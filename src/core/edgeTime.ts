/**
 * The time to a point part-way along a road segment — written once. A point at fraction t (0 = tail u, 1 = head v)
 * of directed edge u→v is reached either by entering u→v at u and driving t of it, or by entering the reverse edge
 * v→u at v and driving 1 − t of it. Entry times come from a run's entryTime(edge), which honours turn restrictions
 * at the edge's tail; a point exactly on a node needs no edge at all.
 */
export function edgePointTime(entryFwd: number, entryBack: number, t: number, fwdS: number, backS: number): number {
  const a = t === 0 ? entryFwd : entryFwd + t * fwdS;
  const b = t === 1 ? entryBack : entryBack + (1 - t) * backS;
  return a < b ? a : b;
}

/** Anything that can tell when a run enters a directed edge (ShortestPaths, ChainPaths). */
export interface EdgeEntry {
  entryTime(edge: number): number;
  /** Arrival at the edge's tail node (head = false) or head node (head = true), by whatever way: a point on the node. */
  arrivalAt(edge: number, head: boolean): number;
}

/**
 * edgePointTime read off a run: `rev` is the reverse edge (v→u) or -1 for a one-way road. A point exactly on a node
 * takes the node's arrival time — no turn into the edge is needed to stand there.
 */
export function pointTimeOnRun(run: EdgeEntry, seconds: ArrayLike<number>, edge: number, rev: number, t: number): number {
  if (t === 0 || t === 1) return run.arrivalAt(edge, t === 1);
  const back = rev >= 0 ? seconds[rev] : Infinity;
  return edgePointTime(run.entryTime(edge), rev >= 0 ? run.entryTime(rev) : Infinity, t, seconds[edge], back);
}
