-- The seed contract's raw_response_id: a UUID per stored provider response, written into price-events.
-- New rows get theirs from the code (crypto.randomUUID), the same on PostgreSQL and PGlite; rows
-- stored before get one here. The numeric id stays: price events written before still name it.
ALTER TABLE raw_responses ADD COLUMN IF NOT EXISTS response_id uuid;
UPDATE raw_responses SET response_id = gen_random_uuid() WHERE response_id IS NULL;
ALTER TABLE raw_responses ALTER COLUMN response_id SET NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS raw_responses_response_id ON raw_responses (response_id);
