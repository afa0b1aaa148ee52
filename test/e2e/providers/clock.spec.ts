// The browser tests run on one fixed clock (../clock.ts): the page, the service and its demo banks all start from the
// run's instant, not today, so no test here depends on the day or the hour it runs.
import { test, expect } from './harness.js';
import { clockOffsetMs, e2eNow } from '../clock.js';

const within = (iso: string, at: Date, ms: number) => Math.abs(Date.parse(iso) - at.getTime()) < ms;

test('the page, the service and the demo banks share the tests\' clock, not the real one', async ({ page, app }) => {
  expect(clockOffsetMs()).toBeDefined();
  await page.goto(app.url);
  const pageNow = await page.evaluate(() => new Date().toISOString());
  const bankNow = ((await app.control('/clock', undefined, 'GET')) as { now: string }).now;
  const serviceNow = (await app.call('backup.create')).createdAt;
  const now = e2eNow();
  // a minute covers the calls above on a loaded machine; the offset itself is months or years when today is not the run's day
  for (const seen of [pageNow, bankNow, serviceNow]) expect(within(seen, now, 60_000), `${seen} vs ${now.toISOString()}`).toBe(true);
  if (Math.abs(clockOffsetMs()!) > 60_000) expect(within(pageNow, new Date(Date.now()), 60_000)).toBe(false);
});
