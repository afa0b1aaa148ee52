// The aggregators: their ids (main, the IPC contract) and their own spelling of their names (main, renderer).

export const PROVIDER_IDS = ['powens', 'finapi', 'everifin', 'banqware', 'enablebanking'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const PROVIDER_NAMES: Record<ProviderId, string> = { powens: 'Powens', finapi: 'finAPI', everifin: 'Everifin', banqware: 'Banqware', enablebanking: 'Enable Banking' };
