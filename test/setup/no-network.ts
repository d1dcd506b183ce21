// Every test file starts with the network closed: only loopback is allowed, so a
// test that forgets a stand-in fails loudly instead of reaching the internet.
import nock from 'nock';
import { afterAll, beforeAll } from 'vitest';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host));
});

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});
