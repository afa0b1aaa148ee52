// How the app counts transactions a sync could not read (kept aside): main, the CLI and the renderer say it alike.

/** "1 transaction could not be read" / "3 transactions could not be read" */
export const unreadableText = (n: number): string => `${n} transaction${n === 1 ? '' : 's'} could not be read`;
