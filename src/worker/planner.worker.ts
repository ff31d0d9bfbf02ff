/// <reference lib="webworker" />
/** The planner Web Worker: exposes PlannerWorkerApi over comlink. */
import { expose } from 'comlink';
import { createPlannerApi } from './api';

expose(createPlannerApi({ transferResults: true }));
