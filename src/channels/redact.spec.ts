import { redactSecrets, redactUrl, urlOrigin } from './redact.js';

describe('redactUrl', () => {
  it.each([
    ['https://hooks.slack.com/services/T000/B000/XXXX', 'https://hooks.slack.com/<redacted>'],
    ['https://user:pw@example.com:8443/a?token=x', 'https://example.com:8443/<redacted>'],
    ['https://example.com', 'https://example.com'],
    ['https://example.com/', 'https://example.com'],
    ['see http://127.0.0.1:4000/x/y for details', 'see http://127.0.0.1:4000/<redacted> for details'],
  ])('should redact %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});

describe('urlOrigin', () => {
  it('should keep only scheme and host', () => {
    expect(urlOrigin('https://u:p@hooks.example.com:8443/tocsin/secret?x=1')).toBe('https://hooks.example.com:8443');
  });

  it('should not echo an unparseable URL', () => {
    expect(urlOrigin('not a url with secret')).toBe('<redacted>');
  });
});

describe('redactSecrets', () => {
  it('should replace known secret values and their encoded forms', () => {
    const secret = 'R0UTING+KEY/abc';
    const text = `key ${secret} enc ${encodeURIComponent(secret)} b64 ${Buffer.from(secret).toString('base64')}`;
    const out = redactSecrets(text, [secret]);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out).not.toContain(Buffer.from(secret).toString('base64'));
  });

  it('should redact bearer and basic credentials', () => {
    expect(redactSecrets('Authorization: Bearer abc.def-123')).toBe('Authorization: Bearer <redacted>');
    expect(redactSecrets('Basic dXNlcjpwYXNz')).toBe('Basic <redacted>');
  });

  it('should redact key=value credentials', () => {
    expect(redactSecrets('failed with api_key=abc123&x=1')).toBe('failed with api_key=<redacted>&x=1');
    expect(redactSecrets('{"routing_key":"r0ut1ng"}')).toBe('{"routing_key":"<redacted>"}');
  });

  it('should redact Slack and SendGrid tokens', () => {
    expect(redactSecrets('token xoxb-123-456-abc')).not.toContain('xoxb-123');
    expect(redactSecrets('SG.abcdefghij.klmnopqrstuv')).toBe('<redacted>');
  });

  it('should leave ordinary error text alone', () => {
    expect(redactSecrets("The 'To' number +1555 is not a valid phone number.", ['ab'])).toBe(
      "The 'To' number +1555 is not a valid phone number.",
    );
  });
});

describe('redactSecrets with structured secrets', () => {
  it('should redact the long parts of a token on their own', () => {
    expect(redactSecrets('key lEaKcAnArY0123 rejected', ['SG.lEaKcAnArY0123.other-part-xyz'])).toBe('key <secret> rejected');
    expect(redactSecrets('bad 1234-abcdefgh', ['xoxb-1234-abcdefgh'])).toBe('bad 1234-<secret>');
  });
});
