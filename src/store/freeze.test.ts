import { describe, expect, it } from 'vitest';
import { createElement, type ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { create } from 'zustand';
import { freezable, frozenOr, StoreFrozen } from './freeze';

describe('frozen store hook', () => {
  it('answers the last rendered value while frozen, the live one otherwise or before any render', () => {
    let reads = 0;
    const live = () => ++reads;
    expect(frozenOr(true, { value: 7 }, live)).toBe(7);
    expect(reads).toBe(0);
    expect(frozenOr(true, undefined, live)).toBe(1);
    expect(frozenOr(false, { value: 7 }, live)).toBe(2);
  });

  it('keeps the store methods and reads the store inside and outside a frozen subtree', () => {
    const useCount = freezable(create<{ n: number }>()(() => ({ n: 1 })));
    useCount.setState({ n: 5 });
    expect(useCount.getState().n).toBe(5);
    function Show(): ReactNode {
      return `n=${useCount((s) => s.n)}`;
    }
    // a first render has nothing to hold yet: frozen or not, it shows the store as it is
    expect(renderToString(createElement(Show))).toBe('n=5');
    expect(renderToString(createElement(StoreFrozen.Provider, { value: true }, createElement(Show)))).toBe('n=5');
  });
});
