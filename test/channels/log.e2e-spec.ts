import { Writable } from 'node:stream';
import { pino } from 'pino';
import { SendOutcome } from '../../src/channels/channel-adapter.js';
import { LogAdapter } from '../../src/channels/log/log.adapter.js';
import { compileTemplate } from '../../src/channels/templates/template-engine.js';
import { makeNotificationData } from '../factories/notification.factory.js';
import { makeSendContext } from '../factories/send-context.factory.js';

function capture(): { lines: string[]; adapter: LogAdapter } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, adapter: new LogAdapter(pino({ level: 'info' }, stream)) };
}

describe(LogAdapter.name, () => {
  it('should write one JSON line and always deliver', async () => {
    const { lines, adapter } = capture();
    const result = await adapter.send({ receiver: 'audit-trail' }, makeNotificationData({ count: 2 }), makeSendContext({ deliveryId: '42' }));
    expect(result).toEqual({ provider: 'log', outcome: SendOutcome.Delivered });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: '[FIRING:2] HighLatency api', event: 'notification', deliveryId: '42', status: 'firing' });
    expect(line.alerts).toHaveLength(2);
  });

  it('should use the message template', async () => {
    const { lines, adapter } = capture();
    await adapter.send({ receiver: 'audit-trail', message: compileTemplate('{{ Receiver }}: {{ Status }}') }, makeNotificationData(), makeSendContext());
    expect(JSON.parse(lines[0])).toMatchObject({ msg: 'platform-pager: firing' });
  });
});
