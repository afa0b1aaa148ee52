// Technical words stay out of what a person reads (issue 17): the aggregator answers every request with HTTP 503 for
// a while; the sync bar and the connection card say in plain words what happened and that nothing changed, never
// "HTTP 503", "fetch failed", "Needs:" or "Check your internet connection" (the status code goes to the problem report),
// and no catalogue id (Powens gave no words of its own: provider.no_detail says nothing).
import { linkDemoBank } from '../flows.js';
import { expect, nav, syncNow, test } from './harness.js';

const TECHNICAL = /HTTP|\b503\b|fetch failed|Needs:|internet connection|ECONN|undefined|provider\.\w/;

test('an aggregator answering 503: the sync bar and the connection card say it in plain words', async ({ page, app }) => {
  await linkDemoBank(page, app.url);
  await app.control('/faults', { provider: 'powens', kind: 'server_error', status: 503, count: 1000 });
  await syncNow(page);

  const said = 'Powens is having a problem and could not answer right now';
  const bar = page.getByRole('region', { name: 'Sync', exact: true }).getByRole('status');
  await expect(bar).toContainText(said);
  await expect(bar).not.toContainText(TECHNICAL);

  await nav(page, 'Connections');
  const card = page.getByRole('listitem', { name: 'Tatra Demo Banka', exact: true });
  await expect(card).toContainText(`Last problem${said}. Nothing was changed.`);
  await expect(card).not.toContainText(TECHNICAL);
  await expect(page.locator('body')).not.toContainText(TECHNICAL);
});
