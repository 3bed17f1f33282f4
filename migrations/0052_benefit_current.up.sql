-- A citizen's current benefit (the open period that started last) is looked up for every row
-- of the caseload, a search and the kontaktforløb list. benefit_periods_citizen_idx finds the
-- citizen's periods but must read each from the table to see whether it has ended; this
-- partial index holds only the open periods, with the benefit code, so the look-up is
-- index-only.
CREATE INDEX benefit_periods_current_idx ON benefit_periods (citizen_id, start_date DESC) INCLUDE (benefit_code)
    WHERE end_date IS NULL;
