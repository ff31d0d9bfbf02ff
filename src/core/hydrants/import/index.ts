/** Hydrant import core (issue #13): mapping, row checks, CRS readings and the road-fit suggestion. Pure, no I/O. */
export * from './mapping';
export * from './values';
export * from './records';
export * from './crs';
export * from './suggest';
export * from './finish';
