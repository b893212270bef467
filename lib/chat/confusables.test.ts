import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTable, SOURCE, TABLE } from '../../scripts/confusables-table';
import { CONFUSABLES_VERSION } from './confusables-table';
import { skeleton } from './confusables';

describe('confusables data', () => {
  const source = readFileSync(SOURCE, 'utf8');

  it('is the Unicode 15.0.0 file, unmodified', () => {
    expect(CONFUSABLES_VERSION).toBe('15.0.0');
    expect(createHash('sha256').update(source).digest('hex')).toBe(
      '2b10130885c3370b101c52d7baedc452ab7f0e257b86c1e52ee657ecfc29ce64',
    );
  });

  it('is what the generated table holds', () => {
    expect(readFileSync(TABLE, 'utf8')).toBe(renderTable(source));
  });
});

describe('skeleton', () => {
  it('maps Cyrillic and Greek look-alikes onto Latin letters', () => {
    expect(skeleton('\u0410lice')).toBe(skeleton('Alice'));
    expect(skeleton('\u0412\u041e\u0412')).toBe(skeleton('BOB'));
    expect(skeleton('\u0391\u0392\u0395')).toBe(skeleton('ABE'));
    expect(skeleton('p\u0430ypal')).toBe(skeleton('paypal'));
  });

  it('maps digits and capitals that pass for letters', () => {
    expect(skeleton('A1ice')).toBe(skeleton('Alice'));
    expect(skeleton('AIice')).toBe(skeleton('Alice'));
    expect(skeleton('rn')).toBe(skeleton('m'));
  });

  it('keeps apart what looks different', () => {
    expect(skeleton('Alice')).not.toBe(skeleton('Alicia'));
    expect(skeleton('żółw')).not.toBe(skeleton('zolw'));
    expect(skeleton('Бoris')).not.toBe(skeleton('Boris'));
  });
});
