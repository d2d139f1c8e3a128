-- show CASE on PostgreSQL: ../show.sql as psql runs it (the same statements).
SELECT * FROM dispute WHERE year = :year AND serial = :serial;
SELECT name, role, phone, id_number, address FROM party
    WHERE case_id = (SELECT id FROM dispute WHERE year = :year AND serial = :serial) ORDER BY position;
SELECT count(*) FROM event WHERE case_id = (SELECT id FROM dispute WHERE year = :year AND serial = :serial);
