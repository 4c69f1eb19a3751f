import { neutraliseCell, toCsvRecord } from './audit-export.js';

describe(neutraliseCell.name, () => {
  it.each(['=HYPERLINK("x")', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])('should prefix %j with a quote', (cell) => {
    expect(neutraliseCell(cell)).toBe(`'${cell}`);
  });

  it.each(['plain', 'key:12', '', ' =not first', '{"a":1}'])('should leave %j alone', (cell) => {
    expect(neutraliseCell(cell)).toBe(cell);
  });
});

describe(toCsvRecord.name, () => {
  it('should give the columns in order with empty cells for nulls', () => {
    expect(
      toCsvRecord({
        id: '7',
        at: '2026-01-01T00:00:00.000Z',
        actor: { keyId: null, keyName: 'system' },
        action: 'config.reload',
        target: null,
        requestId: null,
        details: { ok: true },
        hash: 'ab',
        prevHash: 'cd',
      }),
    ).toEqual(['7', '2026-01-01T00:00:00.000Z', '', 'system', 'config.reload', '', '', '{"ok":true}', 'ab']);
  });
});
