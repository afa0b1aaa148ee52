const NAMES: Record<string, string> = { powens: 'Powens', finapi: 'finAPI', everifin: 'Everifin', banqware: 'Banqware' };

/** The aggregator's own spelling of its name, for ids in DTOs. */
export function providerName(id: string): string {
  return NAMES[id] ?? id;
}
