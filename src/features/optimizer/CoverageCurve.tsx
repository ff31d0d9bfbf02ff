/**
 * The curve "coverage vs number of new stations" (k = 0…10) as a small SVG line chart with axis labels, and the
 * same numbers as a table (the accessible alternative; screen readers get the table, the SVG is labelled).
 */
import { useTranslation } from 'react-i18next';
import type { CurvePoint } from '../../worker/optimizeProtocol';
import { OPT_COLOUR } from '../../map/style';

const W = 300, H = 150, L = 36, R = 8, T = 10, B = 30;

export function CoverageCurve({ curve, markK }: { curve: CurvePoint[]; markK?: number }) {
  const { t } = useTranslation();
  if (curve.length < 2) return null;
  const maxK = curve[curve.length - 1].k;
  const x = (k: number) => L + ((W - L - R) * k) / Math.max(1, maxK);
  const y = (share: number) => T + (H - T - B) * (1 - share);
  const path = curve.map((p, i) => `${i ? 'L' : 'M'}${x(p.k).toFixed(1)},${y(p.share).toFixed(1)}`).join(' ');
  const pct = (v: number) => (v * 100).toFixed(1);
  return (
    <figure className="opt-curve" data-testid="optimizer-curve">
      <figcaption><strong>{t('optimizer.curveTitle')}</strong> <span className="muted">{t('optimizer.curveDesc')}</span></figcaption>
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('optimizer.curveTitle')}>
        {[0, 0.25, 0.5, 0.75, 1].map((v) => (
          <g key={v}>
            <line x1={L} x2={W - R} y1={y(v)} y2={y(v)} stroke="#e0e0e0" />
            <text x={L - 4} y={y(v) + 4} fontSize="10" textAnchor="end">{v * 100}</text>
          </g>
        ))}
        {curve.map((p) => <text key={p.k} x={x(p.k)} y={H - B + 12} fontSize="10" textAnchor="middle">{p.k}</text>)}
        <line x1={L} x2={L} y1={T} y2={H - B} stroke="#757575" />
        <line x1={L} x2={W - R} y1={H - B} y2={H - B} stroke="#757575" />
        <path d={path} fill="none" stroke={OPT_COLOUR} strokeWidth={2} />
        {curve.map((p) => (
          <circle key={p.k} cx={x(p.k)} cy={y(p.share)} r={p.k === markK ? 4.5 : 2.5} fill={p.k === markK ? OPT_COLOUR : '#fff'} stroke={OPT_COLOUR} strokeWidth={1.5}>
            <title>{`${p.k}: ${pct(p.share)} %`}</title>
          </circle>
        ))}
        <text x={(L + W - R) / 2} y={H - 4} fontSize="10.5" textAnchor="middle">{t('optimizer.curveX')}</text>
        <text x={10} y={(T + H - B) / 2} fontSize="10.5" textAnchor="middle" transform={`rotate(-90 10 ${(T + H - B) / 2})`}>{t('optimizer.curveY')}</text>
      </svg>
      <details>
        <summary>{t('optimizer.curveTable')}</summary>
        <table className="opt-table" data-testid="optimizer-curve-table">
          <thead><tr><th scope="col">{t('optimizer.kCol')}</th><th scope="col">{t('optimizer.coveredCol')}</th></tr></thead>
          <tbody>{curve.map((p) => <tr key={p.k}><td>{p.k}</td><td>{pct(p.share)} %</td></tr>)}</tbody>
        </table>
      </details>
    </figure>
  );
}
