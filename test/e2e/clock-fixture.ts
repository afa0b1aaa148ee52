// The browser tests' `test`: every page runs on the tests' clock (clock.ts), like the preview it talks to.
import { test as base, expect } from '@playwright/test';
import { clockOffsetMs, shiftDate } from './clock.js';

export const test = base.extend({
  context: async ({ context }, use) => {
    const offset = clockOffsetMs();
    if (offset !== undefined) await context.addInitScript(shiftDate, offset);
    await use(context);
  },
});

export { expect };
