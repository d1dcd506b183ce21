// Tests and the sandbox wait for the bot to have nothing left to do at the current (fake)
// instant. Production code has no such hook: it only answers "are you idle right now?".
import { setTimeout as sleep } from 'node:timers/promises';

export async function waitForIdle(isIdle: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve));
    if (isIdle()) {
      // Twice, a turn apart: a job finishing now may enqueue follow-ups on the next turn.
      await new Promise((resolve) => setImmediate(resolve));
      if (isIdle()) return;
    }
    if (Date.now() > deadline) throw new Error('the bot did not become idle in time');
    await sleep(1);
  }
}
