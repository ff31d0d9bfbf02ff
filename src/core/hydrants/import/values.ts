/**
 * Values of a hydrant table cell: numbers with units ("DN150", "0.3MPa", "2015-06"), and the type / status words of
 * Chinese and English inventories mapped to the planner's kinds. An unknown word is kept as the subtype, never dropped.
 */
import type { Hydrant } from '../../types';

/** A decimal number in a cell (full-width digits and a comma decimal separator accepted), or null. */
export function parseNumber(s: string | undefined): number | null {
  if (s === undefined) return null;
  const t = s.trim().replace(/[０-９．－]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/^([+-]?\d+),(\d+)$/, '$1.$2');
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/** The first number inside a cell ("DN150" → 150, "0.35 MPa" → 0.35), or null. */
export function firstNumber(s: string | undefined): number | null {
  const m = s?.match(/\d+(\.\d+)?/);
  return m ? Number(m[0]) : null;
}

/** Pipe diameter in millimetres: "DN100", "100", "100mm"; inches ("4 in", '4"') converted. */
export function parseDiameterMm(s: string | undefined): number | null {
  const v = firstNumber(s);
  if (v === null) return null;
  return /(in|inch|")\s*$/i.test(s!.trim()) ? Math.round(v * 25.4) : v;
}

/** Pressure in MPa: "0.3", "0.3MPa", "300kPa", "3 bar", "3kg" (kgf/cm² ≈ 0.098 MPa). */
export function parsePressureMPa(s: string | undefined): number | null {
  const v = firstNumber(s);
  if (v === null) return null;
  const t = s!.toLowerCase();
  if (t.includes('kpa')) return v / 1000;
  if (t.includes('bar')) return v / 10;
  if (/kg|公斤/.test(t)) return Math.round(v * 0.0980665 * 1000) / 1000;
  return v;
}

/** A four-digit year 1900–2100 inside the cell ("2015", "2015-06-01", "2015年"), or null. Excel serial dates too. */
export function parseYear(s: string | undefined): number | null {
  if (!s) return null;
  const m = s.match(/(19|20|21)\d{2}/);
  if (m) return Number(m[0]);
  const serial = parseNumber(s);
  if (serial !== null && serial > 366 && serial < 80000) return new Date(Date.UTC(1899, 11, 30) + serial * 86400000).getUTCFullYear();
  return null;
}

const INTAKE = /取水|水鹤|消防水池|水池|水塘|天然水源|吸水|码头|intake|suction|tank|reservoir|cistern|pond|draft|water_tank|water_source/i;
const HYDRANT = /消火栓|消防栓|栓|地上式|地下式|室外|市政|pillar|underground|wall|pipe|hydrant/i;

/** Kind and subtype from a type cell: 取水点/水鹤/消防水池 … → water-intake; 消火栓/地上式/地下式 … → hydrant (default). */
export function mapType(s: string | undefined): { kind: Hydrant['kind']; subtype?: string } {
  const t = s?.trim() ?? '';
  if (!t) return { kind: 'hydrant' };
  if (INTAKE.test(t)) return { kind: 'water-intake', subtype: t };
  if (HYDRANT.test(t)) return { kind: 'hydrant', subtype: t };
  // Unknown words are kept as the subtype (a hydrant list by default): never dropped.
  return { kind: 'hydrant', subtype: t };
}

const OUT = /损坏|停用|报废|故障|失效|无效|不可用|无法使用|不能使用|被盗|无水|漏水|废弃|拆除|待修|维修中|broken|damaged|out of service|out-of-service|disabled|inactive|defect|fault|removed|abandoned|dry/i;
const PLANNED = /规划|拟建|待建|在建|planned|proposed|under construction/i;
const OK_WORDS = '正常|完好|良好|可用|在用|使用中|有效|ok|good|active|in service|in-service|working|normal|existing';
const OK = new RegExp(OK_WORDS, 'i');
/** An OK word after a negation in the same clause ("不正常", "非正常", "not working", "not in good order"): out of service. */
const NEGATED_OK = new RegExp(`(不|非|未|无|没有|\\bnot\\b|\\bun-?)[^,;，；、。/|]{0,12}?(${OK_WORDS})`, 'i');

/** Status and in-service flag from a status cell; an unknown word leaves inService undefined (and is reported). */
export function mapStatus(s: string | undefined): { status: Hydrant['status']; inService?: boolean; known: boolean } {
  const t = s?.trim() ?? '';
  if (!t) return { status: 'existing', known: true };
  if (OUT.test(t) || NEGATED_OK.test(t)) return { status: 'existing', inService: false, known: true };
  if (PLANNED.test(t)) return { status: 'planned', known: true };
  if (OK.test(t)) return { status: 'existing', inService: true, known: true };
  return { status: 'existing', known: false };
}
