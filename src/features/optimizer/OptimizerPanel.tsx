/**
 * "选址优化 / Suggest sites" (issue #12): model, k, limit, candidate set, weights and fixed stations; Run / Cancel with
 * progress; ranked suggestions with their gain, the coverage curve, the plan compared with the best sites, the exact
 * solver's status; add one or all suggestions to the scenario (one undo step), write the model as an LP file.
 */
import { useEffect, useId, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../../store';
import { selectNetworkReady, selectPlace } from '../../store/selectors';
import {
  addedRanks, addSuggestions, AVAILABLE_MODELS, cancelOptimizer, importCandidateList, importDemandList, resetOptimizer, runOptimizer, setOptimizerSettings,
} from '../../store/optimizer';
import { OPTIMIZE_MODELS, type OptimizeResult } from '../../worker/optimizeProtocol';
import { downloadText } from '../../data/scenarios';
import { OPT_COLOUR } from '../../map/style';
import { msgText } from '../../i18n/msg';
import { CoverageCurve } from './CoverageCurve';
import './optimizer.css';

const pct = (v: number) => (v * 100).toFixed(1);
const num = (v: number | undefined, d = 1) => (v === undefined ? undefined : v.toFixed(d));

export function OptimizerPanel() {
  const { t } = useTranslation();
  const id = useId();
  const lang = useStore((s) => s.lang);
  const place = useStore(selectPlace);
  const placeId = useStore((s) => s.placeId);
  const netReady = useStore(selectNetworkReady);
  const netLoading = useStore((s) => s.network?.placeId === s.placeId && s.network?.status === 'loading');
  const opt = useStore((s) => s.optimizer);
  const addedKey = useStore((s) => [...addedRanks(s)].join(','));
  const added = useMemo(() => new Set(addedKey ? addedKey.split(',').map(Number) : []), [addedKey]);
  const fileRef = useRef<HTMLInputElement>(null);
  const demandRef = useRef<HTMLInputElement>(null);
  const o = opt.settings;
  const districts = useStore((s) => s.placeData.districts);
  const areaNames = useMemo(() => (districts?.features ?? []).map((f, i) => {
    const p = f.properties ?? {};
    const name = lang === 'en' && typeof p.nameEn === 'string' ? p.nameEn : p.name;
    return typeof name === 'string' ? name : `#${i + 1}`;
  }), [districts, lang]);

  useEffect(() => { resetOptimizer(); }, [placeId]);

  if (!place) return null;
  const running = opt.status === 'running';
  const res = opt.result && opt.result.placeId === placeId ? opt.result : undefined;
  const p = opt.progress;
  const UNIT = { km: 'unitKm', km2: 'unitKm2', points: 'unitPoints', weight: 'unitWeight' } as const;
  const GAIN = { km: 'gainKm', km2: 'gainKm2', points: 'gainPoints', weight: 'gainWeight' } as const;
  const unit = (r: OptimizeResult) => t(`optimizer.${UNIT[r.demand.unit]}`);
  const digits = (r: OptimizeResult) => (r.demand.unit === 'points' ? 0 : r.demand.unit === 'km2' ? 2 : 1);
  const gainKey = (r: OptimizeResult) => `optimizer.${GAIN[r.demand.unit]}`;
  const gainText = (r: OptimizeResult, g: number) => t(gainKey(r), { value: g.toFixed(digits(r)), minutes: r.minutes });
  const notAdded = res ? res.sites.filter((x) => !added.has(x.rank) && !x.planned) : [];
  const writeLp = async () => {
    const r = await runOptimizer({ writeLp: true });
    if (r?.lp) downloadText(`${r.placeId}-${r.model}-k${o.k}-${r.minutes}min.lp`, r.lp, 'text/plain');
  };
  const ex = res?.exact;

  return (
    <section className="section" aria-labelledby={`${id}-title`} data-testid="optimizer">
      <h2 id={`${id}-title`}>{t('optimizer.title')}</h2>
      <p className="muted">{t('optimizer.intro')}</p>
      <form className="opt-form" onSubmit={(e) => { e.preventDefault(); if (!running) void runOptimizer(); }}>
        <label>{t('optimizer.model')}{' '}
          <select data-testid="optimizer-model" value={o.model} onChange={(e) => setOptimizerSettings({ model: e.target.value as typeof o.model })}>
            {OPTIMIZE_MODELS.map((m) => <option key={m} value={m} disabled={!AVAILABLE_MODELS.includes(m)}>{t(`optimizer.models.${m}`)}</option>)}
          </select>
        </label>
        <div className="row">
          <label>{t('optimizer.k')}{' '}
            <input data-testid="optimizer-k" type="number" min={0} max={20} step={1} value={o.k} disabled={o.model === 'lscp'} style={{ width: '4em' }}
              onChange={(e) => setOptimizerSettings({ k: Math.max(0, Math.min(20, Math.round(Number(e.target.value) || 0))) })} />
          </label>
          <label>{t('optimizer.minutes')}{' '}
            <input data-testid="optimizer-minutes" type="number" min={1} max={30} step={0.5} value={o.minutes} style={{ width: '4em' }}
              onChange={(e) => setOptimizerSettings({ minutes: Math.max(0.5, Math.min(30, Number(e.target.value) || 4)) })} />
          </label>
          {o.model === 'backup' && (
            <label>{t('optimizer.backupMinutes')}{' '}
              <input data-testid="optimizer-backup-minutes" type="number" min={1} max={60} step={0.5} value={o.backupMinutes} style={{ width: '4em' }}
                onChange={(e) => setOptimizerSettings({ backupMinutes: Math.max(1, Math.min(60, Number(e.target.value) || 8)) })} />
            </label>
          )}
        </div>
        <fieldset className="opt-fieldset">
          <legend>{t('optimizer.candidates')}</legend>
          <label><input type="radio" name={`${id}-cand`} checked={o.candidates === 'thinned'} onChange={() => setOptimizerSettings({ candidates: 'thinned' })} /> {t('optimizer.candThinned')}</label>{' '}
          <input aria-label={t('optimizer.spacing')} type="number" min={50} max={2000} step={50} value={o.spacingM} style={{ width: '5em' }} disabled={o.candidates === 'list'}
            onChange={(e) => setOptimizerSettings({ spacingM: Math.max(50, Math.min(2000, Number(e.target.value) || 200)) })} /> m
          <br />
          {areaNames.length > 0 && (
            <>
              <label><input type="radio" name={`${id}-cand`} checked={o.candidates === 'areas'} onChange={() => setOptimizerSettings({ candidates: 'areas' })} /> {t('optimizer.candAreas')}</label>
              <div className="opt-areas" role="group" aria-label={t('optimizer.candAreas')}>
                {areaNames.map((name, i) => (
                  <label key={i}>
                    <input type="checkbox" checked={o.areaIds.includes(i)} disabled={o.candidates !== 'areas'}
                      onChange={(e) => setOptimizerSettings({ areaIds: e.target.checked ? [...o.areaIds, i].sort((a, b) => a - b) : o.areaIds.filter((x) => x !== i) })} /> {name}
                  </label>
                ))}
              </div>
            </>
          )}
          <label><input type="radio" name={`${id}-cand`} checked={o.candidates === 'list'} disabled={!opt.list} onChange={() => setOptimizerSettings({ candidates: 'list' })} /> {t('optimizer.candList')}</label>{' '}
          <button type="button" className="small" onClick={() => fileRef.current?.click()}>{t('optimizer.importList')}</button>
          <input ref={fileRef} type="file" accept=".geojson,.json,.csv,.txt" hidden onChange={(e) => { const f = e.target.files?.[0]; if (f) void importCandidateList(f); e.target.value = ''; }} />
          {opt.list && <div className="muted">{t('optimizer.listLoaded', { count: opt.list.points.length, file: opt.list.fileName })}</div>}
          <label>{t('optimizer.siting')}{' '}
            <select data-testid="optimizer-siting" value={o.siting} disabled={o.candidates === 'list'} onChange={(e) => setOptimizerSettings({ siting: e.target.value as typeof o.siting })}>
              <option value="exclude">{t('optimizer.sitingExclude')}</option>
              <option value="flag">{t('optimizer.sitingFlag')}</option>
              <option value="off">{t('optimizer.sitingOff')}</option>
            </select>
          </label>
        </fieldset>
        <fieldset className="opt-fieldset">
          <legend>{t('optimizer.demand')}</legend>
          <label><input type="radio" name={`${id}-dem`} checked={o.demand === 'roads'} onChange={() => setOptimizerSettings({ demand: 'roads' })} /> {t('optimizer.demandRoads')}</label>{' '}
          <select aria-label={t('optimizer.weight')} value={o.weight} disabled={o.demand !== 'roads'} onChange={(e) => setOptimizerSettings({ weight: e.target.value as typeof o.weight })}>
            <option value="length">{t('optimizer.weightLength')}</option>
            <option value="uniform">{t('optimizer.weightUniform')}</option>
          </select>
          <br />
          <label><input type="radio" name={`${id}-dem`} checked={o.demand === 'file'} disabled={!opt.demandList} onChange={() => setOptimizerSettings({ demand: 'file' })} /> {t('optimizer.demandFile')}</label>{' '}
          <button type="button" className="small" onClick={() => demandRef.current?.click()}>{t('optimizer.importDemand')}</button>
          <input ref={demandRef} type="file" accept=".geojson,.json,.csv,.txt" hidden onChange={(e) => { const f = e.target.files?.[0]; if (f) void importDemandList(f); e.target.value = ''; }} />
          {opt.demandList && <div className="muted">{t('optimizer.demandLoaded', { count: opt.demandList.points.length, file: opt.demandList.fileName })}</div>}
        </fieldset>
        <fieldset className="opt-fieldset">
          <legend>{t('optimizer.fixed')}</legend>
          <label><input type="radio" name={`${id}-fixed`} checked={o.fixed === 'existing'} onChange={() => setOptimizerSettings({ fixed: 'existing' })} /> {t('optimizer.fixedExisting')}</label><br />
          <label><input type="radio" name={`${id}-fixed`} checked={o.fixed === 'all'} onChange={() => setOptimizerSettings({ fixed: 'all' })} /> {t('optimizer.fixedAll')}</label>
        </fieldset>
        <label>{t('optimizer.exact')}{' '}
          <input type="number" min={0} max={120} step={1} value={o.exactLimitS} style={{ width: '4em' }}
            onChange={(e) => setOptimizerSettings({ exactLimitS: Math.max(0, Math.min(120, Math.round(Number(e.target.value) || 0))) })} />
        </label>
        <div className="row">
          <button type="submit" data-testid="optimizer-run" disabled={running || netLoading}>{t('optimizer.run')}</button>
          <button type="button" data-testid="optimizer-cancel" disabled={!running} onClick={() => void cancelOptimizer()}>{t('optimizer.cancel')}</button>
          <button type="button" data-testid="optimizer-lp" disabled={running || netLoading} onClick={() => void writeLp()}>{t('optimizer.writeLp')}</button>
        </div>
      </form>
      {netLoading && <p className="muted">{t('optimizer.networkLoading')}</p>}
      {!netReady && !netLoading && <p className="estimate-tag" data-testid="optimizer-estimate">{t('optimizer.estimate')}</p>}
      {running && (
        <div className="progress" role="status" aria-live="polite" data-testid="optimizer-progress">
          <progress max={p?.total || 1} value={p ? p.done : undefined} />
          <span>{p ? t(`optimizer.phase.${p.phase}`, { done: p.done, total: p.total }) : t('optimizer.running')}</span>
          {p?.phase === 'exact' && (p.bound !== undefined || p.incumbent !== undefined) && (
            <span data-testid="optimizer-live-gap">{t('optimizer.live', { incumbent: num(p.incumbent, 2) ?? t('optimizer.unknown'), bound: num(p.bound, 2) ?? t('optimizer.unknown'), gap: p.gapPct !== undefined ? `${p.gapPct.toFixed(2)} %` : t('optimizer.unknown') })}</span>
          )}
        </div>
      )}
      {opt.status === 'cancelled' && <p className="muted" role="status">{t('optimizer.cancelled')}</p>}
      {opt.error && <p className="error" role="alert">{msgText(t, lang, opt.error)}</p>}
      {res && (
        <div data-testid="optimizer-results">
          {res.mode === 'straight-line-estimate' && <p className="estimate-tag">{t('optimizer.estimate')}</p>}
          <p className="muted">
            {t('optimizer.summary', {
              total: `${num(res.demand.total, digits(res))} ${unit(res)}`, fixedPct: pct(res.demand.total ? res.demand.coveredByFixed / res.demand.total : 0),
              uncoverable: `${num(res.demand.uncoverable, digits(res))} ${unit(res)}`, uncovPct: pct(res.demand.total ? res.demand.uncoverable / res.demand.total : 0),
            })}{' '}
            {t('optimizer.time', { seconds: res.seconds.toFixed(1), candidates: res.candidates })}
            {res.excludedBySiting ? ` ${t('optimizer.excluded', { count: res.excludedBySiting })}` : ''}
            {res.excludedByWater ? ` ${t('optimizer.excludedWater', { count: res.excludedByWater })}` : ''}
          </p>
          <h3>{t('optimizer.results')}</h3>
          {res.sites.length === 0 ? <p className="muted">{t('optimizer.noSites')}</p> : (
            <>
              <ol className="opt-sites" data-testid="optimizer-sites">
                {res.sites.map((x) => (
                  <li key={x.rank} data-testid="optimizer-site">
                    <span className="opt-rank" style={{ background: added.has(x.rank) ? '#fff' : OPT_COLOUR, color: added.has(x.rank) ? OPT_COLOUR : '#fff', borderColor: OPT_COLOUR }} aria-hidden="true">{x.rank}</span>{' '}
                    <strong>{t('optimizer.suggestedName', { rank: x.rank })}</strong>{' '}
                    {x.planned && <span className="muted">{t('optimizer.isPlanned')} </span>}
                    {x.siting === 'fail' && <span className="error">{t('optimizer.sitingFailed')} </span>}
                    <span>{gainText(res, x.gain)}</span>{' '}
                    <span className="muted">{t('optimizer.shareAfter', { pct: pct(x.shareAfter) })}</span>{' '}
                    {x.planned ? null : added.has(x.rank)
                      ? <span className="muted">{t('optimizer.added')}</span>
                      : <button type="button" className="small" onClick={() => addSuggestions([x])}>{t('optimizer.add')}</button>}
                  </li>
                ))}
              </ol>
              <div className="row">
                <button type="button" data-testid="optimizer-add-all" disabled={!notAdded.length} onClick={() => addSuggestions(notAdded)}>{t('optimizer.addAll')}</button>
                <label><input type="checkbox" checked={!opt.hidden} onChange={(e) => useStore.getState().set({ optimizer: { ...useStore.getState().optimizer, hidden: !e.target.checked } })} /> {t('optimizer.showOnMap')}</label>
              </div>
              {added.size > 0 && <p className="muted" role="status">{t('optimizer.addedNote')}</p>}
              <p className="muted"><span className="opt-rank" style={{ background: OPT_COLOUR, borderColor: OPT_COLOUR, color: '#fff' }} aria-hidden="true">1</span> {t('optimizer.legend')}</p>
            </>
          )}
          {res.plan && <p data-testid="optimizer-plan">{t('optimizer.plan', { count: res.plan.count, plan: pct(res.plan.share), best: pct(res.plan.bestShare) })}</p>}
          <CoverageCurve curve={res.curve} markK={res.model === 'lscp' ? res.sites.length : o.k} />
          {res.warnings.map((w, i) => <p key={i} className="error" role="alert" data-testid="optimizer-warning">{lang === 'en' ? w.en : w.zh}</p>)}
          {ex && ex.status !== 'not-run' && (
            <p data-testid="optimizer-exact">
              <strong>{t('optimizer.exactTitle')}：</strong>
              <span className="muted">{t(`optimizer.objective.${res.model}`, { unit: unit(res) })} </span>
              {t('optimizer.exactLine', {
                status: t(`optimizer.exactStatus.${ex.status}`), objective: num(ex.objective, 2) ?? t('optimizer.unknown'), bound: num(ex.bound, 2) ?? t('optimizer.unknown'),
                gap: ex.gapPct !== undefined ? `${ex.gapPct.toFixed(2)} %` : t('optimizer.unknown'), seconds: num(ex.seconds, 1) ?? t('optimizer.unknown'),
              })}
              {ex.heuristicGapPct !== undefined && <>；{t('optimizer.heuristicGap', { gap: ex.heuristicGapPct.toFixed(2) })}</>}
              {ex.error && <span className="error"> {lang === 'en' ? ex.error.en : ex.error.zh}</span>}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
