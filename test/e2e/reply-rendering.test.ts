// Issue 8, defect 9: a silence reason went into mrkdwn unescaped (`<!here>` and a disguised link
// passed through), and `/opsbot silences` answered 9,427 characters for 33 silences.
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from './harness.js';

const NIMBUS_OPS = 'C0NIMBOPS1';
let h: Harness | undefined;

afterEach(async () => {
  await h?.abort();
  h = undefined;
});

describe('command replies', () => {
  it('escape what people typed and page long lists', async () => {
    h = await Harness.start({ mode: 'http' });
    const as = { user: 'U0STAFF001', channel: NIMBUS_OPS };
    for (let i = 0; i < 33; i++) {
      const reply = await h.opsbot(
        `silence cluster=c-${i} 1h "<!here> <https://evil.example|this> & that"`,
        as,
      );
      expect(reply).toMatch(/^Silence S-/);
    }
    const first = await h.opsbot('silences', as);
    expect(first.length).toBeLessThan(4000);
    expect(first).not.toContain('<!here>');
    expect(first).not.toContain('<https://evil.example|this>');
    expect(first).toContain('&lt;!here&gt; &lt;https://evil.example|this&gt; &amp; that');
    expect(first).toMatch(/… and 13 more — `\/opsbot silences 2`/);
    const second = await h.opsbot('silences 2', as);
    expect(second.split('\n').filter((l) => l.startsWith('•'))).toHaveLength(13);
    expect(await h.opsbot('silences 3', as)).toMatch(
      /There are 2 pages of silences. Example: `\/opsbot silences 2`/,
    );
    await h.finish();
  });
});
