-- 009: on a server, the connected role is the person (a role of the same name as a
-- registered login), and the server itself keeps each person to their unit's subtree:
-- row-level security on cases, their parties and their events, so that a grid worker
-- who connects with psql sees no more than through mediate. An admin of the whole
-- deployment (no unit) sees everything; a role that is no registered person, or one
-- that is disabled, sees no case. The tables' owner (who ran init) and a superuser are
-- not bound by these policies: they administer the database, as root does a file.

-- The functions read the tables whole (SECURITY DEFINER); inside them current_user is
-- their owner, so the policies pass the connected role in as `who`.

-- The units whose cases the role `who` may see: its person's unit and all below.
CREATE FUNCTION mediate_visible_units(who TEXT) RETURNS SETOF BIGINT
    LANGUAGE sql STABLE SECURITY DEFINER AS $$
    WITH RECURSIVE sub(id) AS (
        SELECT unit_id FROM person
        WHERE login = who AND disabled_at IS NULL AND unit_id IS NOT NULL
        UNION
        SELECT u.id FROM unit u JOIN sub ON u.parent_id = sub.id
    )
    SELECT id FROM sub
$$;

-- Whether the role `who` is an admin of the whole deployment.
CREATE FUNCTION mediate_sees_all(who TEXT) RETURNS BOOLEAN
    LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT EXISTS (
        SELECT 1 FROM person
        WHERE login = who AND role = 'admin' AND unit_id IS NULL AND disabled_at IS NULL)
$$;

-- Whether the role `who` may see the case: held now, or filed, in its subtree.
CREATE FUNCTION mediate_sees_case(case_id BIGINT, who TEXT) RETURNS BOOLEAN
    LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT mediate_sees_all(who) OR EXISTS (
        SELECT 1 FROM dispute d
        WHERE d.id = case_id
          AND (d.unit_id IN (SELECT mediate_visible_units(who))
               OR d.origin_unit_id IN (SELECT mediate_visible_units(who))))
$$;

-- What every writer must see whole, whatever it may read: the head of the one chain,
-- and the last serial of a year (case numbers are the database's, not the subtree's).
CREATE FUNCTION mediate_chain_head() RETURNS TABLE (id BIGINT, hash BYTEA)
    LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT e.id, e.hash FROM event e ORDER BY e.id DESC LIMIT 1
$$;
CREATE FUNCTION mediate_last_serial(of_year BIGINT) RETURNS BIGINT
    LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT coalesce(max(serial), 0) FROM dispute WHERE year = of_year
$$;
-- The last case id of the whole database (the bulk path numbers its cases itself).
CREATE FUNCTION mediate_last_case_id() RETURNS BIGINT
    LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT coalesce(max(id), 0) FROM dispute
$$;

-- The functions read the tables of this schema only, whoever calls them.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION mediate_visible_units(TEXT) SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION mediate_sees_all(TEXT) SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION mediate_sees_case(BIGINT, TEXT) SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION mediate_chain_head() SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION mediate_last_serial(BIGINT) SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION mediate_last_case_id() SET search_path = %I, pg_temp', current_schema());
    -- New ids (SQLite's rowid) are the largest of the whole table plus one.
    EXECUTE format('ALTER FUNCTION mediate_rowid() SET search_path = %I, pg_temp', current_schema());
END
$$;
ALTER FUNCTION mediate_rowid() SECURITY DEFINER;

ALTER TABLE dispute ENABLE ROW LEVEL SECURITY;
CREATE POLICY dispute_subtree ON dispute
    USING (mediate_sees_all(current_user)
           OR unit_id IN (SELECT mediate_visible_units(current_user))
           OR origin_unit_id IN (SELECT mediate_visible_units(current_user)));
ALTER TABLE party ENABLE ROW LEVEL SECURITY;
CREATE POLICY party_subtree ON party USING (mediate_sees_case(case_id, current_user));
ALTER TABLE event ENABLE ROW LEVEL SECURITY;
CREATE POLICY event_subtree ON event USING (case_id IS NULL OR mediate_sees_case(case_id, current_user));
