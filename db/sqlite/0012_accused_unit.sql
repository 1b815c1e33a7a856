-- An accusation whose typed accused unit resembles one of our organizations waits for the office to confirm the unit
-- (or that none is meant) before it goes to any unit.
ALTER TABLE petitions ADD COLUMN accused_unit_to_confirm integer NOT NULL DEFAULT 0;
