-- 011: how many cases each unit holds in each state, kept by the database itself, so
-- that `list` says "200 of N" without counting N cases (issue #11): the working list of
-- the street, or of a unit's subtree, is the sum of a few rows. The triggers keep it
-- exact in the writer's own transaction, whatever writes the case rows (an action, the
-- bulk path, an import, a merge); `verify` proves it equal to a recount. A count falls
-- to zero and its row stays. Keyed by state first: the street's working list is the rows
-- of three states (a few per unit that holds such cases), a unit's subtree a lookup of
-- each of its units in each state.
CREATE TABLE dispute_tally (
    unit_id INTEGER NOT NULL,
    state   TEXT    NOT NULL,
    cases   INTEGER NOT NULL,
    PRIMARY KEY (state, unit_id)
) WITHOUT ROWID;
INSERT INTO dispute_tally (unit_id, state, cases)
    SELECT unit_id, state, count(*) FROM dispute GROUP BY unit_id, state;
CREATE TRIGGER dispute_tally_insert AFTER INSERT ON dispute
BEGIN
    INSERT INTO dispute_tally (unit_id, state, cases) VALUES (NEW.unit_id, NEW.state, 1)
        ON CONFLICT (state, unit_id) DO UPDATE SET cases = cases + 1;
END;
CREATE TRIGGER dispute_tally_delete AFTER DELETE ON dispute
BEGIN
    UPDATE dispute_tally SET cases = cases - 1 WHERE unit_id = OLD.unit_id AND state = OLD.state;
END;
CREATE TRIGGER dispute_tally_update AFTER UPDATE OF state, unit_id ON dispute
    WHEN NEW.state IS NOT OLD.state OR NEW.unit_id IS NOT OLD.unit_id
BEGIN
    UPDATE dispute_tally SET cases = cases - 1 WHERE unit_id = OLD.unit_id AND state = OLD.state;
    INSERT INTO dispute_tally (unit_id, state, cases) VALUES (NEW.unit_id, NEW.state, 1)
        ON CONFLICT (state, unit_id) DO UPDATE SET cases = cases + 1;
END;
