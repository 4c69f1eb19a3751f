import { request } from 'node:http';
import { startHttpDouble } from '../doubles/http-double.js';
import { startSmtpDouble } from '../doubles/smtp.double.js';
import nodemailer from 'nodemailer';

function post(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('startHttpDouble', () => {
  it('should record requests and answer queued, standing and held replies', async () => {
    const double = await startHttpDouble({ status: 200, body: 'ok' });
    try {
      double.respondOnce({ status: 500, body: 'boom' });
      expect(await post(`${double.url}/a`, '{"x":1}')).toEqual({ status: 500, body: 'boom' });
      expect(await post(`${double.url}/b`, '{}')).toEqual({ status: 200, body: 'ok' });
      double.hang();
      const held = post(`${double.url}/c`, '{}');
      await double.waitForRequests(3);
      expect(double.pending).toBe(1);
      double.respondWith({ status: 429, headers: { 'retry-after': '7' }, body: 'slow down' });
      double.release();
      expect(await held).toEqual({ status: 429, body: 'slow down' });
      expect(double.requests.map((r) => r.path)).toEqual(['/a', '/b', '/c']);
      expect(double.requests[0].json).toEqual({ x: 1 });
      expect(double.requests[0].receivedAt).toBeInstanceOf(Date);
    } finally {
      await double.close();
    }
  });
});

describe('startSmtpDouble', () => {
  it('should accept mail with auth and reject a chosen recipient', async () => {
    const smtp = await startSmtpDouble({ auth: { user: 'u', pass: 'p' } });
    const transport = nodemailer.createTransport({ host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true, auth: { user: 'u', pass: 'p' } });
    try {
      smtp.rejectRecipient('bad@example.com');
      const info = await transport.sendMail({ from: 'a@example.com', to: ['ok@example.com', 'bad@example.com'], subject: 's', text: 't' });
      expect(info.rejected).toEqual(['bad@example.com']);
      expect(smtp.messages[0].to).toEqual(['ok@example.com']);
      expect(smtp.messages[0].user).toBe('u');
    } finally {
      transport.close();
      await smtp.close();
    }
  });
});
