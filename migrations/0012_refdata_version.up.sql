-- Reference data is edited in the app (/admin/referencedata). Two administrators may open the
-- same value at once; version is its optimistic lock, so the second save is refused instead
-- of silently overwriting the first. Existing rows start at 1.
ALTER TABLE ref_values ADD COLUMN version int NOT NULL DEFAULT 1 CHECK (version >= 1);
