/**
 * Which feature panel sits in which task tab, in order. Adding a panel to a tab is one line here. Every panel stays
 * mounted whatever the tab (hidden ones keep their DOM, state and hooks); the map, legend and popups are outside the
 * tabs. While a station is dragged, a hidden tab's panels are frozen (src/store/freeze.ts: no re-render per drag
 * step; they catch up at the drop) unless marked `live`: a panel that draws something seen whatever the tab (a card
 * on the map) must follow every step. A panel whose effects must react to a drag step itself would be `live` too;
 * none does today (the drag asks for its own live verdicts and isochrone, src/features/scenario/ScenarioPanel.tsx).
 */
import type { ComponentType } from 'react';
import type { TabId } from './tabs';
import { PlaceSwitcher } from '../features/places/PlaceSwitcher';
import { Importer } from '../features/importer/Importer';
import { OsmFetch } from '../features/osmfetch/OsmFetch';
import { HydrantImport } from '../features/hydrants/HydrantImport';
import { LayerToggles } from '../features/layers/LayerToggles';
import { CompliancePanel } from '../features/compliance/CompliancePanel';
import { RoutingPanel } from '../features/routing/RoutingPanel';
import { ScenarioPanel } from '../features/scenario/ScenarioPanel';
import { SitingPanel } from '../features/siting/SitingPanel';
import { TimelinePanel } from '../features/timeline/TimelinePanel';
import { ComparePanel } from '../features/compare/ComparePanel';
import { DataCard } from '../features/datacard/DataCard';
import { OptimizerPanel } from '../features/optimizer/OptimizerPanel';
import { HydrantAuditPanel } from '../features/hydrantAudit/HydrantAuditPanel';
import { ReportPanel } from '../features/report/ReportPanel';
import { ServerPanel } from '../features/server/ServerPanel';

export interface PanelEntry {
  tab: TabId;
  id: string;
  Component: ComponentType;
  /** Follows every drag step while its tab is hidden (see above); say why beside the entry. */
  live?: true;
}

export const PANELS: PanelEntry[] = [
  // 数据 Data: place, roads (import + from OSM), hydrant inventory, the data card, layers.
  { tab: 'data', id: 'place', Component: PlaceSwitcher },
  { tab: 'data', id: 'importer', Component: Importer },
  { tab: 'data', id: 'osmfetch', Component: OsmFetch },
  { tab: 'data', id: 'hydrant-import', Component: HydrantImport },
  { tab: 'data', id: 'data-card', Component: DataCard },
  { tab: 'data', id: 'layers', Component: LayerToggles },
  { tab: 'data', id: 'server', Component: ServerPanel },
  // 检验 Check: standard, districts, vehicle, verdicts table; routing profile and click analysis.
  { tab: 'check', id: 'compliance', Component: CompliancePanel },
  { tab: 'check', id: 'routing', Component: RoutingPanel, live: true }, // its route / estimate cards sit on the map
  // 规划 Plan: proposed sites (and the selected station's card), siting checklist, timeline, suggestions, hydrant audit.
  { tab: 'plan', id: 'scenario', Component: ScenarioPanel },
  { tab: 'plan', id: 'siting', Component: SitingPanel },
  { tab: 'plan', id: 'optimizer', Component: OptimizerPanel },
  { tab: 'plan', id: 'timeline', Component: TimelinePanel },
  { tab: 'plan', id: 'hydrant-audit', Component: HydrantAuditPanel },
  // 方案 Scenarios: compare two scenarios (list, before/after and the swipe view live in the scenario panel).
  { tab: 'scenarios', id: 'compare', Component: ComparePanel },
  // 报告 Report.
  { tab: 'report', id: 'report', Component: ReportPanel },
];

/** The panels of one tab, in registry order. */
export const panelsOf = (tab: TabId, list: PanelEntry[] = PANELS): PanelEntry[] => list.filter((p) => p.tab === tab);
