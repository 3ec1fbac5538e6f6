-- A blocked sender's number, sealed bound to the block (`blocked_senders.sender_enc/{id}`): the
-- block is found by the keyed hash, and the number lets `tocsin rotate-key` hash it again under a
-- new key (the report it came from may have been erased by then). Keep in step with
-- migrations/postgres/0026_block_sender.sql.
ALTER TABLE blocked_senders ADD COLUMN sender_enc BLOB;
