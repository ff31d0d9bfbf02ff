/**
 * Legend: every colour and symbol drawn on the map, including the approximate / example / estimate marks. It floats on
 * the map (always in view, whatever the panel shows) and folds away; folded or open is remembered in localStorage.
 */
import { useState, type CSSProperties, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CLASS_COLOURS, COLOURS, HYDRANT_GAP_COLOUR, ROAD_RULE_COLOURS, ROAD_STYLE } from '../../map/style';
import { estimateParams, estimateRadiusKm } from '../../data/standards';
import { useStore } from '../../store';
import { selectNetworkReady } from '../../store/selectors';

function Row({ sym, children }: { sym: ReactNode; children: ReactNode }) {
  return (
    <li className="legend-row">
      <span className="sym" aria-hidden="true">{sym}</span>
      <span>{children}</span>
    </li>
  );
}

const dot = (style: CSSProperties) => <span className="dot" style={style} />;
const line = (style: CSSProperties) => <span className="line" style={style} />;

const OPEN_KEY = 'fire-planner-legend-open';

function storedOpen(): boolean {
  try {
    const v = localStorage.getItem(OPEN_KEY);
    if (v !== null) return v === '1';
  } catch {
    /* storage refused: the default below */
  }
  return window.innerHeight >= 850; // a short window starts with the legend folded (its title stays on the map)
}

export function Legend() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(storedOpen);
  const flip = () => {
    setOpen(!open);
    try {
      localStorage.setItem(OPEN_KEY, open ? '0' : '1');
    } catch {
      /* storage refused: the choice lasts for this page only */
    }
  };
  const lang = useStore((s) => s.lang);
  const ready = useStore(selectNetworkReady);
  const est = estimateParams();
  const radius = estimateRadiusKm(est);
  const roadGroup = (g: 'major' | 'minor' | 'local') => ROAD_STYLE.find((r) => r.group === g)!;
  return (
    <section className={`map-legend${open ? '' : ' folded'}`} data-testid="legend" data-open={open} aria-labelledby="legend-title">
      <h2 id="legend-title">
        <button type="button" className="legend-fold" data-testid="legend-toggle" aria-expanded={open} aria-controls="legend-body" onClick={flip} title={t(open ? 'layout.legendHide' : 'layout.legendShow')}>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> {t('legend.title')}
        </button>
      </h2>
      <div id="legend-body" className="legend-body" hidden={!open}>
      <ul className="legend">
        <Row sym={line({ borderTop: `3px dashed ${COLOURS.boundary}` })}>{t('legend.boundary')}</Row>
        <Row sym={line({ borderTop: `2px dashed ${COLOURS.district}` })}>{t('legend.district')}</Row>
        <Row sym={<span className="box" style={{ background: COLOURS.water }} />}>{t('legend.water')}</Row>
        <Row sym={<span className="box" style={{ background: COLOURS.sea }} />}>{t('water.legendSea')}</Row>
        <Row sym={line({ borderTop: `3px dashed ${COLOURS.rail}` })}>{t('legend.rail')}</Row>
        {(['major', 'minor', 'local'] as const).map((g) => (
          <Row key={g} sym={line({ borderTop: `${Math.max(3, roadGroup(g).width + 1)}px solid ${roadGroup(g).colour}`, outline: '1px solid #a59f94' })}>
            {t(g === 'major' ? 'legend.roadsMajor' : g === 'minor' ? 'legend.roadsMinor' : 'legend.roadsLocal')}
          </Row>
        ))}
        <Row sym={dot({ background: CLASS_COLOURS['一级'], border: '2px solid #fff', boxShadow: '0 0 0 1px #999' })}>{t('legend.stationExisting')}</Row>
        <Row sym={dot({ background: '#fff', border: `3px solid ${CLASS_COLOURS['一级']}` })}>{t('legend.stationPlanned')}</Row>
        <Row sym={<span className="ring" />}>{t('legend.approx')}</Row>
        <Row sym={<span className="tag">{t('compliance.example')}</span>}>{t('legend.example')}</Row>
      </ul>
      <h3>{t('legend.classes')}</h3>
      <ul className="legend cols">
        {Object.entries(CLASS_COLOURS).map(([cls, colour]) => (
          <Row key={cls} sym={dot({ background: colour })}>{t(`station.${cls}`)}</Row>
        ))}
      </ul>
      <ul className="legend">
        <Row sym={dot({ background: COLOURS.hydrant, width: 8, height: 8 })}>{t('legend.hydrant')}</Row>
        <Row sym={dot({ background: '#fff', border: `2px solid ${COLOURS.hydrant}`, width: 6, height: 6 })}>{t('legend.hydrantPlanned')}</Row>
        <Row sym={<span className="diamond" style={{ background: COLOURS.intake }} />}>{t('legend.intake')}</Row>
        <Row sym={dot({ background: COLOURS.hydrant, border: '2px solid #fff', outline: `1px solid ${COLOURS.hydrant}`, width: 8, height: 8 })}>{t('hydrantAudit.legendProposed')}</Row>
        {ready && <Row sym={line({ borderTop: `3px dashed ${HYDRANT_GAP_COLOUR}` })}>{t('hydrantAudit.legendGap')}</Row>}
        <Row sym={dot({ background: COLOURS.poi, width: 8, height: 8 })}>{t('legend.poi')}</Row>
        <Row sym={line({ borderTop: `5px solid ${COLOURS.route}` })}>{t('legend.route')}</Row>
        {ready && (
          <>
            <Row sym={line({ borderTop: `3px dashed ${ROAD_RULE_COLOURS.closed}` })}>{t('roadRules.legendClosed')}</Row>
            <Row sym={line({ borderTop: `3px dotted ${ROAD_RULE_COLOURS.limit}` })}>{t('roadRules.legendLimit')}</Row>
            <Row sym={dot({ background: ROAD_RULE_COLOURS.barrier, border: `2px solid ${ROAD_RULE_COLOURS.barrierRing}`, width: 8, height: 8 })}>{t('roadRules.legendBarrier')}</Row>
          </>
        )}
        {!ready && (
          <Row sym={<span className="disc" style={{ borderColor: COLOURS.estimate }} />}>
            {t('legend.estimate', { speed: est.speedKmh, lambda: est.lambda, radius: radius.toFixed(2) })}
            {est.sourceZh ? ` — ${lang === 'en' ? est.sourceEn : est.sourceZh}` : ''}
          </Row>
        )}
      </ul>
      </div>
    </section>
  );
}
