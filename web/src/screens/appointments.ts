import type { Screen } from '../context.js';
import { h } from '../dom.js';

/** Placeholder until the Appointments screen lands (its own branch replaces this file). */
export const screen: Screen = (root) => {
  root.append(h('h1', {}, 'Appointments'), h('p', {}, 'This screen is on its way.'));
  return () => undefined;
};
