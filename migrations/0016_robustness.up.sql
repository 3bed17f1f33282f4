-- Robustness (security review): plausible consents, and one submission per form.

-- A consent states its purpose (not only blanks, at most 500 characters) and, when it
-- expires, expires after the day it was given. The application checks the same and more
-- (helhed.ValidateConsent: dates relative to today); these are the rules that hold whoever
-- writes. NOT VALID: rows recorded before the rule are kept as they are, new rows are checked.
ALTER TABLE consents
    ADD CONSTRAINT consents_purpose_stated
        CHECK (btrim(purpose, E' \t\r\n') <> '' AND char_length(purpose) <= 500) NOT VALID,
    ADD CONSTRAINT consents_expire_after_given
        CHECK (expires_on IS NULL OR expires_on > given_on) NOT VALID;
