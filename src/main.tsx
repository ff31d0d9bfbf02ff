import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import './app/app.css';
import { initI18n } from './i18n';
import { useStore } from './store';
import { App } from './app/App';

maplibregl.setWorkerUrl(workerUrl);
initI18n(useStore.getState().lang);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
