import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { zh } from './zh';
import { en } from './en';

export type Lang = 'zh' | 'en';

/**
 * A feature's own strings: `src/i18n/parts/<feature>.ts` exports `zh` and `en` (same keys, under the feature's own
 * top-level namespace), so features add text without editing the shared dictionaries.
 */
export interface I18nPart {
  zh: Record<string, unknown>;
  en: Record<string, unknown>;
}

const parts = Object.values(import.meta.glob<I18nPart>('./parts/*.ts', { eager: true }));

/** The dictionaries with every part merged in (a part never replaces a shared namespace). */
export function dictionaries(): { zh: Record<string, unknown>; en: Record<string, unknown> } {
  const out = { zh: { ...zh } as Record<string, unknown>, en: { ...en } as Record<string, unknown> };
  for (const p of parts) {
    for (const lang of ['zh', 'en'] as const) {
      for (const [k, v] of Object.entries(p[lang])) {
        if (k in out[lang]) throw new Error(`i18n part namespace "${k}" already exists`);
        out[lang][k] = v;
      }
    }
  }
  return out;
}

/** One i18next instance; zh-CN by default, English complete. */
export function initI18n(lang: Lang): typeof i18next {
  const d = dictionaries();
  void i18next.use(initReactI18next).init({
    resources: { zh: { translation: d.zh }, en: { translation: d.en } },
    lng: lang,
    fallbackLng: 'zh',
    interpolation: { escapeValue: false }, // React escapes; we never inject HTML
    returnNull: false,
  });
  return i18next;
}

export { i18next };
