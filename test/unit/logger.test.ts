import { describe, expect, it } from 'vitest';
import { redactText } from '../../src/logger.js';
import { memoryLogger } from '../helpers/logger.js';

const BOT = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx';
const APP = 'xapp-1-A0123-4567-deadbeefcafe';
const SIGNING = '8f742231b10e8888abcd99yyyzzz85a5';

describe('log redaction', () => {
  it('blanks secret-looking fields at any depth and masks tokens inside text', () => {
    const { logger, lines } = memoryLogger('info');
    logger.info(
      {
        env: { SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, SLACK_SIGNING_SECRET: SIGNING, PORT: 3000 },
        request: { headers: { Authorization: `Bearer ${BOT}`, 'content-type': 'application/json' } },
        salesforce: { username: 'ops@example.com', password: 'hunter2!' },
        url: 'https://ops:s3cr3t@jira.example.com/rest/api/3/issue',
      },
      `calling Slack with ${BOT} and app token ${APP}`,
    );
    const out = lines.join('\n');
    for (const secret of [BOT, APP, SIGNING, 'hunter2!', 's3cr3t']) expect(out).not.toContain(secret);
    const record = JSON.parse(lines[0]!);
    expect(record.env.PORT).toBe(3000); // non-secrets survive
    expect(record.env.SLACK_BOT_TOKEN).toBe('[REDACTED]');
    expect(record.request.headers.Authorization).toBe('[REDACTED]');
    expect(record.request.headers['content-type']).toBe('application/json');
    expect(record.salesforce.username).toBe('ops@example.com');
    expect(record.url).toBe('https://ops:[REDACTED]@jira.example.com/rest/api/3/issue');
    expect(record.msg).toContain('xox?-[REDACTED]');
  });

  it('redacts tokens inside logged errors', () => {
    const { logger, lines } = memoryLogger('info');
    logger.error({ err: new Error(`invalid_auth for ${BOT}`) }, 'Slack call failed');
    expect(lines.join('\n')).not.toContain(BOT);
    expect(JSON.parse(lines[0]!).err.message).toBe('invalid_auth for xox?-[REDACTED]');
  });

  it('masks bearer and basic credentials in free text', () => {
    expect(redactText('Authorization: Bearer abc.def-ghi')).toBe('Authorization: Bearer [REDACTED]');
    expect(redactText('Basic dXNlcjpwYXNz')).toBe('Basic [REDACTED]');
  });
});
