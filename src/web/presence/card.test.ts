import { describe, expect, it } from 'vitest';
import { decodeCardClaims, tokenFrom, verifyUrl } from './card.js';

const b64url = (value: unknown) =>
  Buffer.from(JSON.stringify(value))
    .toString('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

describe('status card on the client', () => {
  const token = `${b64url({ alg: 'EdDSA' })}.${b64url({ names: { hangul: '홍길동', romanized: 'HONG GILDONG' }, exp: 1 })}.c2ln`;

  it('decodes the claims of a compact JWS, Hangul included', () => {
    expect(decodeCardClaims(token)).toMatchObject({ names: { hangul: '홍길동', romanized: 'HONG GILDONG' } });
  });

  it('gives null for anything that is not a JWS with a JSON object payload', () => {
    for (const bad of ['', 'a.b', 'a.!!!.c', `${b64url({})}.${b64url([1])}.x`, `x.${b64url('s')}.y`])
      expect(decodeCardClaims(bad)).toBeNull();
  });

  it('reads a token from a verify link, a card link or as it is', () => {
    expect(tokenFrom(`https://korus.example/verify#${token}`)).toBe(token);
    expect(tokenFrom(`https://korus.example/card/${token}`)).toBe(token);
    expect(tokenFrom(`  ${token}\n`)).toBe(token);
    expect(tokenFrom('%E0%A4%A')).toBe('%E0%A4%A');
    expect(verifyUrl('https://k.example', 'abc')).toBe('https://k.example/verify#abc');
  });
});
