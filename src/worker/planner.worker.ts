/// <reference lib="webworker" />
/** The planner Web Worker: exposes PlannerWorkerApi over comlink. */
import { expose } from 'comlink';
import { createPlannerApi } from './api';
import { importCap } from './importLimits';

// navigator.deviceMemory (GiB; Chromium only) sets how large an extract this device may import.
const deviceMemory = (self.navigator as WorkerNavigator & { deviceMemory?: number }).deviceMemory;
expose(createPlannerApi({ transferResults: true, releaseInput: true, importCap: importCap(deviceMemory) }));
