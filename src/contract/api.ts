import { z } from 'zod';
import { oneLine } from './text.js';

/** Request and response schemas of the foundation API, shared by the server, the CLI and the web app. */
export const organizationKinds = ['investor', 'partner', 'law_firm', 'government'] as const;
export const roles = ['platform_admin', 'admin', 'staff', 'viewer', 'worker'] as const;
export const locales = ['en', 'ko'] as const;

export const organizationKindSchema = z.enum(organizationKinds);
export const roleSchema = z.enum(roles);
export const localeSchema = z.enum(locales);
export type OrganizationKind = z.infer<typeof organizationKindSchema>;
/** What a government organization does on the platform (issue 17): receive batches, see the figures, or both. */
export const mandates = ['embassy_desk', 'working_group'] as const;
export const mandateSchema = z.enum(mandates);
export type Mandate = z.infer<typeof mandateSchema>;
export type Role = z.infer<typeof roleSchema>;
export type Locale = z.infer<typeof localeSchema>;

const id = z.uuid();
const isoDateTime = z.string().describe('ISO 8601 date-time with time zone (UTC)');
const email = z.email().max(254);
/** At least 12 characters; the server also refuses guessable passwords (common, repeated, the user's own name). */
export const passwordSchema = z.string().min(12).max(200);

export const idParamsSchema = z.object({ id });

export const loginRequestSchema = z.object({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(200),
});

export const organizationSchema = z.object({
  id,
  name: z.string(),
  kind: organizationKindSchema,
  /** Government organizations: an embassy desk, a working group, or both. */
  mandates: z.array(mandateSchema),
  /** Firm size: a small or medium enterprise (the console's filter). */
  sme: z.boolean(),
  createdAt: isoDateTime,
});
export type Organization = z.infer<typeof organizationSchema>;

export const meSchema = z.object({
  user: z.object({
    id,
    email: z.string(),
    displayName: z.string(),
    role: roleSchema,
    locale: localeSchema.nullable(),
  }),
  organization: z
    .object({
      id,
      name: z.string(),
      kind: organizationKindSchema,
      mandates: z.array(mandateSchema).optional(),
    })
    .nullable(),
  capabilities: z.array(z.string()),
  /** Two-factor sign-in: whether it is on, and whether the organization requires it of this user. */
  twoFactor: z.object({
    enabled: z.boolean(),
    required: z.boolean(),
    /** Signed in, but must enrol before anything else (the organization requires 2FA of its administrators). */
    mustEnroll: z.boolean(),
  }),
  /** How this session signed in: a password (and perhaps a second factor), or the organization's single sign-on. */
  signedInWith: z.enum(['password', 'sso', 'token']),
});
export type Me = z.infer<typeof meSchema>;

// ---------------------------------------------------------------- strong sign-in (issue 14)

/** `202` from `POST /api/auth/login` when the account has a second factor: send the code with this challenge. */
export const twoFactorChallengeSchema = z.object({
  twoFactorRequired: z.literal(true),
  challenge: z.string(),
  expiresAt: isoDateTime,
});
export const twoFactorLoginSchema = z.object({
  challenge: z.string().min(10).max(200),
  /** A 6-digit code of the authenticator app, or one of the recovery codes (xxxx-xxxx). */
  code: z.string().trim().min(6).max(20),
});
export const totpSetupSchema = z.object({
  /** Base32 secret, for typing into an authenticator app. */
  secret: z.string(),
  /** `otpauth://totp/…`, for the QR code. */
  otpauthUri: z.string(),
});
export const totpCodeSchema = z.object({ code: z.string().trim().min(6).max(20) });
export const recoveryCodesSchema = z.object({
  /** Shown once: each signs in once when the authenticator is lost. */
  recoveryCodes: z.array(z.string()),
});

export const ssoRoleMappingSchema = z.object({
  value: oneLine(z.string().trim().min(1).max(200)).describe('A value of the role claim, e.g. a group name'),
  role: z.enum(['admin', 'staff', 'viewer', 'worker']),
});
export const ssoSettingsInputSchema = z.object({
  issuer: z
    .url()
    .max(500)
    .describe("The identity provider's issuer URL (its /.well-known/openid-configuration)"),
  clientId: oneLine(z.string().trim().min(1).max(300)),
  /** Write-only: omitted on update keeps the stored secret. */
  clientSecret: z.string().min(1).max(1000).optional(),
  emailDomains: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'a domain such as example.com'),
    )
    .min(1)
    .max(20),
  roleClaim: z.string().trim().min(1).max(100).default('groups'),
  roleMappings: z.array(ssoRoleMappingSchema).max(50).default([]),
  defaultRole: z.enum(['admin', 'staff', 'viewer', 'worker']).nullable().default(null),
  enabled: z.boolean().default(true),
});
export const signInSettingsSchema = z.object({
  requireTwoFactorForAdmins: z.boolean(),
  /** The address to register at the identity provider (null: KORUS_PUBLIC_URL is not set). */
  ssoRedirectUri: z.string().nullable(),
  sso: ssoSettingsInputSchema
    .omit({ clientSecret: true })
    .extend({ clientSecretSet: z.boolean() })
    .nullable(),
});
export const signInSettingsInputSchema = z.object({
  requireTwoFactorForAdmins: z.boolean(),
  sso: ssoSettingsInputSchema.nullable(),
});
export const ssoLookupQuerySchema = z.object({ email: z.string().trim().min(3).max(254) });
export const ssoLookupSchema = z.object({ available: z.boolean(), organizationName: z.string().nullable() });
export const ssoStartQuerySchema = z.object({
  email: z.string().trim().min(3).max(254),
  returnTo: z
    .string()
    .max(500)
    .regex(/^\/(?!\/)/, 'a path of this site')
    .optional(),
});

export const preferencesSchema = z.object({ locale: localeSchema });

export const createOrganizationSchema = z
  .object({
    name: oneLine(z.string().trim().min(1).max(200)),
    kind: organizationKindSchema,
    mandates: z.array(mandateSchema).max(2).optional(),
    sme: z.boolean().optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.mandates?.length ?? 0) > 0 && value.kind !== 'government')
      ctx.addIssue({
        code: 'custom',
        path: ['mandates'],
        message: 'only a government organization has a mandate',
      });
  });
export const organizationListSchema = z.object({ items: z.array(organizationSchema) });

/** A company's counsel and emergency contacts, shown on the site roster's contact sheet (issue 6). */
export const contactKinds = ['counsel', 'emergency'] as const;
export const contactKindSchema = z.enum(contactKinds);
export type ContactKind = z.infer<typeof contactKindSchema>;
const phonePattern = /^\+?[0-9(][0-9 ().\/-]{4,28}[0-9](\s*(ext\.?|x|내선)\s*[0-9]{1,6})?$/i;
const phoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .refine((value) => phonePattern.test(value), {
    message:
      'Must be a telephone number such as +1-404-555-0100 (digits, spaces, + ( ) - . /, optional ext.).',
    params: {
      en: 'Must be a telephone number such as +1-404-555-0100 (digits, spaces, + ( ) - . /, optional ext.).',
      ko: '전화번호 형식이어야 합니다. 예: +1-404-555-0100 (숫자, 공백, + ( ) - . /, 내선 가능)',
    },
  });
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));
export const organizationContactInputSchema = z.object({
  kind: contactKindSchema,
  name: oneLine(z.string().trim().min(1).max(200)).describe(
    'The person, or a desk such as "24-hour duty desk"',
  ),
  firm: optionalText(200).describe('Counsel: the law firm; emergency: the department'),
  title: optionalText(200),
  phone: phoneSchema,
  email: z
    .union([email, z.literal('')])
    .nullish()
    .transform((v) => (v ? v : null)),
  hours: optionalText(100).describe('When the number answers, e.g. "24/7"'),
  languages: z.array(localeSchema).max(2).default([]).describe('Languages spoken: ko, en'),
  notes: optionalText(500),
});
export const organizationContactSchema = z.object({
  kind: contactKindSchema,
  name: z.string(),
  firm: z.string().nullable(),
  title: z.string().nullable(),
  phone: z.string(),
  email: z.string().nullable(),
  hours: z.string().nullable(),
  languages: z.array(localeSchema),
  notes: z.string().nullable(),
});
export type OrganizationContact = z.infer<typeof organizationContactSchema>;
export const organizationContactsUpdateSchema = z.object({
  items: z.array(organizationContactInputSchema).max(20),
});
export const organizationContactsSchema = z.object({
  organizationId: id,
  organizationName: z.string(),
  updatedAt: isoDateTime.nullable(),
  items: z.array(organizationContactSchema),
});
export type OrganizationContacts = z.infer<typeof organizationContactsSchema>;

export const partnerLinkSchema = z.object({
  id,
  investorId: id,
  investorName: z.string(),
  partnerId: id,
  partnerName: z.string(),
  createdAt: isoDateTime,
});
export const createPartnerLinkSchema = z.object({ investorId: id, partnerId: id });
export const partnerLinkListSchema = z.object({ items: z.array(partnerLinkSchema) });

export const userSchema = z.object({
  id,
  email: z.string(),
  displayName: z.string(),
  role: roleSchema,
  organizationId: id.nullable(),
  organizationName: z.string().nullable(),
  createdAt: isoDateTime,
  disabled: z.boolean(),
});
export type User = z.infer<typeof userSchema>;
export const createUserSchema = z.object({
  email,
  displayName: oneLine(z.string().trim().min(1).max(200)),
  role: roleSchema,
  organizationId: id.nullable().optional(),
  password: passwordSchema,
});
export const userListQuerySchema = z.object({ organizationId: id.optional() });
export const userListSchema = z.object({ items: z.array(userSchema) });
export const resetPasswordSchema = z.object({ password: passwordSchema });

export const apiTokenSchema = z.object({
  id,
  name: z.string(),
  userId: id,
  userEmail: z.string(),
  prefix: z.string(),
  createdAt: isoDateTime,
  lastUsedAt: isoDateTime.nullable(),
  revokedAt: isoDateTime.nullable(),
});
export const createTokenSchema = z.object({ name: oneLine(z.string().trim().min(1).max(100)) });
export const createdTokenSchema = z.object({ id, name: z.string(), token: z.string() });
export const tokenListSchema = z.object({ items: z.array(apiTokenSchema) });

export const healthSchema = z.object({ status: z.literal('ok') });
export const readySchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.string(),
  pendingMigrations: z.number().int(),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string(),
  messages: z.object({ en: z.string(), ko: z.string() }),
  errors: z
    .array(
      z.object({
        path: z.string(),
        code: z.string(),
        message: z.string(),
        messages: z.object({ en: z.string(), ko: z.string() }),
      }),
    )
    .optional(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
});

export const auditEventSchema = z.object({
  seq: z.number().int(),
  id,
  occurredAt: isoDateTime,
  actorLabel: z.string(),
  organizationId: id.nullable(),
  action: z.string(),
  actionLabel: z.object({ en: z.string(), ko: z.string() }),
  targetType: z.string(),
  targetId: z.string().nullable(),
  requestId: z.string().nullable(),
  hash: z.string(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;
export const auditListQuerySchema = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const auditListSchema = z.object({
  items: z.array(auditEventSchema),
  nextBefore: z.number().int().nullable(),
});

export const siteSectors = [
  'battery',
  'auto',
  'semiconductor',
  'shipbuilding',
  'steel',
  'energy',
  'other',
] as const;
export const siteSchema = z.object({
  id,
  organizationId: id,
  organizationName: z.string(),
  name: z.string(),
  sector: z.enum(siteSectors),
  address: z.string(),
  city: z.string(),
  state: z.string(),
  county: z.string().nullable(),
  timeZone: z.string(),
  /** The Korean embassy or consulate general whose jurisdiction covers the site (rules/data; may be `verify`). */
  consulate: z
    .object({
      id: z.string(),
      name: z.object({ en: z.string(), ko: z.string() }),
      city: z.string(),
      phone: z.string().nullable(),
      website: z.string().nullable(),
      verify: z.boolean(),
    })
    .nullable()
    .optional(),
});
export type Site = z.infer<typeof siteSchema>;
export const siteListSchema = z.object({ items: z.array(siteSchema) });

// ---------------------------------------------------------------- counsel (issue 13)

export const counselFirmsSchema = z.object({
  organizationId: id,
  items: z.array(z.object({ id, name: z.string() })),
});
export const counselFirmsUpdateSchema = z.object({ lawFirmIds: z.array(id).max(10) });
export const lawFirmListSchema = z.object({ items: z.array(z.object({ id, name: z.string() })) });
