// `node --import tsx --import ./test/e2e/shift-date.ts …`: the preview process (service + demo banks' launcher) runs
// on the browser tests' clock (clock.ts); without the run's offset in the environment it changes nothing.
import { clockOffsetMs, shiftDate } from './clock.js';

const offset = clockOffsetMs();
if (offset !== undefined) shiftDate(offset);
