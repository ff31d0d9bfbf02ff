/**
 * Text-only MapLibre popups for a clicked station, hydrant, water intake or district. Content is built with
 * DOM nodes and textContent — values from data are never parsed as HTML.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import * as maplibregl from 'maplibre-gl';
import { useStore, type Selection } from '../../store';
import { getMap } from '../../map/instance';
import { selectFacilities } from '../../store/selectors';
import { poiKindLabel, poiRule } from '../../data/siting';
import { RULE_LABELS, type RuleCode } from '../../core/roadRulesAccess';
import { selectVehicleId, vehicleOf } from '../../store/roadRules';
import { fmtKm2 } from '../../core/format';

type Row = [label: string, value: string];

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function rowsFor(sel: Exclude<Selection, { kind: 'point' }>, t: TFunction, lang: string): { title: string; rows: Row[]; note?: string } {
  const p = sel.props;
  const name = (lang === 'en' && str(p.nameEn)) || str(p.name) || t('popup.noName');
  const rows: Row[] = [[t('popup.kind'), t(`kind.${sel.kind}`)]];
  if (sel.kind === 'poi') {
    const kind = str(p.kind);
    const label = poiKindLabel(kind, lang === 'en' ? 'en' : 'zh') ?? t(`poi.${kind}`, { defaultValue: kind });
    const rule = poiRule(kind, lang === 'en' ? 'en' : 'zh');
    return { title: str(p.name) || label, rows: [[t('popup.kind'), label], [t('popup.source'), 'OpenStreetMap']], note: rule?.clause };
  }
  if (sel.kind === 'road-rule') {
    // A closure of the road rules for the chosen vehicle: its reason in the UI language, the other language below.
    const en = lang === 'en';
    const label = RULE_LABELS[str(p.rule) as RuleCode];
    const v = vehicleOf(selectVehicleId(useStore.getState()));
    const out: Row[] = [[t('popup.kind'), t(p.kind === 'barrier' ? 'roadRules.popupBarrier' : 'roadRules.popupClosed')]];
    if (label) out.push([t('roadRules.popupRule'), en ? label.en : label.zh]);
    if (v) out.push([t('roadRules.popupVehicle'), en ? v.nameEn : v.name]);
    if (str(en ? p.zh : p.en)) out.push([t('roadRules.popupOther'), str(en ? p.zh : p.en)]);
    return { title: str(en ? p.en : p.zh) || t('kind.road-rule'), rows: out };
  }
  if (sel.kind === 'district') {
    if (lang !== 'en' && str(p.nameEn)) rows.push(['English', str(p.nameEn)]);
    if (lang === 'en' && str(p.name) && str(p.name) !== name) rows.push(['中文', str(p.name)]);
    const area = Number(p.areaKm2);
    if (Number.isFinite(area) && area > 0) rows.push([t('popup.area'), `${fmtKm2(area)} km²`]);
    if (str(p.source)) rows.push([t('popup.source'), str(p.source)]);
    return { title: name, rows };
  }
  if (sel.kind === 'station' && str(p.stationClass)) {
    const cls = str(p.stationClass);
    const how = p.classAssumed === true ? t('popup.classAssumed') : p.stationClassSource === 'inferred' ? t('popup.classInferred') : '';
    rows.push([t('popup.class'), `${t(`station.${cls}`, { defaultValue: cls })}${lang === 'en' ? ` (${cls})` : `（${cls}）`}${how}`]);
  }
  if (str(p.status)) rows.push([t('popup.status'), t(`status.${str(p.status)}`, { defaultValue: str(p.status) })]);
  if (str(p.phase)) rows.push([t('popup.phase'), str(p.phase)]);
  if (str(p.position)) rows.push([t('popup.position'), t(`position.${str(p.position)}`, { defaultValue: str(p.position) })]);
  if (str(p.locationText)) rows.push([t('popup.location'), str(p.locationText)]);
  if (str(p.positionNote) && p.position !== 'user') rows.push([t('popup.positionNote'), str(p.positionNote)]);
  if (str(p.stationClassNote)) rows.push([t('popup.classNote'), str(p.stationClassNote)]);
  if (str(p.source)) rows.push([t('popup.source'), str(p.source)]);
  const cite = p.citation as { where?: unknown; quote?: unknown } | undefined;
  if (cite && typeof cite === 'object' && str(cite.quote) && str(cite.quote) !== str(p.source)) rows.push([t('popup.citation'), `${str(cite.where)}：“${str(cite.quote)}”`]);
  const example = p.example === true || p.example === 'true';
  return { title: (p.position === 'approximate' ? (lang === 'en' ? '≈ ' : '约 ') : '') + name, rows, note: example ? t('popup.example') : undefined };
}

function buildContent(sel: Exclude<Selection, { kind: 'point' }>, t: TFunction, lang: string): HTMLElement {
  const { title, rows, note } = rowsFor(sel, t, lang);
  const root = document.createElement('div');
  root.className = 'popup';
  root.setAttribute('data-testid', 'popup');
  root.setAttribute('data-kind', sel.kind);
  const h = document.createElement('h3');
  h.textContent = title;
  root.appendChild(h);
  if (note) {
    const n = document.createElement('p');
    n.className = 'popup-note';
    n.textContent = note;
    root.appendChild(n);
  }
  const dl = document.createElement('dl');
  for (const [k, v] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
  root.appendChild(dl);
  return root;
}

/** Which feature a selection shows: a rename, class change or drag of the same station keeps its popup open. */
export function popupKey(sel: Selection | null): string | null {
  if (!sel || sel.kind === 'point') return null;
  const id = sel.props.id;
  return `${sel.kind}:${typeof id === 'string' || typeof id === 'number' ? id : `${sel.lngLat[0]},${sel.lngLat[1]}`}`;
}

export function Popups() {
  const { t } = useTranslation();
  const selection = useStore((s) => s.selection);
  const lang = useStore((s) => s.lang);
  const mapReady = useStore((s) => s.mapReady);
  const open = useRef<{ key: string; popup: maplibregl.Popup; closing: { byUs: boolean } } | null>(null);

  useEffect(() => {
    const map = getMap();
    const key = popupKey(selection);
    const cur = open.current;
    if (!map || !mapReady || !selection || selection.kind === 'point' || !key) {
      if (cur) {
        cur.closing.byUs = true;
        cur.popup.remove();
        open.current = null;
      }
      return;
    }
    // Rendered features carry flattened properties; use the original feature where there is one.
    const full = selection.kind === 'district' || selection.kind === 'poi' || selection.kind === 'road-rule' ? undefined : selectFacilities(useStore.getState()).features.find((f) => f.properties.id === selection.props.id);
    const sel = full ? { ...selection, props: full.properties } : selection;
    if (cur && cur.key === key) {
      // The same feature changed (renamed, moved): update the open popup in place. Re-creating it would move the
      // focus to its close button while Enter is still down in the rename field, and that Enter would close it.
      cur.popup.setLngLat(selection.lngLat).setDOMContent(buildContent(sel, t, lang));
      return;
    }
    if (cur) {
      cur.closing.byUs = true;
      cur.popup.remove();
    }
    const closing = { byUs: false };
    const popup = new maplibregl.Popup({ closeButton: true, closeOnClick: false, focusAfterOpen: false, maxWidth: '360px', offset: 12 })
      .setLngLat(selection.lngLat)
      .setDOMContent(buildContent(sel, t, lang))
      .addTo(map);
    popup.on('close', () => {
      const s = useStore.getState();
      if (!closing.byUs && popupKey(s.selection) === key) s.select(null);
    });
    open.current = { key, popup, closing };
  }, [selection, lang, t, mapReady]);

  useEffect(() => () => {
    if (open.current) {
      open.current.closing.byUs = true;
      open.current.popup.remove();
      open.current = null;
    }
  }, []);

  return null;
}
