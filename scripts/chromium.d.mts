export interface ChromiumChoice {
  /** a system Chromium to launch; null = Playwright's own */
  executablePath: string | null;
  /** Playwright's own is missing and may be downloaded: `npx playwright install chromium` first */
  install: boolean;
  /** why the browser tests cannot run here, in plain words; null when they can */
  problem: string | null;
}
export declare const SYSTEM_CHROMIUM: Partial<Record<NodeJS.Platform, string[]>>;
export declare function chooseChromium(facts: {
  platform: NodeJS.Platform; env: NodeJS.ProcessEnv; exists(path: string): boolean; playwrightChromium: string;
}): ChromiumChoice;
export declare function localChromium(): Promise<ChromiumChoice>;
