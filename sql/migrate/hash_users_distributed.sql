-- Migration HASH: app.users_distributed becomes a table HASH-partitioned on id into 4 partitions, in ONE
-- transaction (this DO block): the ordinary table steps aside as app.users_distributed_old (kept for
-- comparison), the partitioned table takes its name, id sequence and index names, and every row is copied.
--
-- Locks: ACCESS EXCLUSIVE on app.users_distributed from lab.begin_migration to the commit (under the lock
-- discipline; given up, nothing changed): every reader and every writer waits for the whole copy and index build.
--
-- Partition pN holds the rows whose id hashes to remainder N modulo 4 (FOR VALUES WITH (MODULUS 4, REMAINDER N)).
-- Hashing spreads ids evenly, whatever their order, but keeps no order: only id = constant can prune.
--
-- Safe to run twice: when app.users_distributed is already partitioned it says so and changes nothing.
-- Needs sql/online/install.sql, sql/base/00_lab_functions.sql and sql/base/users_distributed.sql.
DO $migration$
DECLARE
    copied bigint;
BEGIN
    IF NOT lab.begin_migration('app.users_distributed') THEN
        RETURN; -- already partitioned: nothing to do
    END IF;

    -- The partition key is id, so PRIMARY KEY (id) is allowed here.
    CREATE TABLE app.users_distributed (
        id                bigint  NOT NULL DEFAULT nextval('app.users_distributed_id_seq'),
        username          text    NOT NULL,
        email             text    NOT NULL,
        country_code      char(2) NOT NULL,
        registration_date date    NOT NULL,
        PRIMARY KEY (id)
    ) PARTITION BY HASH (id);

    CREATE TABLE app.users_distributed_p0 PARTITION OF app.users_distributed FOR VALUES WITH (MODULUS 4, REMAINDER 0);
    CREATE TABLE app.users_distributed_p1 PARTITION OF app.users_distributed FOR VALUES WITH (MODULUS 4, REMAINDER 1);
    CREATE TABLE app.users_distributed_p2 PARTITION OF app.users_distributed FOR VALUES WITH (MODULUS 4, REMAINDER 2);
    CREATE TABLE app.users_distributed_p3 PARTITION OF app.users_distributed FOR VALUES WITH (MODULUS 4, REMAINDER 3);

    INSERT INTO app.users_distributed (id, username, email, country_code, registration_date)
    SELECT id, username, email, country_code, registration_date FROM app.users_distributed_old;
    GET DIAGNOSTICS copied = ROW_COUNT;

    CREATE INDEX users_distributed_email_idx ON app.users_distributed (email);
    CREATE INDEX users_distributed_country_code_idx ON app.users_distributed (country_code);
    CREATE INDEX users_distributed_registration_date_idx ON app.users_distributed (registration_date);

    PERFORM lab.finish_migration('app.users_distributed', copied, 'by hash of id into 4 partitions');
END
$migration$;
