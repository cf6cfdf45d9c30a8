-- The daily digest is sent at least once (docs/decisions/035-digest-lease.md): a claim of the e-mail log row
-- is a lease. `claimed_at` is when the current claim was taken; a `pending` row whose claim is older than the
-- lease (src/server/services/alerts/digest.ts, DIGEST_LEASE_MS) was left by a run that died between claim and
-- send, and the next run may claim it again. `attempts` counts the claims (the current claim's number fences
-- its own status updates; a sent row with attempts > 1 may have been e-mailed more than once).
ALTER TABLE email_log ADD COLUMN claimed_at timestamptz;
ALTER TABLE email_log ADD COLUMN attempts integer NOT NULL DEFAULT 1 CHECK (attempts >= 1);
UPDATE email_log SET claimed_at = created_at;
ALTER TABLE email_log ALTER COLUMN claimed_at SET NOT NULL;
ALTER TABLE email_log ALTER COLUMN claimed_at SET DEFAULT now();
-- The daily retry sweep looks for unsent digests of recent days.
CREATE INDEX email_log_unsent_idx ON email_log (digest_date) WHERE status <> 'sent';
