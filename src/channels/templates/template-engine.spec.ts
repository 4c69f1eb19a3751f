import type { NotificationData } from '../channel-adapter.js';
import {
  compileTemplate,
  looksLikeGoTemplate,
  TemplateCompileError,
  toTemplateData,
} from './template-engine.js';

function makeData(overrides: Partial<NotificationData> = {}): NotificationData {
  return {
    receiver: 'ops',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'DiskFull', severity: 'critical', instance: 'db-1' },
        annotations: { summary: 'disk full on db-1' },
        startsAt: '2026-01-02T03:04:05Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus/graph',
        fingerprint: 'aaaaaaaaaaaaaaaa',
      },
      {
        status: 'resolved',
        labels: { alertname: 'DiskFull', severity: 'critical', instance: 'db-2' },
        annotations: { summary: 'disk full on db-2' },
        startsAt: '2026-01-02T02:00:00Z',
        endsAt: '2026-01-02T03:00:00Z',
        generatorURL: 'http://prometheus/graph',
        fingerprint: 'bbbbbbbbbbbbbbbb',
      },
    ],
    groupLabels: { alertname: 'DiskFull' },
    commonLabels: { severity: 'critical', alertname: 'DiskFull' },
    commonAnnotations: {},
    externalURL: 'http://tocsin:8080',
    groupKey: '{}:{alertname="DiskFull"}',
    truncatedAlerts: 0,
    ...overrides,
  };
}

describe('compileTemplate', () => {
  it('should render Alertmanager-named fields', () => {
    const t = compileTemplate('[{{ Status | upcase }}] {{ GroupLabels.alertname }} ({{ Alerts.size }}) via {{ Receiver }}');
    expect(t.render(toTemplateData(makeData()))).toBe('[FIRING] DiskFull (2) via ops');
  });

  it('should expose Alerts.Firing and Alerts.Resolved', () => {
    const t = compileTemplate(
      '{{ Alerts.Firing.size }}/{{ Alerts.Resolved.size }}:{% for a in Alerts.Firing %}{{ a.Labels.instance }}{% endfor %}',
    );
    expect(t.render(toTemplateData(makeData()))).toBe('1/1:db-1');
  });

  it('should sort label pairs with label_pairs', () => {
    const t = compileTemplate('{{ CommonLabels | label_pairs }}|{{ CommonLabels | without: "severity" | label_pairs: ";" }}');
    expect(t.render(toTemplateData(makeData()))).toBe('alertname=DiskFull, severity=critical|alertname=DiskFull');
  });

  it('should give Name/Value pairs with sorted_pairs and title-case with title', () => {
    const t = compileTemplate('{% assign ps = CommonLabels | sorted_pairs %}{% for p in ps %}{{ p.Name | title }}:{{ p.Value }} {% endfor %}');
    expect(t.render(toTemplateData(makeData()))).toBe('Alertname:DiskFull Severity:critical ');
  });

  it('should format dates in UTC', () => {
    const t = compileTemplate('{{ Alerts.first.StartsAt | date: "%Y-%m-%d %H:%M" }}');
    expect(t.render(toTemplateData(makeData()))).toBe('2026-01-02 03:04');
  });

  it('should throw TemplateCompileError for an unclosed tag', () => {
    expect(() => compileTemplate('{{ Status ')).toThrow(TemplateCompileError);
    expect(() => compileTemplate('{{ Status ')).toThrow(/not closed, line:1, col:1/);
  });

  it('should throw TemplateCompileError for an unknown filter', () => {
    expect(() => compileTemplate('{{ Status | shout }}')).toThrow('template does not compile: undefined filter: shout, line:1, col:1');
  });

  it('should refuse include and render tags', () => {
    expect(() => compileTemplate('{% include "/etc/passwd" %}')).toThrow(/"include" tag is not available/);
    expect(() => compileTemplate('x\n{% render "a" %}')).toThrow(/"render" tag is not available/);
  });

  it('should not reach inherited properties', () => {
    const t = compileTemplate('[{{ CommonLabels.constructor }}{{ CommonLabels.toString }}]');
    expect(t.render(toTemplateData(makeData()))).toBe('[]');
  });

  it('should escape output in html mode unless raw', () => {
    const t = compileTemplate('{{ CommonAnnotations.x }}|{{ CommonAnnotations.x | raw }}', { html: true });
    expect(t.render(toTemplateData(makeData({ commonAnnotations: { x: '<b>' } })))).toBe('&lt;b&gt;|<b>');
  });
});

describe('looksLikeGoTemplate', () => {
  it.each([
    '{{ .Status }}',
    '{{ template "slack.default.title" . }}',
    '{{ range .Alerts }}{{ .Labels.alertname }}{{ end }}',
    '{{ if .CommonAnnotations.summary }}x{{ end }}',
    '{{- .GroupLabels.alertname -}}',
    '{{ len .Alerts.Firing }}',
    '{{ $x := 1 }}',
    '{{/* comment */}}',
    '{{ .CommonLabels.SortedPairs.Values | join " " }}',
  ])('should say yes for %s', (src) => {
    expect(looksLikeGoTemplate(src)).toBe(true);
  });

  it.each([
    'plain text with a . dot',
    '{{ Status }}',
    '{{ CommonLabels.alertname | upcase }}',
    '{% if Status == "firing" %}🔥{% endif %}',
    '{{ "a .b" }}',
    '{{ x | default: 1.5 }}',
  ])('should say no for %s', (src) => {
    expect(looksLikeGoTemplate(src)).toBe(false);
  });
});
