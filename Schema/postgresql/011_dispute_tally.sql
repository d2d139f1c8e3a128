-- 011 (PostgreSQL, as Schema/011): how many cases each unit holds in each state, kept by
-- the database itself, so that `list` says "200 of N" without counting N cases (issue
-- #11). The triggers keep it exact in the writer's own transaction; `verify` proves it
-- equal to a recount. A count falls to zero and its row stays. Keyed by state first, as
-- Schema/011 (the street's working list: the rows of three states).
CREATE TABLE dispute_tally (
    unit_id BIGINT NOT NULL,
    state   TEXT   NOT NULL,
    cases   BIGINT NOT NULL,
    PRIMARY KEY (state, unit_id)
);
INSERT INTO dispute_tally (unit_id, state, cases)
    SELECT unit_id, state, count(*) FROM dispute GROUP BY unit_id, state;

-- The function runs as the tables' owner (SECURITY DEFINER, its search path fixed):
-- a role that files or acts on a case changes the tally through it alone, and no role
-- is granted a write of its own on the table: a grant could not stop a role writing
-- any figure by hand, and roles made before this migration would have none. Whether a row's state or unit changed is asked
-- here, so that the function's digest (`verify`) covers it.
CREATE FUNCTION mediate_tally() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.state = OLD.state AND NEW.unit_id = OLD.unit_id THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE dispute_tally SET cases = cases - 1 WHERE unit_id = OLD.unit_id AND state = OLD.state;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO dispute_tally (unit_id, state, cases) VALUES (NEW.unit_id, NEW.state, 1)
            ON CONFLICT (state, unit_id) DO UPDATE SET cases = dispute_tally.cases + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER dispute_tally_insert AFTER INSERT ON dispute FOR EACH ROW EXECUTE FUNCTION mediate_tally();
CREATE TRIGGER dispute_tally_delete AFTER DELETE ON dispute FOR EACH ROW EXECUTE FUNCTION mediate_tally();
CREATE TRIGGER dispute_tally_update AFTER UPDATE OF state, unit_id ON dispute
    FOR EACH ROW EXECUTE FUNCTION mediate_tally();
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION mediate_tally() SET search_path = %I, pg_temp', current_schema());
END
$$;
REVOKE EXECUTE ON FUNCTION mediate_tally() FROM PUBLIC;

-- The street's counts are an admin's of the whole deployment (as every case is, 009): a
-- role bound to a subtree reads no row of them, and counts its own cases instead. The
-- roles already made read the table as they read every other (`person add
-- --create-role` grants the tables that exist when it runs).
ALTER TABLE dispute_tally ENABLE ROW LEVEL SECURITY;
CREATE POLICY dispute_tally_read ON dispute_tally FOR SELECT USING (mediate_sees_all(current_user));
DO $$
DECLARE
    r TEXT;
BEGIN
    FOR r IN SELECT quote_ident(rolname) FROM pg_roles
             WHERE has_table_privilege(oid, 'dispute', 'SELECT') AND rolname <> current_user AND NOT rolsuper
               AND left(rolname, 3) <> 'pg_'  -- the server's own roles (pg_read_all_data) are not people
    LOOP
        EXECUTE format('GRANT SELECT ON dispute_tally TO %s', r);
    END LOOP;
END
$$;
