/** Import of responsibility-district polygons (GeoJSON) and the station assigned to each, changeable per district. */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../../store';
import { selectRoutingStations } from '../../store/selectors';
import { assignDistrict, clearImportedDistricts, importDistrictFile, importedHere } from '../../store/compliance';
import { msgText } from '../../i18n/msg';

export function DistrictImport() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const imported = useStore(importedHere);
  const error = useStore((s) => s.compliance.importError);
  const stations = useStore(selectRoutingStations);
  const input = useRef<HTMLInputElement>(null);
  const L = (m: { zh: string; en: string }) => (lang === 'en' ? m.en : m.zh);
  const unassigned = imported ? imported.fc.features.filter((f, i) => imported.assign[i] === null && /Polygon/.test(f?.geometry?.type ?? '')).length : 0;
  const stName = (s: { name: string; nameEn?: string }) => (lang === 'en' && s.nameEn) || s.name;

  return (
    <div className="district-import" data-testid="district-import">
      <div className="row">
        <label className="button">
          {t('compliance.importDistricts')}
          <input
            ref={input}
            type="file"
            accept=".geojson,.json,application/geo+json,application/json"
            data-testid="district-file"
            className="visually-hidden-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void importDistrictFile(f);
              if (input.current) input.current.value = '';
            }}
          />
        </label>
        {imported && <button type="button" className="small" onClick={() => void clearImportedDistricts()}>{t('compliance.removeDistricts')}</button>}
      </div>
      <p className="muted">{t('compliance.importHint')}</p>
      {error && <p className="error" role="alert" data-testid="district-error">{msgText(t, lang, error)}</p>}
      {imported && (
        <details open className="assign" data-testid="district-assign">
          <summary>{t('compliance.assignTitle', { file: imported.fileName, n: imported.fc.features.length })}</summary>
          {imported.notes.length > 0 && (
            <ul className="warnings" data-testid="district-notes">
              {imported.notes.map((n, i) => <li key={i}>{L(n)}</li>)}
            </ul>
          )}
          {unassigned > 0 && <p className="warn-text" data-testid="unassigned">{t('compliance.unassignedCount', { n: unassigned })}</p>}
          <ul className="assign-list">
            {imported.fc.features.map((f, i) => {
              const g = f?.geometry?.type;
              const usable = g === 'Polygon' || g === 'MultiPolygon';
              const p = (f?.properties ?? {}) as Record<string, unknown>;
              const label = String((lang === 'en' && p.nameEn) || p.name || p.id || `#${i + 1}`);
              return (
                <li key={i}>
                  <span className="assign-name">{label}</span>
                  {usable ? (
                    <select
                      aria-label={t('compliance.assignTo', { name: label })}
                      data-testid={`assign-${i}`}
                      value={imported.assign[i] ?? ''}
                      onChange={(e) => assignDistrict(i, e.target.value || null)}
                    >
                      <option value="">{t('compliance.unassigned')}</option>
                      {stations.map((s) => <option key={s.id} value={s.id}>{stName(s)}</option>)}
                    </select>
                  ) : (
                    <span className="muted">{t('compliance.notPolygon', { type: g ?? '—' })}</span>
                  )}
                </li>
              );
            })}
          </ul>
        </details>
      )}
    </div>
  );
}
