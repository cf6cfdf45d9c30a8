import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { usStateCodes } from '../contract/pipeline.js';
import {
  consulateForState,
  consulateRef,
  ConsulateDataError,
  defaultConsulatesFile,
  loadConsulates,
  parseConsulates,
  US_STATES,
  US_TERRITORIES,
} from './consulates.js';

const set = loadConsulates();
const source = readFileSync(defaultConsulatesFile(), 'utf8');

describe('Korean consulates in the US', () => {
  it('lists the embassy and the nine consulates general, with Anchorage and Dallas as branch offices', () => {
    const byKind = (kind: string) =>
      set.posts
        .filter((p) => p.kind === kind)
        .map((p) => p.id)
        .sort();
    expect(byKind('embassy')).toEqual(['washington']);
    expect(byKind('consulate_general')).toEqual([
      'atlanta', 'boston', 'chicago', 'honolulu', 'houston', 'los-angeles', 'new-york', 'san-francisco', 'seattle',
    ]); // prettier-ignore
    expect(set.posts.find((p) => p.id === 'anchorage')).toMatchObject({
      kind: 'branch_office',
      parent: 'seattle',
    });
    expect(set.posts.find((p) => p.id === 'dallas')).toMatchObject({
      kind: 'branch_office',
      parent: 'houston',
    });
  });

  it('assigns every one of the 50 states and DC to exactly one embassy or consulate general', () => {
    expect(US_STATES).toHaveLength(51);
    const jurisdictions = set.posts.filter((p) => p.kind === 'embassy' || p.kind === 'consulate_general');
    for (const state of US_STATES) {
      const holders = jurisdictions.filter((p) => p.states.includes(state));
      expect(
        holders.map((p) => p.id),
        state,
      ).toHaveLength(1);
      expect(consulateForState(state)?.post.id).toBe(holders[0]!.id);
    }
    for (const territory of US_TERRITORIES) expect(consulateForState(territory), territory).toBeDefined();
    // The same codes as the pipeline's site schema.
    expect([...US_STATES, ...US_TERRITORIES].sort()).toEqual([...usStateCodes].sort());
  });

  it('cites a source for every post and marks unverified data for users', () => {
    for (const post of set.posts) {
      expect(post.references.length).toBeGreaterThan(0);
      expect(post.name.ko).toMatch(/[\uAC00-\uD7A3]/);
    }
    expect(set.verified).toBe(false);
    expect(consulateForState('GA')!.verify).toBe(true);
  });

  it('finds the post for a site state, by county in California, with its branch office', () => {
    expect(consulateForState('ga')!.post.id).toBe('atlanta');
    expect(consulateForState('TN')!.post.id).toBe('atlanta');
    expect(consulateForState('OH')!.post.id).toBe('chicago');
    expect(consulateForState('TX')).toMatchObject({ post: { id: 'houston' }, office: null });
    expect(consulateForState('AK')).toMatchObject({ post: { id: 'seattle' }, office: { id: 'anchorage' } });
    expect(consulateForState('CA')!.post.id).toBe('san-francisco');
    expect(consulateForState('CA', 'Santa Clara')!.post.id).toBe('san-francisco');
    expect(consulateForState('CA', 'Los Angeles County')!.post.id).toBe('los-angeles');
    expect(consulateForState('CA', 'san diego')!.post.id).toBe('los-angeles');
    expect(consulateForState('NV')!.post.id).toBe('los-angeles');
    expect(consulateForState('XX')).toBeUndefined();
    expect(consulateRef(consulateForState('GA')!)).toEqual({
      id: 'atlanta',
      name: set.posts.find((p) => p.id === 'atlanta')!.name,
      city: 'Atlanta, GA',
      phone: '+1-404-522-1611',
      website: 'https://overseas.mofa.go.kr/us-atlanta-ko/index.do',
      verify: true,
    });
  });

  it('rejects a state under two posts, a state under none, and a branch outside its parent', () => {
    const twice = source.replace('states: [MA, ME, NH, RI, VT]', 'states: [MA, ME, NH, RI, VT, NY]');
    expect(() => parseConsulates(twice)).toThrow(/NY is under both/);
    const none = source.replace('states: [MA, ME, NH, RI, VT]', 'states: [MA, ME, NH, RI]');
    expect(() => parseConsulates(none)).toThrow(/VT is under no embassy/);
    const branch = source.replace('states: [AK]', 'states: [AK, HI]');
    expect(() => parseConsulates(branch)).toThrow(ConsulateDataError);
    const county = source.replace('counties: [Imperial,', 'counties: [Imperial, Imperial,');
    expect(() => parseConsulates(county)).toThrow(/county Imperial is under both/);
    expect(() => parseConsulates(source)).not.toThrow();
  });
});
