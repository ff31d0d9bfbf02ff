/** Scenarios: model, immutable edits, undo/redo, GeoJSON import/export, comparison. Pure logic only. */
export * from './types';
export * from './ops';
export * from './history';
export * from './io';
export * from './compare';
export * from './sync';
