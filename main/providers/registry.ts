// Provider id -> its entry (factory, defaults, contact). Each aggregator folder adds its line here.
import { PROVIDER_NAMES } from '../../preload/contract/providers.js';
import type { ProviderRegistry } from './hub.js';
import { createEnableBankingProvider, ENABLEBANKING_BASE_URL, ENABLEBANKING_CONTACT, ENABLEBANKING_OPTION_NAMES } from './enablebanking/index.js';
import { BANQWARE_CONTACT, BANQWARE_OPTION_NAMES, BANQWARE_SANDBOX_URL, createBanqwareProvider } from './banqware/index.js';
import { createEverifinProvider, EVERIFIN_CONTACT, EVERIFIN_OPTION_NAMES, EVERIFIN_PRODUCTION_URL } from './everifin/index.js';
import { createFinapiProvider, FINAPI_CONTACT, FINAPI_OPTION_NAMES, FINAPI_SANDBOX_URL } from './finapi/index.js';
import { createPowensProvider, CREDENTIALS_KEY_OPTIONS, POWENS_CONTACT, POWENS_DEFAULT_BASE_URL } from './powens/index.js';

export const PROVIDERS: ProviderRegistry = {
  banqware: { name: PROVIDER_NAMES.banqware, factory: createBanqwareProvider, defaultBaseUrl: BANQWARE_SANDBOX_URL, optionNames: BANQWARE_OPTION_NAMES, contact: BANQWARE_CONTACT },
  enablebanking: { name: PROVIDER_NAMES.enablebanking, factory: createEnableBankingProvider, defaultBaseUrl: ENABLEBANKING_BASE_URL, optionNames: ENABLEBANKING_OPTION_NAMES, contact: ENABLEBANKING_CONTACT },
  everifin: { name: PROVIDER_NAMES.everifin, factory: createEverifinProvider, defaultBaseUrl: EVERIFIN_PRODUCTION_URL, optionNames: EVERIFIN_OPTION_NAMES, contact: EVERIFIN_CONTACT },
  finapi: { name: PROVIDER_NAMES.finapi, factory: createFinapiProvider, defaultBaseUrl: FINAPI_SANDBOX_URL, optionNames: FINAPI_OPTION_NAMES, contact: FINAPI_CONTACT },
  powens: { name: PROVIDER_NAMES.powens, factory: createPowensProvider, defaultBaseUrl: POWENS_DEFAULT_BASE_URL, optionNames: ['domain', ...CREDENTIALS_KEY_OPTIONS], contact: POWENS_CONTACT },
};
