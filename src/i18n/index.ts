import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { zh } from './zh';
import { en } from './en';

export type Lang = 'zh' | 'en';

/** One i18next instance; zh-CN by default, English complete. */
export function initI18n(lang: Lang): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: { zh: { translation: zh }, en: { translation: en } },
    lng: lang,
    fallbackLng: 'zh',
    interpolation: { escapeValue: false }, // React escapes; we never inject HTML
    returnNull: false,
  });
  return i18next;
}

export { i18next };
