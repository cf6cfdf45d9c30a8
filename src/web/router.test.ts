import { describe, expect, it } from 'vitest';
import { subPath } from './router.js';

describe('subPath', () => {
  it('finds the part of the path inside a module', () => {
    expect(subPath('/assessments', '/assessments')).toBe('');
    expect(subPath('/assessments', '/assessments/')).toBe('');
    expect(subPath('/assessments', '/assessments/new')).toBe('new');
    expect(subPath('/assessments', '/assessments/1f2e/')).toBe('1f2e');
  });
  it('answers null outside the module, and mounts the home page only at the root', () => {
    expect(subPath('/assessments', '/assessmentsX')).toBeNull();
    expect(subPath('/rules', '/admin')).toBeNull();
    expect(subPath('/', '/')).toBe('');
    expect(subPath('/', '/admin')).toBeNull();
  });
});
