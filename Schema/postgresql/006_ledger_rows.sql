-- 006 (PostgreSQL, as Schema/006): cases imported from a spreadsheet ledger (矛盾纠纷排查化解台账) keep the row they
-- came from as a key: the ledger's file name and the row's 序号 (else its line). Importing
-- the same ledger again finds its rows here and creates nothing. The filing event holds
-- the same origin, so the chain proves it; this table is the index that finds it fast.
CREATE TABLE IF NOT EXISTS ledger_row (
    file    TEXT NOT NULL,
    key     TEXT NOT NULL,
    case_id BIGINT NOT NULL REFERENCES dispute (id),
    PRIMARY KEY (file, key)
);
