import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { PlannerError } from './errors';
import { passedLimits } from './roadRulesAccess';
import { edgeAccess, figuresOf, nodePasses, parseRoadRules, validateRoadRules, vehicleById, vehicleFiguresIssues, withFigures, type Access, type RoadRules } from './roadRules';

const raw = (): Record<string, any> => JSON.parse(readFileSync(new URL('../../geodata/profiles/road-rules.json', import.meta.url), 'utf8'));
const rules = parseRoadRules(raw());
const tender = vehicleById(rules); // 3.4 m high, 2.5 m wide, 8.5 m long, 18 t, 11.5 t per axle
const ladder = vehicleById(rules, 'aerial-platform'); // 3.9 m, 2.5 m, 11.5 m, 25 t, 9 t per axle
/** The rules with one value replaced (a switch flipped). */
const withRule = (edit: (r: Record<string, any>) => void): RoadRules => { const r = raw(); edit(r); return parseRoadRules(r); };

const fwd = (facts: Record<string, string>, r = rules, v = tender) => edgeAccess(facts, true, r, v);
const bwd = (facts: Record<string, string>, r = rules, v = tender) => edgeAccess(facts, false, r, v);
/** The verdict as one word: open, emergency (emergency-only), or the closing rule's code. */
const verdict = (a: Access) => (!a.ok ? a.reason?.code : a.emergencyOnly ? 'emergency' : 'open');

describe('the rules file', () => {
  it('is valid, and every entry has a source or an assumption', () => {
    expect(validateRoadRules(raw())).toEqual([]);
    const r = raw();
    const entries = [
      ...Object.values(r.access), ...Object.values(r.access.values), ...Object.values(r.oneway), ...Object.values(r.barriers.kinds),
      r.barriers.unknown, ...Object.values(r.construction), ...Object.values(r.smoothness), ...Object.values(r.ferry), r.defaultVehicle,
      ...r.vehicles.flatMap((v: Record<string, unknown>) => [v.heightM, v.widthM, v.lengthM, v.weightT, v.axleLoadT]),
    ].filter((e: any) => e && 'value' in e && !(e === r.access.values)) as { source?: string; assumption?: string }[];
    expect(entries.length).toBeGreaterThan(60);
    for (const e of entries) expect(typeof e.source === 'string' || typeof e.assumption === 'string').toBe(true);
  });
  it('lists every problem of a broken file in one PlannerError', () => {
    const r = raw();
    delete r.access.private;
    r.vehicles[0].heightM.value = 99;
    r.barriers.kinds.bollard.value = 'maybe';
    r.ferry.allow = { value: 'yes', assumption: 'x' };
    delete r.oneway.reversible.assumption;
    r.defaultVehicle.value = 'nope';
    const paths = validateRoadRules(r).map((i) => i.path);
    expect(paths).toEqual(['access.private', 'oneway.reversible', 'barriers.kinds.bollard', 'ferry.allow', 'vehicles[0].heightM', 'defaultVehicle']);
    try {
      parseRoadRules(r, 'road-rules.json');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PlannerError);
      const p = e as PlannerError;
      expect(p.code).toBe('bad-road-rules');
      expect(p.file).toBe('road-rules.json');
      expect(p.en).toMatch(/^road rules have 6 problem/);
      expect(p.zh).toMatch(/^道路通行规则有 6 处错误/);
      expect(p.en).not.toMatch(/[\u4e00-\u9fff]/);
    }
    expect(validateRoadRules(null)).toHaveLength(1);
    expect(validateRoadRules({ id: 'x', name: 'x' }).length).toBeGreaterThan(8);
  });
  it('finds vehicles by id, the default without one', () => {
    expect(tender.id).toBe('water-tender');
    expect(ladder.heightM.value).toBe(3.9);
    expect(() => vehicleById(rules, 'tank')).toThrow(expect.objectContaining({ code: 'unknown-vehicle' }));
  });
});

describe('access values for a fire engine', () => {
  // Hand-decided answers (not read back from the file): the default switch lets private roads in as emergency-only.
  it.each([
    ['yes', 'open'], ['designated', 'open'], ['permissive', 'open'], ['destination', 'open'], ['delivery', 'open'],
    ['customers', 'open'], ['residents', 'open'], ['discouraged', 'open'], ['unknown', 'open'], ['some_typo', 'open'],
    ['private', 'emergency'], ['permit', 'emergency'], ['psv', 'emergency'], ['bus', 'emergency'], ['taxi', 'emergency'], ['emergency', 'emergency'],
    ['no', 'access'], ['agricultural', 'access'], ['forestry', 'access'], ['military', 'access'],
  ])('access=%s → %s', (value, want) => {
    expect(verdict(fwd({ access: value }))).toBe(want);
    expect(verdict(bwd({ access: value }))).toBe(want);
  });
  it('covers every value the file lists', () => {
    const tested = ['yes', 'designated', 'permissive', 'destination', 'delivery', 'customers', 'residents', 'discouraged', 'unknown',
      'private', 'permit', 'psv', 'bus', 'taxi', 'emergency', 'no', 'agricultural', 'forestry', 'military'];
    expect(Object.keys(rules.access.values).sort()).toEqual(tested.sort());
  });
  it('says why: the tag that closed the road', () => {
    expect(fwd({ motorcar: 'no' }).reason).toEqual({ code: 'access', zh: '禁止通行：motorcar=no', en: 'no access: motorcar=no' });
    expect(fwd({ access: 'private' }).reason?.code).toBe('private');
  });
  it('the private switch: emergency-only (default), open, closed', () => {
    expect(verdict(fwd({ access: 'private' }, withRule((r) => { r.access.private.value = 'open'; })))).toBe('open');
    expect(verdict(fwd({ access: 'private' }, withRule((r) => { r.access.private.value = 'closed'; })))).toBe('private');
    expect(verdict(fwd({ access: 'private', emergency: 'yes' }, withRule((r) => { r.access.private.value = 'closed'; })))).toBe('emergency');
  });
  it('unknown values follow unknownValue', () => {
    expect(verdict(fwd({ access: 'some_typo' }, withRule((r) => { r.access.unknownValue.value = 'closed'; })))).toBe('access');
  });
});

describe('access precedence: fire_engine > emergency > motorcar > motor_vehicle > vehicle > access', () => {
  it.each([
    [{ access: 'no', motor_vehicle: 'yes' }, 'open'],
    [{ motor_vehicle: 'no', motorcar: 'yes' }, 'open'],
    [{ vehicle: 'no', motor_vehicle: 'designated' }, 'open'],
    [{ access: 'yes', motorcar: 'no' }, 'access'],
    [{ access: 'yes', vehicle: 'no' }, 'access'],
    [{ motor_vehicle: 'yes', vehicle: 'no', access: 'no' }, 'open'],
    [{ access: 'no', emergency: 'yes' }, 'emergency'],
    [{ access: 'no', emergency: 'designated' }, 'emergency'],
    [{ access: 'no', fire_engine: 'yes' }, 'emergency'],
    [{ access: 'private', fire_engine: 'yes' }, 'emergency'],
    [{ motorcar: 'yes', emergency: 'no' }, 'access'],
    [{ emergency: 'no', fire_engine: 'yes' }, 'open'],
    [{ access: 'no', emergency: 'yes', fire_engine: 'no' }, 'access'],
    [{ emergency: 'yes' }, 'open'],
    [{ service: 'emergency_access' }, 'emergency'],
    [{ service: 'emergency_access', access: 'no' }, 'emergency'],
    [{ service: 'emergency_access', motor_vehicle: 'yes' }, 'open'],
    [{ service: 'driveway' }, 'open'],
    [{ hgv: 'no' }, 'open'],
    [{ access: 'no;yes' }, 'access'],
    // emergency=* feature values (a hydrant, a phone, a ward entrance) are no access values: they open nothing.
    [{ access: 'no', emergency: 'fire_hydrant' }, 'access'],
    [{ access: 'no', emergency: 'emergency_ward_entrance' }, 'access'],
    [{ emergency: 'phone' }, 'open'],
  ])('%j → %s', (facts, want) => expect(verdict(fwd(facts))).toBe(want));
  it('hgv bans apply when the rules put hgv in the chain', () => {
    const r = withRule((x) => { x.access.precedence.value = ['hgv', ...x.access.precedence.value]; });
    expect(verdict(fwd({ hgv: 'no' }, r))).toBe('access');
    expect(verdict(fwd({ hgv: 'no', emergency: 'yes' }, r))).toBe('emergency');
  });
  it(':forward / :backward apply to their direction only, and beat the plain key of the same mode', () => {
    expect(verdict(fwd({ 'access:forward': 'no' }))).toBe('access');
    expect(verdict(bwd({ 'access:forward': 'no' }))).toBe('open');
    expect(verdict(fwd({ 'access:backward': 'no' }))).toBe('open');
    expect(verdict(bwd({ 'access:backward': 'no' }))).toBe('access');
    expect(verdict(fwd({ access: 'no', 'motorcar:backward': 'yes' }))).toBe('access');
    expect(verdict(bwd({ access: 'no', 'motorcar:backward': 'yes' }))).toBe('open');
    expect(verdict(fwd({ access: 'yes', 'access:forward': 'private' }))).toBe('emergency');
    expect(verdict(bwd({ access: 'yes', 'access:forward': 'private' }))).toBe('open');
    // The mode decides before the direction: a plain motorcar=yes beats access:backward=no.
    expect(verdict(bwd({ motorcar: 'yes', 'access:backward': 'no' }))).toBe('open');
    expect(verdict(bwd({ access: 'no', 'emergency:backward': 'yes' }))).toBe('emergency');
    expect(verdict(fwd({ access: 'no', 'emergency:backward': 'yes' }))).toBe('access');
  });
});

describe('one-way variants (againstOneway: true = against the flow, false = allowed, undefined = no tag)', () => {
  const against = (facts: Record<string, string>, r = rules) => [fwd(facts, r).againstOneway, bwd(facts, r).againstOneway];
  it.each([
    [{ oneway: 'yes' }, [false, true]],
    [{ oneway: '1' }, [false, true]],
    [{ oneway: 'true' }, [false, true]],
    [{ oneway: '-1' }, [true, false]],
    [{ oneway: 'reverse' }, [true, false]],
    [{ oneway: 'no' }, [false, false]],
    [{}, [undefined, undefined]],
    [{ 'oneway:motorcar': 'yes' }, [false, true]],
    [{ 'oneway:motor_vehicle': '-1' }, [true, false]],
    [{ 'oneway:vehicle': 'yes' }, [false, true]],
    [{ oneway: 'yes', 'oneway:motorcar': 'no' }, [false, false]],
    [{ oneway: 'yes', 'oneway:vehicle': 'no' }, [false, false]],
    [{ oneway: 'no', 'oneway:motor_vehicle': 'yes', 'oneway:vehicle': 'no' }, [false, true]],
    [{ oneway: 'yes', 'oneway:emergency': 'no' }, [false, false]],
    [{ 'oneway:bicycle': 'no', oneway: 'yes' }, [false, true]],
    [{ junction: 'roundabout' }, [false, true]],
    [{ junction: 'circular' }, [false, true]],
    [{ junction: 'roundabout', oneway: 'no' }, [false, false]],
    [{ oneway: 'alternating' }, [false, false]],
    [{ oneway: 'reversible' }, [true, true]],
  ])('%j → [forward, backward] %j', (facts, want) => expect(against(facts)).toEqual(want));
  it('reversible roads follow the switch: both ways, or closed', () => {
    expect(against({ oneway: 'reversible' }, withRule((r) => { r.oneway.reversible.value = 'both'; }))).toEqual([false, false]);
    const closedRule = withRule((r) => { r.oneway.reversible.value = 'closed'; });
    expect(verdict(fwd({ oneway: 'reversible' }, closedRule))).toBe('reversible');
    expect(verdict(bwd({ oneway: 'reversible' }, closedRule))).toBe('reversible');
  });
});

describe('construction, impassable surfaces, ferries', () => {
  it.each([
    [{ highway: 'construction' }, 'construction'],
    [{ construction: 'yes' }, 'construction'],
    [{ construction: 'residential' }, 'construction'],
    [{ construction: 'minor' }, 'open'],
    [{ construction: 'no' }, 'open'],
    [{ smoothness: 'impassable' }, 'impassable'],
    [{ smoothness: 'very_horrible' }, 'impassable'],
    [{ smoothness: 'horrible' }, 'open'],
    [{ smoothness: 'bad' }, 'open'],
    [{ route: 'ferry', duration: '00:15' }, 'ferry'],
  ])('%j → %s', (facts, want) => expect(verdict(fwd(facts))).toBe(want));
  it('highway=construction can be switched off', () => {
    expect(verdict(fwd({ highway: 'construction' }, withRule((r) => { r.construction.highwayConstruction.value = false; })))).toBe('open');
  });
  it('a ferry is routable only when the rules allow ferries', () => {
    const on = withRule((r) => { r.ferry.allow.value = true; });
    expect(fwd({ route: 'ferry' }, on)).toEqual({ ok: true, ferry: true });
    expect(verdict(fwd({ route: 'ferry', motor_vehicle: 'no' }, on))).toBe('access');
    expect(fwd({ route: 'ferry' }).reason?.en).toBe('ferry (ferries are off in the rules)');
  });
});

describe('size and weight limits against the vehicle (just under / equal / just over)', () => {
  const cases: [string, keyof typeof tender, string, string][] = [
    ['maxheight', 'heightM', '限高', 'height limit'],
    ['maxwidth', 'widthM', '限宽', 'width limit'],
    ['maxlength', 'lengthM', '限长', 'length limit'],
    ['maxweight', 'weightT', '限重', 'weight limit'],
    ['maxaxleload', 'axleLoadT', '限轴重', 'axle-load limit'],
  ];
  it.each(cases)('%s', (key, of, zh, en) => {
    const own = (tender[of] as { value: number }).value;
    expect(fwd({ [key]: String(own + 0.01) }).ok).toBe(true);
    expect(fwd({ [key]: String(own) }).ok).toBe(true);
    const over = fwd({ [key]: String(Math.round((own - 0.01) * 100) / 100) });
    expect(over.ok).toBe(false);
    expect(over.reason?.code).toBe(key);
    expect(over.reason?.zh.startsWith(`${zh} ${Math.round((own - 0.01) * 100) / 100} `)).toBe(true);
    expect(over.reason?.en.startsWith(`${en} ${Math.round((own - 0.01) * 100) / 100} `)).toBe(true);
  });
  it('writes the refusal the way a planner reads it', () => {
    expect(fwd({ maxheight: '2.2' }).reason).toEqual({ code: 'maxheight', zh: '限高 2.2 米 < 车高 3.4 米', en: 'height limit 2.2 m < vehicle height 3.4 m' });
    expect(fwd({ maxweight: '10 t' }).reason?.en).toBe('weight limit 10 t < vehicle weight 18 t');
  });
  it('the ladder truck is stopped where the water tender passes', () => {
    const road = { maxheight: '3.8', maxweight: '20' };
    expect(verdict(fwd(road))).toBe('open');
    expect(verdict(fwd(road, rules, ladder))).toBe('maxheight');
    expect(verdict(fwd({ maxweight: '20' }, rules, ladder))).toBe('maxweight');
    expect(verdict(fwd({ maxlength: '10' }, rules, ladder))).toBe('maxlength');
    expect(verdict(fwd({ maxaxleload: '10' }))).toBe('maxaxleload');
    expect(verdict(fwd({ maxaxleload: '10' }, rules, ladder))).toBe('open');
  });
  it('reads units, physical and directional limits, and "no limit" values', () => {
    expect(verdict(fwd({ maxheight: '11\'2"' }))).toBe('open'); // 3.4036 m ≥ 3.4 m
    expect(verdict(fwd({ maxheight: '11\'' }))).toBe('maxheight'); // 3.3528 m
    expect(verdict(fwd({ maxweight: '17000 kg' }))).toBe('maxweight');
    expect(verdict(fwd({ maxweight: '18000 kg' }))).toBe('open');
    expect(verdict(fwd({ maxheight: '4.5', 'maxheight:physical': '3.2' }))).toBe('maxheight');
    expect(verdict(fwd({ 'maxweight:forward': '10' }))).toBe('maxweight');
    expect(verdict(bwd({ 'maxweight:forward': '10' }))).toBe('open');
    expect(verdict(fwd({ maxheight: 'default' }))).toBe('open');
    expect(verdict(fwd({ maxheight: 'below_default' }))).toBe('open');
    expect(verdict(fwd({ maxheight: 'none' }))).toBe('open');
  });
  it('a closure by access is reported before a limit', () => {
    expect(verdict(fwd({ access: 'no', maxheight: '2' }))).toBe('access');
  });
});

describe('barrier nodes', () => {
  // Hand-decided, not read back from the file.
  const BLOCK = ['bollard', 'block', 'wall', 'fence', 'kerb', 'chain', 'jersey_barrier', 'log', 'debris', 'planter', 'rope', 'ditch',
    'stile', 'turnstile', 'full-height_turnstile', 'kissing_gate', 'cycle_barrier', 'motorcycle_barrier', 'hampshire_gate'];
  const PASS = ['gate', 'swing_gate', 'sliding_gate', 'lift_gate', 'cattle_grid', 'toll_booth', 'border_control', 'entrance',
    'height_restrictor', 'bus_trap', 'sump_buster', 'spikes'];
  const node = (facts: Record<string, string>, r = rules, v = tender) => verdict(nodePasses(facts, r, v));
  it('the file decides exactly these kinds', () => expect(Object.keys(rules.barriers.kinds).sort()).toEqual([...BLOCK, ...PASS].sort()));
  it.each(BLOCK)('barrier=%s blocks', (kind) => {
    const a = nodePasses({ barrier: kind }, rules, tender);
    expect(a.ok).toBe(false);
    expect(a.reason?.code).toBe('barrier');
    expect(a.reason?.en).toContain(`barrier=${kind}`);
  });
  it.each(PASS)('barrier=%s passes', (kind) => expect(node({ barrier: kind })).toBe('open'));
  it('an unknown barrier kind blocks (switchable)', () => {
    expect(node({ barrier: 'yes' })).toBe('barrier');
    expect(node({ barrier: 'something_new' })).toBe('barrier');
    expect(node({ barrier: 'yes' }, withRule((r) => { r.barriers.unknown.value = 'pass'; }))).toBe('open');
  });
  it('access tags on the node open a blocking barrier or close a passable one', () => {
    expect(node({ barrier: 'bollard', emergency: 'yes' })).toBe('emergency');
    // A hydrant mapped on the bollard's node does not open it.
    expect(node({ barrier: 'bollard', emergency: 'fire_hydrant' })).toBe('barrier');
    expect(node({ barrier: 'gate', access: 'no', emergency: 'fire_hydrant' })).toBe('access');
    expect(node({ barrier: 'bollard', fire_engine: 'yes' })).toBe('emergency');
    expect(node({ barrier: 'bollard', motor_vehicle: 'yes' })).toBe('open');
    expect(node({ barrier: 'bollard', access: 'no' })).toBe('barrier');
    expect(node({ barrier: 'bollard', access: 'psv' })).toBe('emergency');
    expect(node({ barrier: 'gate', access: 'private' })).toBe('emergency');
    expect(node({ barrier: 'gate', access: 'no' })).toBe('access');
    expect(node({ barrier: 'swing_gate', access: 'no', emergency: 'yes' })).toBe('emergency');
    expect(node({ barrier: 'lift_gate', access: 'private' }, withRule((r) => { r.access.private.value = 'closed'; }))).toBe('private');
    expect(node({ barrier: 'lift_gate', access: 'yes' })).toBe('open');
  });
  it('tags on a node that is not a barrier (a parking entrance, a car park) do not block, unless switched on', () => {
    expect(node({ access: 'no' })).toBe('open');
    expect(node({ access: 'private', maxheight: '1.9' })).toBe('open');
    const apply = withRule((r) => { r.barriers.tagsOnOtherNodes.value = true; });
    expect(node({ access: 'no' }, apply)).toBe('access');
    expect(node({ access: 'no', emergency: 'yes' }, apply)).toBe('emergency');
    expect(node({ maxheight: '1.9' }, apply)).toBe('maxheight');
  });
  it('a height restrictor checks its maxheight against the vehicle', () => {
    expect(node({ barrier: 'height_restrictor', maxheight: '3.0' })).toBe('maxheight');
    expect(node({ barrier: 'height_restrictor', maxheight: '3.5' })).toBe('open');
    expect(node({ barrier: 'height_restrictor', maxheight: '3.5' }, rules, ladder)).toBe('maxheight');
  });
  it('says which barrier', () => {
    expect(nodePasses({ barrier: 'bollard' }, rules, tender).reason).toEqual({ code: 'barrier', zh: '路障：隔离桩（barrier=bollard）', en: 'barrier: bollard (barrier=bollard)' });
  });
});

describe("a planner's vehicle figures", () => {
  it('valid figures replace the file\'s, noted as edited; the same figures or null leave the vehicle as it is', () => {
    expect(figuresOf(tender)).toEqual({ heightM: 3.4, widthM: 2.5, lengthM: 8.5, weightT: 18, axleLoadT: 11.5 });
    expect(vehicleFiguresIssues(figuresOf(tender))).toEqual([]);
    const low = withFigures(tender, { ...figuresOf(tender), heightM: 2.2 });
    expect(low.heightM).toEqual({ value: 2.2, assumption: 'edited by the planner' });
    expect(low.widthM).toBe(tender.widthM);
    expect(low.name).toBe(tender.name);
    expect(withFigures(tender, null)).toBe(tender);
    // the edited vehicle passes under a 2.3 m limit the file's tender does not
    expect(verdict(edgeAccess({ highway: 'residential', maxheight: '2.3' }, true, rules, tender))).toBe('maxheight');
    expect(verdict(edgeAccess({ highway: 'residential', maxheight: '2.3' }, true, rules, low))).toBe('open');
  });

  it('lists every bad field with its range and unit, in zh and en; the range ends are valid', () => {
    expect(vehicleFiguresIssues({ heightM: 1, widthM: 4, lengthM: 30, weightT: 0.5, axleLoadT: 40 })).toEqual([]);
    const issues = vehicleFiguresIssues({ heightM: 6.1, widthM: '2.5', lengthM: 8.5, weightT: -1 });
    expect(issues.map((i) => i.path)).toEqual(['heightM', 'widthM', 'weightT', 'axleLoadT']);
    expect(issues[0]).toEqual({ path: 'heightM', zh: '车高须在 1–6 m 之间（当前：6.1 m）', en: 'height must be between 1 and 6 m (got 6.1 m)' });
    expect(issues[1].en).toBe('width must be between 1 and 4 m (got "2.5")');
    expect(issues[3].zh).toBe('轴荷须在 0.5–40 t 之间（当前：null）');
    expect(vehicleFiguresIssues(null)).toHaveLength(1);
    let err: unknown;
    try { withFigures(tender, { ...figuresOf(tender), heightM: 0, weightT: Number.POSITIVE_INFINITY }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(PlannerError);
    expect(err).toMatchObject({ code: 'bad-vehicle-figures', detail: 'heightM, weightT' });
    expect((err as PlannerError).zh).toContain('车辆参数有 2 处错误');
    expect((err as PlannerError).en).toContain('laden mass must be between 0.5 and 100 t (got null)');
  });
});


describe('limits a vehicle passes (drawn on the map)', () => {
  const rules = parseRoadRules(JSON.parse(readFileSync(new URL('../../geodata/profiles/road-rules.json', import.meta.url), 'utf8')));
  const tender = vehicleById(rules);
  it('reads the tightest limit of the direction, rounded as the refusal is', () => {
    expect(passedLimits({ maxheight: '13\'6"' }, true, tender)?.zh).toBe('限高 4.11 米（车高 3.4 米，可通行）');
    expect(passedLimits({ maxheight: '5', 'maxheight:physical': '4.5' }, true, tender)?.en).toBe('height limit 4.5 m (vehicle height 3.4 m: passes)');
    expect(passedLimits({ 'maxweight:backward': '20', maxweight: '40' }, false, tender)?.en).toBe('weight limit 20 t (vehicle weight 18 t: passes)');
    expect(passedLimits({ 'maxweight:backward': '20', maxweight: '40' }, true, tender)?.en).toBe('weight limit 40 t (vehicle weight 18 t: passes)');
    expect(passedLimits({ maxheight: '3' }, true, tender)).toBeUndefined();
    expect(passedLimits({ access: 'no' }, true, tender)).toBeUndefined();
  });
});
