/**
 * SMTP double (smtp-server) on 127.0.0.1: accepts mail, and per test rejects chosen recipients
 * (550), fails temporarily (451), requires authentication, or hangs on DATA until released.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';

export interface SmtpMessage {
  from: string;
  to: string[];
  /** The raw RFC 5322 message. */
  raw: string;
  user?: string;
  receivedAt: Date;
}

export interface SmtpDoubleOptions {
  /** When set, AUTH is required and only these credentials pass. */
  auth?: { user: string; pass: string };
}

export interface SmtpDouble {
  readonly host: string;
  readonly port: number;
  readonly messages: SmtpMessage[];
  /** Authentication attempts (user names), successful or not. */
  readonly authAttempts: string[];
  /** RCPT TO for this address answers `code` (550 by default). */
  rejectRecipient(address: string, code?: number): void;
  /** Every MAIL FROM answers 451 (temporary) until `reset()`. */
  failTemporarily(): void;
  /** DATA answers 554 (permanent) until `reset()`. */
  rejectData(): void;
  hang(): void;
  release(): void;
  reset(): void;
  waitForMessages(count: number, timeoutMs?: number): Promise<SmtpMessage[]>;
  close(): Promise<void>;
}

type Callback = (err?: Error | null) => void;

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtpDouble(options: SmtpDoubleOptions = {}): Promise<SmtpDouble> {
  const messages: SmtpMessage[] = [];
  const authAttempts: string[] = [];
  const rejected = new Map<string, number>();
  let temporary = false;
  let dataRejected = false;
  let hanging = false;
  const held: Callback[] = [];

  const server = new SMTPServer({
    secure: false,
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      authAttempts.push(auth.username ?? '');
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) {
        callback(null, { user: auth.username });
        return;
      }
      callback(smtpError(535, 'Authentication credentials invalid'));
    },
    onMailFrom(_address: SMTPServerAddress, _session: SMTPServerSession, callback: Callback) {
      if (temporary) {
        callback(smtpError(451, 'Requested action aborted: local error in processing'));
        return;
      }
      callback();
    },
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback: Callback) {
      const code = rejected.get(address.address.toLowerCase());
      if (code !== undefined) {
        callback(smtpError(code, `Mailbox unavailable: ${address.address}`));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (dataRejected) {
          callback(smtpError(554, 'Transaction failed: message rejected'));
          return;
        }
        const finish: Callback = () => {
          messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
            ...(typeof session.user === 'string' ? { user: session.user } : {}),
            receivedAt: new Date(),
          });
          callback();
        };
        if (hanging) held.push(finish);
        else finish();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const port = (server.server.address() as AddressInfo).port;

  return {
    host: '127.0.0.1',
    port,
    messages,
    authAttempts,
    rejectRecipient(address, code = 550) {
      rejected.set(address.toLowerCase(), code);
    },
    failTemporarily() {
      temporary = true;
    },
    rejectData() {
      dataRejected = true;
    },
    hang() {
      hanging = true;
    },
    release() {
      hanging = false;
      for (const finish of held.splice(0)) finish();
    },
    reset() {
      rejected.clear();
      temporary = false;
      dataRejected = false;
    },
    async waitForMessages(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${messages.length}`);
        await new Promise<void>((wake) => setTimeout(wake, 10));
      }
      return messages;
    },
    async close() {
      hanging = false;
      held.length = 0;
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
