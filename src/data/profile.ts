/** The fire-engine speed profile (geodata/profiles/fire-engine.json, owned by the routing helper). */
const files = import.meta.glob<unknown>('../../geodata/profiles/*.json', { eager: true, import: 'default' });

export interface ProfileSummary {
  id: string;
  name: string;
  nameEn: string;
  peakFactor: number;
  json: unknown;
}

export function defaultProfile(): ProfileSummary | undefined {
  const list = Object.values(files) as { id?: string; name?: string; nameEn?: string; peakFactor?: { value?: number } }[];
  const p = list.find((x) => x && x.id === 'fire-engine') ?? list[0];
  if (!p) return undefined;
  return {
    id: p.id ?? 'profile',
    name: p.name ?? p.id ?? '',
    nameEn: p.nameEn ?? p.name ?? '',
    peakFactor: typeof p.peakFactor?.value === 'number' ? p.peakFactor.value : 1,
    json: p,
  };
}
