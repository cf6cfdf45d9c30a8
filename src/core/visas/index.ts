import { b1 } from './b1.js';
import { e2 } from './e2.js';
import { e4 } from './e4.js';
import { esta } from './esta.js';
import { h1b } from './h1b.js';
import { h2b } from './h2b.js';
import { h3 } from './h3.js';
import { l1a, l1b } from './l1.js';
import { e3, h1b1, tn } from './reference.js';
import type { CategoryModule } from './types.js';

/** Every category, in the order of `categoryIds` (the order of `results`). */
export const categoryModules: readonly CategoryModule[] = [
  esta,
  b1,
  e2,
  l1a,
  l1b,
  h1b,
  h2b,
  h3,
  e4,
  e3,
  h1b1,
  tn,
];

export { activityCatalog, activityIndex, maskOf } from './activities.js';
export type { CategoryModule, Facts, ParamReader } from './types.js';
export type { Requirement } from './requirement.js';
