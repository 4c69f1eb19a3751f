import { makeNotificationData } from '../../../test/factories/notification.factory.js';
import { buildEmailContent, EMAIL_MAX_SUBJECT } from './email-message.js';

describe('buildEmailContent', () => {
  it('should render a firing alert', () => {
    expect(buildEmailContent(makeNotificationData())).toMatchSnapshot();
  });

  it('should render a resolved alert without a silence link', () => {
    const content = buildEmailContent(makeNotificationData({ status: 'resolved' }));
    expect(content.subject).toBe('[RESOLVED] HighLatency api');
    expect(content.text).not.toContain('Silence:');
    expect(content).toMatchSnapshot();
  });

  it('should render a group of 10 alerts', () => {
    expect(buildEmailContent(makeNotificationData({ count: 10 }))).toMatchSnapshot();
  });

  it('should list all 500 alerts of a large group', () => {
    const content = buildEmailContent(makeNotificationData({ count: 500 }));
    expect(content.subject).toBe('[FIRING:500] HighLatency api');
    expect(content.text.match(/^- HighLatency/gm)).toHaveLength(500);
    expect(content.html.match(/<li>/g)).toHaveLength(500);
  });

  it('should escape HTML in labels and annotations', () => {
    const data = makeNotificationData();
    data.alerts[0].annotations.summary = '<script>alert(1)</script>';
    expect(buildEmailContent(data).html).not.toContain('<script>');
  });

  it('should keep the subject on one line within 255 characters', () => {
    const content = buildEmailContent(makeNotificationData(), { subject: `a\r\nBcc: x@example.com${'y'.repeat(400)}` });
    expect(content.subject).not.toMatch(/[\r\n]/);
    expect(content.subject.length).toBe(EMAIL_MAX_SUBJECT);
  });
});
