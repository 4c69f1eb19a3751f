import { parsePostableAlerts, unstorableText } from './alert-ingest.parser.js';

describe('unstorableText', () => {
  it('should accept any well-formed text, emoji and all', () => {
    expect(unstorableText('disk 95% 😀 ラベル é')).toBeNull();
  });

  it('should refuse NUL and lone surrogates', () => {
    expect(unstorableText('a\u0000b')).toContain('NUL');
    expect(unstorableText('a\ud800b')).toContain('UTF-8');
    expect(unstorableText('\udc00')).toContain('UTF-8');
  });
});

describe('parsePostableAlerts with text PostgreSQL cannot store', () => {
  it('should reject only the alert carrying NUL or a lone surrogate, naming the field', () => {
    const batch = parsePostableAlerts([
      { labels: { alertname: 'ok', emoji: '😀' } },
      { labels: { alertname: 'nul', x: 'a\u0000b' } },
      { labels: { alertname: 'surrogate' }, annotations: { summary: 'lone \ud800' } },
      { labels: { alertname: 'key' }, annotations: { 'a\u0000': 'x' } },
      { labels: { alertname: 'url' }, generatorURL: 'http://x/\u0000' },
    ]);
    expect(batch.alerts.map((a) => a.labels.alertname)).toEqual(['ok']);
    expect(batch.errors.map((e) => e.path)).toEqual(['[1].labels.x', '[2].annotations.summary', '[3].annotations.a\u0000', '[4].generatorURL']);
  });
});
