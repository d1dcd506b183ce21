import { describe, expect, it } from 'vitest';

describe('test network guard', () => {
  it('refuses connections to hosts that are not loopback', async () => {
    const error = await fetch('https://slack.com/api/api.test', { method: 'POST' }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error & { cause?: Error }).cause?.message)).toMatch(
      /Nock: Disallowed net connect/,
    );
  });
});
