/** Word lists for the sample company's customers and their people. */

export const COMPANY_PREFIXES = [
  'North',
  'Blue',
  'Bright',
  'Clear',
  'Iron',
  'Silver',
  'Green',
  'Red',
  'Stone',
  'Swift',
  'Tidal',
  'Summit',
  'Cedar',
  'Maple',
  'Lumen',
  'Vector',
  'Harbor',
  'Pioneer',
  'Quartz',
  'Atlas',
  'Nimbus',
  'Orbit',
  'Pine',
  'River',
  'Sol',
  'Terra',
  'Nova',
  'Polar',
  'Amber',
  'Crest',
] as const;

export const COMPANY_SUFFIXES = [
  'wave',
  'field',
  'stone',
  'light',
  'path',
  'works',
  'forge',
  'point',
  'line',
  'bridge',
  'leaf',
  'peak',
  'grid',
  'base',
  'shift',
  'loop',
] as const;

export const COMPANY_KINDS = [
  'Labs',
  'Logistics',
  'Health',
  'Analytics',
  'Studio',
  'Foods',
  'Partners',
  'Robotics',
  'Finance',
  'Retail',
  'Energy',
  'Media',
  'Systems',
  'Dental',
  'Legal',
  'Travel',
] as const;

export const TLDS = ['com', 'com', 'com', 'io', 'co', 'app', 'co.uk', 'de', 'fr', 'nl'] as const;

/** Free-mail domains: never a customer's domain (DESIGN: linking). */
export const FREE_MAIL = [
  'gmail.com',
  'outlook.com',
  'hotmail.com',
  'yahoo.com',
  'icloud.com',
  'proton.me',
] as const;

export const FIRST_NAMES = [
  'Ana',
  'Ben',
  'Chloe',
  'David',
  'Elena',
  'Farah',
  'Gus',
  'Hana',
  'Ivan',
  'Julia',
  'Kofi',
  'Lena',
  'Mateo',
  'Nina',
  'Omar',
  'Paula',
  'Quinn',
  'Rosa',
  'Sven',
  'Tara',
  'Umar',
  'Vera',
  'Wei',
  'Ximena',
  'Yusuf',
  'Zoe',
  'Liam',
  'Mia',
  'Noah',
  'Aisha',
] as const;

export const LAST_NAMES = [
  'Adams',
  'Baker',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Murphy',
  'Nakamura',
  'Okafor',
  'Patel',
  'Quist',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Ueda',
  'Varga',
  'Weber',
  'Xu',
  'Yilmaz',
  'Zhang',
  'Moreau',
  'Silva',
  'Novak',
  'Brennan',
] as const;

/** Sole traders sign up with a free-mail address and a trade name. */
export const SOLE_TRADES = [
  'Photography',
  'Bakery',
  'Tutoring',
  'Design',
  'Consulting',
  'Plumbing',
  'Yoga',
] as const;

/** Consultancies that act for customers: their people link through the customer's organization. */
export const AGENCY_DOMAINS = [
  'northstar-consulting.com',
  'brightops.agency',
  'clearpath-advisory.com',
] as const;

/** The helpdesk's own company: its agents and admin. */
export const SUPPORT_DOMAIN = 'fieldnote.app';
export const PRODUCT_NAME = 'Fieldnote';
export const STAFF = [
  { name: 'Priya Shah', email: 'priya@fieldnote.app', role: 'agent' },
  { name: 'Marco Rossi', email: 'marco@fieldnote.app', role: 'agent' },
  { name: 'Dana Kim', email: 'dana@fieldnote.app', role: 'agent' },
  { name: 'Sam Taylor', email: 'sam@fieldnote.app', role: 'admin' },
] as const;
