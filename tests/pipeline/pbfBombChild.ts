/** Reads the PBF file argv[2] (budget argv[3] if given) and prints {code?, nodes?, maxRssMiB} as JSON. */
import { readFileSync } from 'node:fs';
import { isErrorInfo } from '../../src/core/errors';
import { readOsm } from '../../src/core/osm/read';

const bytes = new Uint8Array(readFileSync(process.argv[2]));
const budget = process.argv[3] ? Number(process.argv[3]) : undefined;
let out: Record<string, unknown>;
try {
  const data = readOsm(bytes, 'bomb.osm.pbf', undefined, budget === undefined ? {} : { pbfBudget: budget });
  out = { nodes: data.nodes.size };
} catch (e) {
  out = isErrorInfo(e) ? { code: e.code, en: e.en, zh: e.zh } : { crash: String(e) };
}
out.maxRssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify(out));
