DROP INDEX meetings_starts_idx;
