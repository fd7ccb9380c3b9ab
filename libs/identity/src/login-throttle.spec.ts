import { clientNetwork, delayAfterFailures } from './login-throttle';

describe('login limits', () => {
  it('waits nothing for the first 5 failures, then 1 s doubling up to 15 minutes', () => {
    expect([1, 4, 5, 6, 7, 10, 14, 15, 100].map(delayAfterFailures)).toEqual([
      0, 0, 1_000, 2_000, 4_000, 32_000, 512_000, 900_000, 900_000,
    ]);
  });

  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::7', '2001:db8:1:2::/64'],
    ['2001:0db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('counts %s as %s', (ip, network) => {
    expect(clientNetwork(ip)).toBe(network);
  });
});
