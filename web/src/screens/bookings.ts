import type { Screen } from '../context.js';
import { h } from '../dom.js';

/** Placeholder until the My bookings screen lands (its own branch replaces this file). */
export const screen: Screen = (root) => {
  root.append(h('h1', {}, 'My bookings'), h('p', {}, 'This screen is on its way.'));
  return () => undefined;
};
