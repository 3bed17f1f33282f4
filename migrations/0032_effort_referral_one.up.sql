-- An effort and the referral that delivers it are one thing (store/effortlink.go): a referral
-- is linked to at most one effort of the plan, so its state moves exactly one status.
CREATE UNIQUE INDEX plan_efforts_one_per_referral_idx ON plan_efforts (referral_id)
    WHERE referral_id IS NOT NULL AND removed_at IS NULL;
