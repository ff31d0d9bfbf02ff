/**
 * Frozen panels (issue #14, a smooth drag): while a station is dragged, the side-panel tabs nobody sees keep their
 * panels mounted (DOM, local state and effects stay) but stop re-rendering them per drag step. Inside
 * `<StoreFrozen value={true}>` the store hook answers the value it last rendered and does not subscribe; when the
 * value turns false again every hook in the subtree re-renders once with the store as it is now (and effects whose
 * inputs changed run then). src/app/Tabs.tsx decides what is frozen, src/app/panels.ts marks the exceptions.
 */
import { createContext, useContext, useDebugValue, useEffect, useRef, useSyncExternalStore } from 'react';

export const StoreFrozen = createContext(false);

const noSubscribe = () => () => {};

interface Api<S> {
  getState(): S;
  subscribe(listener: () => void): () => void;
}

/**
 * The value a store hook hands out: the live selector's while not frozen (or before anything was rendered),
 * else the last rendered one.
 */
export function frozenOr<T>(frozen: boolean, last: { value: T } | undefined, live: () => T): T {
  return frozen && last ? last.value : live();
}

/**
 * A store hook (`useStore(selector)`) that honours StoreFrozen, with the store's own methods (getState, setState,
 * subscribe …) copied onto it like zustand's bound hook.
 */
export function freezable<S, H extends object>(api: Api<S> & H): H & (<T = S>(selector?: (s: S) => T) => T) {
  function useFreezableStore<T>(selector?: (s: S) => T): T {
    const frozen = useContext(StoreFrozen);
    const last = useRef<{ value: T } | undefined>(undefined);
    const read = () => frozenOr(frozen, last.current, () => (selector ? selector(api.getState()) : (api.getState() as unknown as T)));
    const value = useSyncExternalStore(frozen ? noSubscribe : api.subscribe, read, read);
    // kept when it changes only (an effect per hook per render was measurable on a drag step with many hooks)
    useEffect(() => {
      last.current = { value };
    }, [value]);
    useDebugValue(value);
    return value;
  }
  return Object.assign(useFreezableStore, api) as H & typeof useFreezableStore;
}
