// The fixed cast of the demo world: banks, people, their accounts, employers, landlords and merchants.
// Everything random (IBANs, amounts, which merchant on which day) comes from the seeded generator.

export interface BankSpec { id: string; name: string; country: string; bic: string; bankCode: string; currency: string }

export const BANKS: BankSpec[] = [
  { id: 'sk-tatra', name: 'Tatra Demo Banka', country: 'SK', bic: 'TDEMSKBX', bankCode: '9901', currency: 'EUR' },
  { id: 'sk-sporitelna', name: 'Demo Sporiteľňa', country: 'SK', bic: 'SDEMSKBX', bankCode: '9902', currency: 'EUR' },
  { id: 'cz-ceska', name: 'Česká Demo Banka', country: 'CZ', bic: 'CDEMCZPP', bankCode: '9903', currency: 'CZK' },
  { id: 'pl-polski', name: 'Demo Bank Polski', country: 'PL', bic: 'PDEMPLPW', bankCode: '9904001', currency: 'PLN' },
  { id: 'de-sparkasse', name: 'Demo Sparkasse Berlin', country: 'DE', bic: 'DEMODEB1', bankCode: '99050000', currency: 'EUR' },
  { id: 'fr-paris', name: 'Banque Démo de Paris', country: 'FR', bic: 'BDEMFRPP', bankCode: '99001', currency: 'EUR' },
  { id: 'hu-budapest', name: 'Demo Bank Budapest Zrt.', country: 'HU', bic: 'HDEMHUHB', bankCode: '990', currency: 'HUF' },
];

export type AccountKind = 'current' | 'savings' | 'card';

export interface AccountSpec { type: AccountKind; currency: string; name: string }

export interface PersonaSpec {
  bankId: string;
  username: string;
  password: string;
  ownerName: string;
  address: string;
  /** net monthly salary in EUR (converted into the account currency) */
  salaryEur: number;
  rentEur: number;
  employer: string;
  landlord: string;
  accounts: AccountSpec[];
  /** how busy the card is: mean card payments per day */
  cardRate: number;
}

export const PERSONAS: PersonaSpec[] = [
  {
    bankId: 'sk-tatra', username: 'demo', password: 'demo1234', ownerName: 'Jana Nováková', address: 'Hlavná 12, 040 01 Košice, Slovakia',
    salaryEur: 2350, rentEur: 690, employer: 'Demo Soft s.r.o.', landlord: 'Bytové družstvo Košice',
    accounts: [
      { type: 'current', currency: 'EUR', name: 'Osobný účet' },
      { type: 'savings', currency: 'EUR', name: 'Sporiaci účet' },
      { type: 'card', currency: 'EUR', name: 'Kreditná karta' },
      { type: 'current', currency: 'JPY', name: 'Devízový účet JPY' },
    ],
    cardRate: 0.4,
  },
  {
    bankId: 'sk-tatra', username: 'peter', password: 'peter1234', ownerName: 'Peter Horváth', address: 'Obchodná 5, 811 06 Bratislava, Slovakia',
    salaryEur: 3100, rentEur: 950, employer: 'Danube Logistics a.s.', landlord: 'Reality Centrum s.r.o.',
    accounts: [
      { type: 'current', currency: 'EUR', name: 'Bežný účet' },
      { type: 'current', currency: 'BHD', name: 'Foreign currency account BHD' },
    ],
    cardRate: 0.3,
  },
  {
    bankId: 'sk-sporitelna', username: 'demo', password: 'demo1234', ownerName: 'Martin Kováč', address: 'Námestie SNP 3, 974 01 Banská Bystrica, Slovakia',
    salaryEur: 1850, rentEur: 520, employer: 'Stredoslovenská energetika Demo a.s.', landlord: 'Ing. Eva Mráziková',
    accounts: [
      { type: 'current', currency: 'EUR', name: 'Osobný účet Klasik' },
      { type: 'savings', currency: 'EUR', name: 'Sporenie' },
    ],
    cardRate: 0.35,
  },
  {
    bankId: 'cz-ceska', username: 'demo', password: 'demo1234', ownerName: 'Tereza Dvořáková', address: 'Vinohradská 48, 120 00 Praha 2, Czechia',
    salaryEur: 2200, rentEur: 780, employer: 'Pražská Demo Technologie s.r.o.', landlord: 'Bytové družstvo Vinohrady',
    accounts: [
      { type: 'current', currency: 'CZK', name: 'Běžný účet' },
      { type: 'savings', currency: 'CZK', name: 'Spořicí účet' },
      { type: 'card', currency: 'CZK', name: 'Kreditní karta' },
      { type: 'current', currency: 'EUR', name: 'Eurový účet' },
    ],
    cardRate: 0.4,
  },
  {
    bankId: 'pl-polski', username: 'demo', password: 'demo1234', ownerName: 'Katarzyna Wiśniewska', address: 'ul. Marszałkowska 21, 00-628 Warszawa, Poland',
    salaryEur: 1950, rentEur: 700, employer: 'Demo Polska Sp. z o.o.', landlord: 'Wspólnota Mieszkaniowa Mokotów',
    accounts: [
      { type: 'current', currency: 'PLN', name: 'Konto osobiste' },
      { type: 'savings', currency: 'PLN', name: 'Konto oszczędnościowe' },
    ],
    cardRate: 0.35,
  },
  {
    bankId: 'de-sparkasse', username: 'demo', password: 'demo1234', ownerName: 'Lukas Schneider', address: 'Kastanienallee 7, 10435 Berlin, Germany',
    salaryEur: 3400, rentEur: 1150, employer: 'Demo Mobility GmbH', landlord: 'Berliner Wohnen Demo GmbH',
    accounts: [
      { type: 'current', currency: 'EUR', name: 'Girokonto' },
      { type: 'savings', currency: 'EUR', name: 'Tagesgeld' },
      { type: 'card', currency: 'EUR', name: 'Kreditkarte' },
    ],
    cardRate: 0.4,
  },
  {
    bankId: 'fr-paris', username: 'demo', password: 'demo1234', ownerName: 'Camille Martin', address: '14 rue des Martyrs, 75009 Paris, France',
    salaryEur: 2900, rentEur: 1250, employer: 'Démo Conseil SAS', landlord: 'Foncière Démo Paris',
    accounts: [
      { type: 'current', currency: 'EUR', name: 'Compte chèques' },
      { type: 'savings', currency: 'EUR', name: 'Livret A' },
    ],
    cardRate: 0.35,
  },
  {
    bankId: 'hu-budapest', username: 'demo', password: 'demo1234', ownerName: 'Kovács Eszter', address: 'Andrássy út 30, 1061 Budapest, Hungary',
    salaryEur: 1700, rentEur: 560, employer: 'Demo Informatika Kft.', landlord: 'Terézváros Lakás Kft.',
    accounts: [
      { type: 'current', currency: 'HUF', name: 'Folyószámla' },
      { type: 'savings', currency: 'HUF', name: 'Megtakarítási számla' },
    ],
    cardRate: 0.35,
  },
];

/** Units of each currency per 1 EUR (rough, fixed: a demo world needs stable numbers, not live rates). */
export const EUR_RATES: Record<string, number> = {
  EUR: 1, CZK: 25.1, PLN: 4.31, HUF: 398, JPY: 162, BHD: 0.409, USD: 1.08, GBP: 0.85, CHF: 0.95, SEK: 11.4, DKK: 7.46,
};

export interface Merchant { name: string; city: string; category: string; mcc: string; min: number; max: number; w: number; online?: boolean }

const common: Merchant[] = [
  { name: 'AMAZON EU SARL', city: 'Luxembourg', category: 'shopping', mcc: '5942', min: 8, max: 120, w: 3, online: true },
  { name: 'NETFLIX.COM', city: 'Amsterdam', category: 'subscriptions', mcc: '4899', min: 9.99, max: 13.99, w: 0.6, online: true },
  { name: 'SPOTIFY AB', city: 'Stockholm', category: 'subscriptions', mcc: '5815', min: 10.99, max: 10.99, w: 0.6, online: true },
  { name: 'APPLE.COM/BILL', city: 'Cork', category: 'subscriptions', mcc: '5818', min: 0.99, max: 9.99, w: 0.8, online: true },
  { name: 'IKEA', city: '', category: 'home', mcc: '5712', min: 15, max: 240, w: 0.6 },
  { name: 'DM DROGERIE MARKT', city: '', category: 'health', mcc: '5912', min: 4, max: 45, w: 2 },
  { name: 'ZARA', city: '', category: 'clothing', mcc: '5651', min: 19, max: 120, w: 0.8 },
  { name: 'MCDONALDS', city: '', category: 'restaurants', mcc: '5814', min: 6, max: 18, w: 1.2 },
  { name: 'BOLT.EU', city: 'Tallinn', category: 'transport', mcc: '4121', min: 4, max: 22, w: 1, online: true },
  { name: 'BOOKING.COM', city: 'Amsterdam', category: 'travel', mcc: '4722', min: 60, max: 420, w: 0.15, online: true },
];

export const MERCHANTS: Record<string, Merchant[]> = {
  SK: [
    ...common,
    { name: 'LIDL SK', city: 'Košice', category: 'groceries', mcc: '5411', min: 8, max: 85, w: 6 },
    { name: 'BILLA', city: 'Bratislava', category: 'groceries', mcc: '5411', min: 5, max: 70, w: 5 },
    { name: 'TESCO STORES SR', city: 'Košice', category: 'groceries', mcc: '5411', min: 10, max: 110, w: 4 },
    { name: 'SLOVNAFT', city: 'Bratislava', category: 'fuel', mcc: '5541', min: 30, max: 75, w: 2 },
    { name: 'ALZA.SK', city: 'Bratislava', category: 'electronics', mcc: '5732', min: 12, max: 400, w: 0.6, online: true },
    { name: 'ZSSK', city: 'Bratislava', category: 'transport', mcc: '4112', min: 3, max: 25, w: 0.8 },
    { name: 'BRATISLAVA FLAGSHIP', city: 'Bratislava', category: 'restaurants', mcc: '5812', min: 12, max: 60, w: 1 },
    { name: 'KAUFLAND SK', city: 'Prešov', category: 'groceries', mcc: '5411', min: 10, max: 95, w: 3 },
  ],
  CZ: [
    ...common,
    { name: 'ALBERT', city: 'Praha', category: 'groceries', mcc: '5411', min: 150, max: 1800, w: 6 },
    { name: 'LIDL CESKA REPUBLIKA', city: 'Praha', category: 'groceries', mcc: '5411', min: 200, max: 2000, w: 5 },
    { name: 'ROHLIK.CZ', city: 'Praha', category: 'groceries', mcc: '5411', min: 600, max: 2500, w: 2, online: true },
    { name: 'ALZA.CZ', city: 'Praha', category: 'electronics', mcc: '5732', min: 300, max: 9000, w: 0.8, online: true },
    { name: 'DOPRAVNI PODNIK HL.M.PRAHY', city: 'Praha', category: 'transport', mcc: '4111', min: 30, max: 550, w: 1.5 },
    { name: 'MOL CESKA REPUBLIKA', city: 'Brno', category: 'fuel', mcc: '5541', min: 800, max: 1900, w: 1.5 },
    { name: 'LOKAL DLOUHAA', city: 'Praha', category: 'restaurants', mcc: '5812', min: 250, max: 1200, w: 1.2 },
  ].map((m) => (m.city === '' || m.mcc === '5942' || m.min < 100 ? scale(m, 25) : m)),
  PL: [
    ...common,
    { name: 'BIEDRONKA', city: 'Warszawa', category: 'groceries', mcc: '5411', min: 25, max: 320, w: 6 },
    { name: 'ZABKA', city: 'Warszawa', category: 'groceries', mcc: '5499', min: 8, max: 60, w: 5 },
    { name: 'ALLEGRO.PL', city: 'Poznań', category: 'shopping', mcc: '5399', min: 30, max: 900, w: 1.5, online: true },
    { name: 'ORLEN', city: 'Warszawa', category: 'fuel', mcc: '5541', min: 120, max: 330, w: 1.5 },
    { name: 'PKP INTERCITY', city: 'Warszawa', category: 'transport', mcc: '4112', min: 25, max: 180, w: 0.6, online: true },
    { name: 'BAR MLECZNY PRASOWY', city: 'Warszawa', category: 'restaurants', mcc: '5812', min: 20, max: 90, w: 1 },
  ].map((m) => (m.city === '' || m.mcc === '5942' || m.mcc === '4899' || m.mcc === '5815' || m.mcc === '5818' || m.mcc === '4121' || m.mcc === '4722' ? scale(m, 4.3) : m)),
  DE: [
    ...common,
    { name: 'REWE MARKT GMBH', city: 'Berlin', category: 'groceries', mcc: '5411', min: 8, max: 95, w: 6 },
    { name: 'EDEKA', city: 'Berlin', category: 'groceries', mcc: '5411', min: 6, max: 80, w: 4 },
    { name: 'ALDI NORD', city: 'Berlin', category: 'groceries', mcc: '5411', min: 10, max: 70, w: 3 },
    { name: 'ARAL STATION', city: 'Berlin', category: 'fuel', mcc: '5541', min: 35, max: 90, w: 1.5 },
    { name: 'DB VERTRIEB GMBH', city: 'Frankfurt', category: 'transport', mcc: '4112', min: 9, max: 140, w: 1, online: true },
    { name: 'BVG BERLIN', city: 'Berlin', category: 'transport', mcc: '4111', min: 3.5, max: 58, w: 1.2 },
    { name: 'ZALANDO SE', city: 'Berlin', category: 'clothing', mcc: '5691', min: 25, max: 180, w: 1, online: true },
    { name: 'CURRY 36', city: 'Berlin', category: 'restaurants', mcc: '5814', min: 5, max: 25, w: 1.2 },
  ],
  FR: [
    ...common,
    { name: 'CARREFOUR CITY', city: 'Paris', category: 'groceries', mcc: '5411', min: 6, max: 90, w: 6 },
    { name: 'MONOPRIX', city: 'Paris', category: 'groceries', mcc: '5411', min: 8, max: 120, w: 5 },
    { name: 'FRANPRIX', city: 'Paris', category: 'groceries', mcc: '5411', min: 4, max: 45, w: 3 },
    { name: 'SNCF CONNECT', city: 'Paris', category: 'transport', mcc: '4112', min: 15, max: 160, w: 0.8, online: true },
    { name: 'RATP', city: 'Paris', category: 'transport', mcc: '4111', min: 2.15, max: 86.4, w: 1.5 },
    { name: 'TOTALENERGIES', city: 'Paris', category: 'fuel', mcc: '5541', min: 35, max: 85, w: 1 },
    { name: 'BOULANGERIE DU MARCHE', city: 'Paris', category: 'restaurants', mcc: '5462', min: 2.4, max: 14, w: 3 },
    { name: 'FNAC', city: 'Paris', category: 'electronics', mcc: '5732', min: 15, max: 350, w: 0.6 },
  ],
  HU: [
    ...common,
    { name: 'SPAR MAGYARORSZAG', city: 'Budapest', category: 'groceries', mcc: '5411', min: 2500, max: 28000, w: 6 },
    { name: 'TESCO GLOBAL ARUHAZAK', city: 'Budapest', category: 'groceries', mcc: '5411', min: 3000, max: 36000, w: 4 },
    { name: 'MOL NYRT', city: 'Budapest', category: 'fuel', mcc: '5541', min: 12000, max: 30000, w: 1.5 },
    { name: 'BKK BUDAPEST', city: 'Budapest', category: 'transport', mcc: '4111', min: 450, max: 9500, w: 1.5 },
    { name: 'EMAG.HU', city: 'Budapest', category: 'electronics', mcc: '5732', min: 4000, max: 120000, w: 0.6, online: true },
    { name: 'KONYHA ETTEREM', city: 'Budapest', category: 'restaurants', mcc: '5812', min: 3500, max: 18000, w: 1 },
  ].map((m) => (m.city === '' || m.mcc === '5942' || m.min < 100 ? scale(m, 398) : m)),
};

function scale(m: Merchant, k: number): Merchant { return { ...m, min: m.min * k, max: m.max * k }; }

/** Foreign card payments (FX): merchant, its currency, and amounts in that currency. */
export const FX_MERCHANTS: Array<Merchant & { currency: string; country: string }> = [
  { name: 'PRET A MANGER', city: 'London', category: 'restaurants', mcc: '5814', min: 4, max: 18, w: 2, currency: 'GBP', country: 'GB' },
  { name: 'TFL TRAVEL CH', city: 'London', category: 'transport', mcc: '4111', min: 2.8, max: 15, w: 2, currency: 'GBP', country: 'GB' },
  { name: 'HOTEL RIVERSIDE', city: 'London', category: 'travel', mcc: '7011', min: 120, max: 480, w: 0.5, currency: 'GBP', country: 'GB' },
  { name: 'STARBUCKS NYC', city: 'New York', category: 'restaurants', mcc: '5814', min: 5, max: 14, w: 1, currency: 'USD', country: 'US' },
  { name: 'GITHUB INC', city: 'San Francisco', category: 'subscriptions', mcc: '5734', min: 4, max: 21, w: 1, currency: 'USD', country: 'US', online: true },
  { name: 'COOP ZURICH HB', city: 'Zürich', category: 'groceries', mcc: '5411', min: 9, max: 70, w: 1, currency: 'CHF', country: 'CH' },
  { name: 'ALBERT HEIJN', city: 'Praha', category: 'groceries', mcc: '5411', min: 150, max: 1200, w: 1, currency: 'CZK', country: 'CZ' },
  { name: 'EUROSPAR WIEN', city: 'Wien', category: 'groceries', mcc: '5411', min: 8, max: 60, w: 1, currency: 'EUR', country: 'AT' },
];

export const UTILITIES: Record<string, Array<{ name: string; eur: number; ref: string }>> = {
  SK: [{ name: 'ZSE Energia a.s.', eur: 62, ref: 'Elektrina' }, { name: 'Slovak Telekom a.s.', eur: 24, ref: 'Internet a TV' }, { name: 'Orange Slovensko a.s.', eur: 17, ref: 'Mobil' }],
  CZ: [{ name: 'ČEZ Prodej a.s.', eur: 70, ref: 'Záloha elektřina' }, { name: 'O2 Czech Republic a.s.', eur: 28, ref: 'Internet' }, { name: 'T-Mobile Czech Republic a.s.', eur: 18, ref: 'Tarif' }],
  PL: [{ name: 'PGE Obrót S.A.', eur: 55, ref: 'Prąd' }, { name: 'Orange Polska S.A.', eur: 20, ref: 'Światłowód' }, { name: 'Play P4 Sp. z o.o.', eur: 12, ref: 'Abonament' }],
  DE: [{ name: 'Vattenfall Europe Sales GmbH', eur: 78, ref: 'Abschlag Strom' }, { name: 'Telekom Deutschland GmbH', eur: 40, ref: 'MagentaZuhause' }, { name: 'Rundfunk ARD ZDF DRadio', eur: 18.36, ref: 'Rundfunkbeitrag' }],
  FR: [{ name: 'EDF', eur: 74, ref: 'Prélèvement électricité' }, { name: 'Free Mobile', eur: 19.99, ref: 'Forfait' }, { name: 'Orange SA', eur: 39.99, ref: 'Livebox' }],
  HU: [{ name: 'MVM Next Energiakereskedelmi Zrt.', eur: 45, ref: 'Áramdíj' }, { name: 'Magyar Telekom Nyrt.', eur: 25, ref: 'Internet' }, { name: 'Yettel Hungary Zrt.', eur: 15, ref: 'Mobil' }],
};

export const WORDS: Record<string, { salary: string; rent: string; savings: string; card: string; interest: string; atm: string; refund: string; fx: string }> = {
  SK: { salary: 'Mzda', rent: 'Nájomné', savings: 'Sporenie', card: 'Splátka kreditnej karty', interest: 'Úroky', atm: 'Výber z bankomatu', refund: 'Vrátenie platby', fx: 'Prevod medzi účtami' },
  CZ: { salary: 'Mzda', rent: 'Nájem', savings: 'Spoření', card: 'Splátka kreditní karty', interest: 'Úroky', atm: 'Výběr z bankomatu', refund: 'Vrácení platby', fx: 'Převod mezi účty' },
  PL: { salary: 'Wynagrodzenie', rent: 'Czynsz', savings: 'Oszczędności', card: 'Spłata karty kredytowej', interest: 'Odsetki', atm: 'Wypłata z bankomatu', refund: 'Zwrot', fx: 'Przelew własny' },
  DE: { salary: 'Gehalt', rent: 'Miete', savings: 'Sparen', card: 'Kreditkartenabrechnung', interest: 'Zinsen', atm: 'Bargeldauszahlung', refund: 'Gutschrift Rückerstattung', fx: 'Umbuchung' },
  FR: { salary: 'Salaire', rent: 'Loyer', savings: 'Virement épargne', card: 'Relevé carte', interest: 'Intérêts', atm: 'Retrait DAB', refund: 'Remboursement', fx: 'Virement interne' },
  HU: { salary: 'Munkabér', rent: 'Lakbér', savings: 'Megtakarítás', card: 'Hitelkártya törlesztés', interest: 'Kamat', atm: 'ATM készpénzfelvétel', refund: 'Visszatérítés', fx: 'Saját számlák közötti átvezetés' },
};
