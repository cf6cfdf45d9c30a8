import { beforeAll, describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import en from './en.json' with { type: 'json' };
import ko from './ko.json' with { type: 'json' };
import { flatten, translate, loadCatalog } from './i18n.js';

describe('message catalogs', () => {
  beforeAll(() => Promise.all([loadCatalog('en'), loadCatalog('ko')]));
  const flatEn = flatten(en);
  const flatKo = flatten(ko);

  it('have the same keys in English and Korean', () => {
    expect(Object.keys(flatKo).filter((k) => !(k in flatEn))).toEqual([]);
    expect(Object.keys(flatEn).filter((k) => !(k in flatKo))).toEqual([]);
  });

  it('parse as ICU messages with the same placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)(?=[},])/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(flatEn)) {
      expect(() => new IntlMessageFormat(text, 'en'), key).not.toThrow();
      expect(() => new IntlMessageFormat(flatKo[key]!, 'ko'), key).not.toThrow();
      expect(placeholders(flatKo[key]!), key).toEqual(placeholders(text));
    }
  });

  it('leaves no Korean message untranslated (identical to English) except names and symbols', () => {
    const sameByDesign = ['app.name', 'lang.en', 'lang.ko', 'wizard.unit.percent', 'wizard.percentValue'];
    const same = Object.keys(flatEn).filter((k) => flatEn[k] === flatKo[k] && !sameByDesign.includes(k));
    expect(same).toEqual([]);
  });

  it('formats values', () => {
    expect(translate('ko', 'auth.signedInAs', { name: '김서연' })).toBe('김서연 님으로 로그인됨');
    expect(translate('en', 'home.title', { name: 'Dana' })).toBe('Welcome, Dana');
  });
});
