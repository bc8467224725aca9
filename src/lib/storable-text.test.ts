import { describe, expect, it } from 'vitest';
import { findUnstorableText, storableText, storableValue } from './storable-text.js';

describe('text PostgreSQL cannot store', () => {
  it('finds NUL and unpaired surrogates in strings and keys, at any depth, as a JSON pointer', () => {
    expect(findUnstorableText({ topic: 'Assembleia', participants: [{ name: 'Ana 😀' }] })).toBeUndefined();
    expect(findUnstorableText({ participants: [{ email: 'a@b.c' }, { name: 'Ana\u0000' }] })).toBe('/participants/1/name');
    expect(findUnstorableText({ agenda: 'meio \ud800 surrogate' })).toBe('/agenda');
    expect(findUnstorableText({ 'a/b': { '\udc00': 1 } })).toBe('/a~1b/\udc00');
    expect(findUnstorableText('\u0000')).toBe('');
  });

  it('walks a body nested 100,000 deep without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}"\\u0000"${']'.repeat(100_000)}`) as unknown;
    expect(findUnstorableText(deep)).toBe('/0'.repeat(100_000));
  });

  it("cleans what providers send: NUL removed, unpaired surrogates replaced, the rest kept", () => {
    expect(storableText('Ana\u0000 Souza \ud800😀')).toBe('Ana Souza \ufffd😀');
    const clean = { event: 'meeting.started', payload: { object: { id: 1 } } };
    expect(storableValue(clean)).toBe(clean);
    expect(storableValue({ event: 'x\u0000', payload: { 'k\u0000': ['\udfff', 2, null, true] } })).toEqual({ event: 'x', payload: { k: ['\ufffd', 2, null, true] } });
  });
});
