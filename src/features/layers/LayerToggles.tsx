/** One keyboard-accessible checkbox per map layer group. */
import { useTranslation } from 'react-i18next';
import { LAYER_IDS, useStore } from '../../store';

export function LayerToggles() {
  const { t } = useTranslation();
  const layers = useStore((s) => s.layers);
  const setLayer = useStore((s) => s.setLayer);
  return (
    <section className="section">
      <fieldset className="layers">
        <legend><h2>{t('layers.title')}</h2></legend>
        {LAYER_IDS.map((id) => (
          <label key={id} className="check">
            <input type="checkbox" data-testid={`layer-${id}`} checked={layers[id]} onChange={(e) => setLayer(id, e.target.checked)} />
            <span>{t(`layers.${id}`)}</span>
          </label>
        ))}
      </fieldset>
    </section>
  );
}
