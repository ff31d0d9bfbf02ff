/** sql.js in the browser (for the GeoPackage export): its WebAssembly file is served with the app, loaded on first use. */
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import wasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';

export function loadSqlJs(): Promise<SqlJsStatic> {
  return initSqlJs({ locateFile: () => wasmUrl });
}
