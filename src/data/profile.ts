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

/** The planner's edited speed profile (the whole profile JSON), kept in localStorage; null = the default. */
const SAVED_KEY = 'planner.profile.v1';

export function loadSavedProfile(): unknown {
  try {
    const s = localStorage.getItem(SAVED_KEY);
    return s ? (JSON.parse(s) as unknown) : null;
  } catch {
    return null; // no storage or unreadable: use the default
  }
}

export function saveProfile(json: unknown): void {
  try {
    if (json) localStorage.setItem(SAVED_KEY, JSON.stringify(json));
    else localStorage.removeItem(SAVED_KEY);
  } catch {
    /* storage full or unavailable: the edit still applies for this session */
  }
}
