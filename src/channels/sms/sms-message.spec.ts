import { makeNotificationData } from '../../../test/factories/notification.factory.js';
import { gsm7Length, isGsm7, normaliseForGsm7, SMS_MAX_LENGTH, smsLength, truncateSms } from './gsm7.js';
import { buildSmsText } from './sms-message.js';

describe('gsm7', () => {
  it('should tell GSM-7 text from text that needs UCS-2', () => {
    expect(isGsm7('[FIRING:3] HighLatency api critical')).toBe(true);
    expect(isGsm7('price 5€ {x}')).toBe(true);
    expect(isGsm7('disk 🔥')).toBe(false);
    expect(isGsm7('Задержка')).toBe(false);
  });

  it('should count extension characters twice', () => {
    expect(gsm7Length('a{b}€')).toBe(8);
  });

  it('should swap typographic look-alikes for GSM-7 characters', () => {
    expect(normaliseForGsm7('“quoted” – it’s…')).toBe('"quoted" - it\'s...');
    expect(isGsm7(normaliseForGsm7('“quoted” – it’s…'))).toBe(true);
  });

  it('should truncate to a length with an ellipsis', () => {
    const cut = truncateSms('x'.repeat(200), 160);
    expect(smsLength(cut)).toBe(160);
    expect(cut.endsWith('...')).toBe(true);
  });
});

describe('buildSmsText', () => {
  it('should render a firing alert in one GSM-7 segment', () => {
    const text = buildSmsText(makeNotificationData());
    expect(text).toMatchSnapshot();
    expect(isGsm7(text)).toBe(true);
    expect(gsm7Length(text)).toBeLessThanOrEqual(160);
  });

  it('should render a resolved alert', () => {
    expect(buildSmsText(makeNotificationData({ status: 'resolved' }))).toMatchSnapshot();
  });

  it('should render a group of 10 alerts', () => {
    const text = buildSmsText(makeNotificationData({ count: 10 }));
    expect(text).toMatchSnapshot();
    expect(text.startsWith('[FIRING:10] HighLatency api critical')).toBe(true);
  });

  it('should count a 500-alert group and stay in one segment', () => {
    const text = buildSmsText(makeNotificationData({ count: 500 }));
    expect(text).toBe('[FIRING:500] HighLatency api critical');
  });

  it('should cut a long summary to 160 GSM-7 characters', () => {
    const data = makeNotificationData();
    data.commonAnnotations.summary = 'latency “very” high '.repeat(30);
    const text = buildSmsText(data);
    expect(isGsm7(text)).toBe(true);
    expect(gsm7Length(text)).toBe(160);
    expect(text.startsWith('[FIRING:1] HighLatency api critical - latency "very" high')).toBe(true);
  });

  it('should hold text that needs UCS-2 to 70 characters when the title allows', () => {
    const data = makeNotificationData();
    data.commonAnnotations.summary = 'Задержка выше нормы на всех узлах кластера, проверьте балансировщик';
    const text = buildSmsText(data);
    expect(text.length).toBeLessThanOrEqual(70);
    expect(text.startsWith('[FIRING:1] HighLatency api critical')).toBe(true);
  });

  it('should cap a template override at 1,600 characters', () => {
    expect(smsLength(buildSmsText(makeNotificationData(), 'a'.repeat(5000)))).toBe(SMS_MAX_LENGTH);
  });
});
