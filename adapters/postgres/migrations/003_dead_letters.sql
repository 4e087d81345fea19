-- Dead letters: events the archive refused on their own (report.ErrRejected),
-- set aside with why, so that one entry never stops the archive. `sportello
-- archive retry` appends them again and removes those that pass.
--
-- data is the event as JSON in bytea, not jsonb: what was refused may hold
-- what text and jsonb cannot (a NUL). id and address are the event's,
-- cleaned of what text cannot hold.
CREATE TABLE dead_letters (
	id           text PRIMARY KEY,
	address      text NOT NULL,
	at           timestamptz NOT NULL, -- the event's time
	set_aside_at timestamptz NOT NULL, -- when it was first set aside
	error        text NOT NULL,        -- why, the last time it was tried
	data         bytea NOT NULL
);
CREATE INDEX dead_letters_order ON dead_letters (set_aside_at, id);
