/**
 * What the sample company's customers write to support, by the reason ids of
 * zerotickets.config.example.yaml. Some templates bring the reason's tag (so tag matching has
 * something to do), most rely on the keywords, and `none` matches no rule at all.
 * Placeholders: {first} {company} {product} {n} {month} {amount}.
 */
export interface TicketText {
  subject: string;
  body: string;
  /** Tags this ticket always carries (an agent's macro, a form's routing tag). */
  tags?: string[];
}

/** The tag the generator may add to a keyword template of the reason (config `match.tags`). */
export const REASON_TAGS: Record<string, string | null> = {
  billing: 'billing',
  login_2fa: 'login',
  data_import: 'import',
  integration_setup: 'integration',
  verification_delay: 'verification',
  bug_report: 'bug',
  how_to: null,
  account_setup: null,
  cancellation: 'cancel',
  feature_request: 'feature_request',
  none: null,
};

/** How often customers write about each reason (onboarding support is mostly setup). */
export const REASON_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['data_import', 16],
  ['integration_setup', 15],
  ['login_2fa', 13],
  ['billing', 11],
  ['how_to', 11],
  ['account_setup', 9],
  ['bug_report', 8],
  ['verification_delay', 6],
  ['feature_request', 5],
  ['cancellation', 2],
  ['none', 4],
];

export const TICKET_TEXTS: Record<string, TicketText[]> = {
  billing: [
    {
      subject: 'Charged twice this month',
      body: 'Hi, we were charged twice for {month} — {amount} went out on two consecutive days. Can you refund the duplicate?\n\nThanks,\n{first}',
    },
    {
      subject: 'Need a VAT number on our invoice',
      body: 'Our finance team needs the VAT number of {company} printed on the invoice. Could you reissue the {month} invoice with it?',
    },
    {
      subject: 'Payment failed but card is fine',
      body: 'I got an email saying the payment failed, but the credit card works everywhere else. What should I do so we are not cut off?',
    },
    {
      subject: 'Receipt for the annual plan',
      body: 'Where do I find a receipt for the annual plan we bought last week? Our accountant is asking for it.',
    },
    {
      subject: 'Question about last month',
      body: 'Hi — the amount for {month} is higher than we expected ({amount}). Could someone walk me through it?',
      tags: ['invoice'],
    },
  ],
  login_2fa: [
    {
      subject: "Can't log in after resetting my password",
      body: 'I reset my password this morning and now it says the credentials are wrong. I have tried three times and I am about to be locked out.',
    },
    {
      subject: 'Lost my phone — 2FA',
      body: 'My phone was stolen over the weekend and the authenticator app was on it. How can I get back into my account?',
    },
    {
      subject: 'Password reset link expired',
      body: 'The reset link in the email has already expired by the time it arrives. Tried twice today.\n\n{first}',
    },
    {
      subject: 'SSO with Okta not working',
      body: 'We enabled SSO for {company} and now nobody can get in — Okta redirects back to the sign-in page in a loop.',
    },
    {
      subject: 'Stuck on the sign-in screen',
      body: 'After entering the six-digit code the page just spins. Happens in Chrome and Firefox.',
      tags: ['2fa'],
    },
  ],
  data_import: [
    {
      subject: 'CSV import keeps failing',
      body: 'I am trying to import our customer list ({n} rows) from a CSV and it stops halfway without telling me why.',
    },
    {
      subject: 'Columns not mapping on upload',
      body: 'When I upload our spreadsheet the columns for phone and company do not map to anything. Is there a template we should follow?',
    },
    {
      subject: 'Migrating from our old tool',
      body: 'We want to migrate about three years of history from our old tool. Is there a supported migration path, or do we export everything to CSV first?',
    },
    {
      subject: 'Duplicate records after import',
      body: "Every contact shows up twice since yesterday's import. Can you remove the duplicates or should we start over?",
    },
    {
      subject: 'Dates came through wrong',
      body: 'All the dates from our file came through as January 1st. The source file uses DD/MM/YYYY.',
      tags: ['import'],
    },
  ],
  integration_setup: [
    {
      subject: 'Salesforce integration not syncing',
      body: 'We set up the Salesforce integration on Monday but no accounts have synced yet. The status page says "waiting".',
    },
    {
      subject: 'Where do I find my API key?',
      body: 'Our developer needs an API key to connect our backend. I cannot find it in the settings.',
    },
    {
      subject: 'Webhook never fires',
      body: 'I configured a webhook for new orders, pointed it at our endpoint, and nothing arrives. Our logs show no requests at all.',
    },
    {
      subject: 'HubSpot OAuth fails',
      body: 'Clicking "Connect HubSpot" opens the OAuth window, I approve, and then it says "something went wrong".',
    },
    {
      subject: 'Hitting API limits during sync',
      body: 'Our nightly job gets API errors after roughly {n} calls. What are the limits for our plan?',
    },
    {
      subject: 'Zapier zap stopped running',
      body: 'The Zapier zap that creates records from our forms stopped running on {month} 3rd. Nothing changed on our side.',
    },
  ],
  verification_delay: [
    {
      subject: 'Account still pending review',
      body: 'We submitted our company documents {n} days ago and the account is still pending review. We cannot go live until it is approved.',
    },
    {
      subject: 'KYC rejected — why?',
      body: 'Our KYC check was rejected without a reason. The passport scan was clear. Can someone look at it?',
    },
    {
      subject: 'How long does verification take?',
      body: 'We signed up last week and verification has not moved. Our launch is on Friday.',
    },
    {
      subject: 'Identity check keeps asking for a selfie',
      body: 'The identity step asks for a selfie again every time I finish it.',
      tags: ['kyc'],
    },
  ],
  bug_report: [
    {
      subject: 'Dashboard shows a blank page',
      body: 'Since this morning the dashboard is a blank page for everyone at {company}. Cache cleared, same thing.',
    },
    {
      subject: 'App crashes when exporting a report',
      body: 'The desktop app crashes every time I export the monthly report. Screenshot attached.',
    },
    {
      subject: 'Error 500 when saving settings',
      body: 'Saving the notification settings gives "500 Internal Server Error". Tried at different times of day.',
    },
    {
      subject: 'Charts not loading',
      body: 'The charts on the reports tab are not loading — the spinner never stops.',
    },
    {
      subject: 'Search returns nothing',
      body: 'Searching for any customer name returns zero results, even ones I can see in the list.',
      tags: ['bug'],
    },
  ],
  how_to: [
    {
      subject: 'How do I set up recurring reports?',
      body: 'How do I schedule the weekly summary so it goes to my manager every Monday?',
    },
    {
      subject: 'Custom fields on the form',
      body: 'Is it possible to add our own fields to the signup form? I could not find it in the documentation.',
    },
    {
      subject: 'Where can I change the time zone?',
      body: 'Where can I change the time zone for our reports? Everything shows in UTC.',
    },
    {
      subject: 'Exporting data for a board meeting',
      body: "How to get last quarter's numbers out as a PDF? Need it for a board meeting.",
    },
  ],
  account_setup: [
    {
      subject: 'Inviting my team',
      body: 'I tried to invite two teammates but the invitation emails never arrived.',
    },
    {
      subject: 'Need more seats',
      body: 'We are out of seats. How can we add a user for our new hire starting Monday?',
    },
    {
      subject: 'Permissions for read-only users',
      body: 'Can we give our accountant read-only permissions? The roles I see all allow editing.',
    },
    {
      subject: 'Second workspace for our EU team',
      body: 'We would like a separate workspace for the EU team with its own members.',
    },
  ],
  cancellation: [
    {
      subject: 'Cancel our subscription',
      body: 'Please cancel our subscription at the end of the current period. The tool is not a fit for us right now.',
    },
    {
      subject: 'Downgrade to the free plan',
      body: 'We would like to downgrade to the free plan — we are a smaller team now.',
    },
    {
      subject: 'Close my account',
      body: 'Please close my account and remove our data.\n\n{first}',
      tags: ['cancel'],
    },
  ],
  feature_request: [
    {
      subject: 'Dark mode?',
      body: 'Would love a dark mode — we use the app on the night shift. Is it on the roadmap?',
    },
    {
      subject: 'Feature request: bulk edit',
      body: 'Feature request: bulk edit for records. Editing {n} rows one at a time takes forever.',
    },
    {
      subject: 'Slack notifications',
      body: 'It would be great to get notifications in Slack instead of email.',
    },
    {
      subject: 'Idea for the mobile app',
      body: 'Our field staff want offline mode in the mobile app.',
      tags: ['feature_request'],
    },
  ],
  none: [
    {
      subject: 'Following up',
      body: 'Hi, just following up on my message from last week. Could someone get back to me?\n\nThanks, {first}',
    },
    {
      subject: 'Call me back please',
      body: 'Can someone give me a ring this afternoon? Easier to explain on the phone.',
    },
    {
      subject: 'Automatic reply: Out of office',
      body: 'I am out of the office until Monday with limited access to email. For anything urgent contact the front desk.',
    },
    { subject: 'Quick question', body: 'Hey team, who is our account manager these days? Thanks!' },
  ],
};

/** Written by agents: proactive check-ins (outbound) and phone calls logged for a customer. */
export const OUTBOUND_TEXTS: TicketText[] = [
  {
    subject: 'Checking in on your first weeks with {product}',
    body: 'Hi {first}, I am on the {product} team and wanted to check in — anything we can do to help you get going?',
  },
  {
    subject: 'Your onboarding session',
    body: 'Hi {first}, following up on our onboarding session: here are the slides and a recording.',
  },
  {
    subject: 'Welcome to {product}!',
    body: 'Welcome aboard, {first}! Reply to this email any time and it reaches a human.',
  },
];

export const PHONE_TEXTS: TicketText[] = [
  {
    subject: 'Call from {first}: reset link expired',
    body: 'Customer called: the password reset link expired before it arrived. Walked them through it on the phone.',
  },
  {
    subject: 'Call from {first}: import stuck',
    body: 'Customer called about a CSV import stuck at 50%. Asked them to send the file.',
  },
  {
    subject: 'Call from {first}: charged twice',
    body: 'Customer called, says they were charged twice this month. Checking with finance.',
  },
];

export const SPAM_TEXTS: TicketText[] = [
  {
    subject: 'Boost your SEO ranking today',
    body: 'We can get your site to page one of Google in 30 days. Reply for a free audit!',
  },
  {
    subject: 'Partnership opportunity',
    body: 'Dear Sir/Madam, we have a business proposal that will interest you greatly.',
  },
  { subject: 'You have a pending parcel', body: 'Your parcel is waiting. Click here to schedule delivery.' },
];

export function fillText(text: TicketText, values: Record<string, string>): TicketText {
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
  return {
    subject: fill(text.subject),
    body: fill(text.body),
    ...(text.tags ? { tags: [...text.tags] } : {}),
  };
}
