import { makeNotificationData } from '../../../test/factories/notification.factory.js';
import { compileTemplate } from '../templates/template-engine.js';
import { renderOverride } from '../templates/template-field.js';
import { buildSlackMessage, SLACK_MAX_BLOCKS, SLACK_MAX_HEADER, SLACK_MAX_TEXT, type SlackBlock } from './slack-message.js';

function textsOf(blocks: SlackBlock[]): string[] {
  return blocks.flatMap((b) => {
    if (b.type === 'section' || b.type === 'header') return [b.text.text];
    if (b.type === 'context') return b.elements.map((e) => e.text);
    return [];
  });
}

describe('buildSlackMessage', () => {
  it('should render a firing alert', () => {
    expect(buildSlackMessage(makeNotificationData())).toMatchSnapshot();
  });

  it('should render a resolved alert in green without a silence button', () => {
    const message = buildSlackMessage(makeNotificationData({ status: 'resolved' }));
    expect(message.attachments[0].color).toBe('#2EB67D');
    expect(JSON.stringify(message)).not.toContain('silences/new');
    expect(message).toMatchSnapshot();
  });

  it('should render a group of 10 alerts', () => {
    expect(buildSlackMessage(makeNotificationData({ count: 10 }))).toMatchSnapshot();
  });

  it('should colour by severity', () => {
    const warning = makeNotificationData({ overrides: { commonLabels: { alertname: 'X', severity: 'warning' } } });
    expect(buildSlackMessage(warning).attachments[0].color).toBe('#ECB22E');
  });

  it('should keep 500 alerts within 50 blocks and 3,000 characters per block, counting what is cut', () => {
    const data = makeNotificationData({ count: 500, overrides: { truncatedAlerts: 0 } });
    for (const alert of data.alerts) alert.annotations.summary = `${'very long summary '.repeat(20)}`;
    const message = buildSlackMessage(data);
    const blocks = message.attachments[0].blocks;
    expect(blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
    for (const text of textsOf(blocks)) expect(text.length).toBeLessThanOrEqual(SLACK_MAX_TEXT);
    const shown = textsOf(blocks).join('\n').match(/• \*HighLatency\*/g)?.length ?? 0;
    const more = /and (\d+) more alerts/.exec(textsOf(blocks).join('\n'));
    expect(more).not.toBeNull();
    expect(shown + Number(more?.[1])).toBe(500);
  });

  it('should count alerts cut by max_alerts', () => {
    const message = buildSlackMessage(makeNotificationData({ count: 2, overrides: { truncatedAlerts: 7 } }));
    expect(textsOf(message.attachments[0].blocks).join('\n')).toContain('and 7 more alerts');
  });

  it('should honour slack_configs overrides', () => {
    const data = makeNotificationData();
    const message = buildSlackMessage(data, {
      title: renderOverride(compileTemplate('{{ CommonLabels.alertname }} on {{ CommonLabels.service }}'), data),
      titleLink: 'https://grafana.example.com/d/1',
      text: 'custom body',
      color: '#000000',
      channel: '#other',
      username: 'tocsin-bot',
      iconEmoji: ':rotating_light:',
    });
    expect(message).toMatchObject({ channel: '#other', username: 'tocsin-bot', icon_emoji: ':rotating_light:' });
    expect(message.attachments[0].color).toBe('#000000');
    const texts = textsOf(message.attachments[0].blocks);
    expect(texts).toContain('*<https://grafana.example.com/d/1|HighLatency on api>*');
    expect(texts).toContain('custom body');
  });

  it('should cap the header at 150 characters', () => {
    const message = buildSlackMessage(makeNotificationData(), { title: 'x'.repeat(400) });
    const header = message.attachments[0].blocks[0];
    expect(header.type === 'header' ? header.text.text.length : 0).toBe(SLACK_MAX_HEADER);
  });
});
