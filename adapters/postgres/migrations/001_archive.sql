-- The transcript archive: one row per conversation (its summary, derived
-- from its events by bot.Summarize) and one row per event.

-- sportello_ts_config maps a language code ("it", "en-GB") to the text
-- search configuration that stems it; 'simple' for every other language.
CREATE FUNCTION sportello_ts_config(lang text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE split_part(lower(coalesce(lang, '')), '-', 1)
		WHEN 'it' THEN 'pg_catalog.italian'::regconfig
		WHEN 'en' THEN 'pg_catalog.english'::regconfig
		ELSE 'pg_catalog.simple'::regconfig
	END
$$;

CREATE TABLE conversations (
	id                text PRIMARY KEY,
	address           text NOT NULL,
	channel           text NOT NULL,
	chat_id           text NOT NULL,
	started_at        timestamptz NOT NULL,
	last_at           timestamptz NOT NULL,
	lang              text NOT NULL DEFAULT '',
	team              text NOT NULL DEFAULT '',
	outcome           text NOT NULL,
	open              boolean NOT NULL DEFAULT false,
	intents           text[] NOT NULL DEFAULT '{}',
	csat              smallint NOT NULL DEFAULT 0,
	agent             text NOT NULL DEFAULT '',
	preview           text NOT NULL DEFAULT '',
	messages          integer NOT NULL DEFAULT 0,
	customer_messages integer NOT NULL DEFAULT 0,
	bot_messages      integer NOT NULL DEFAULT 0,
	agent_messages    integer NOT NULL DEFAULT 0,
	fallbacks         integer NOT NULL DEFAULT 0,
	claim_ms          bigint,  -- NULL: never claimed
	first_reply_ms    bigint   -- NULL: no agent reply
);
CREATE INDEX conversations_address ON conversations (address, last_at);
CREATE INDEX conversations_last ON conversations (last_at DESC, id);
CREATE INDEX conversations_started ON conversations (started_at);
CREATE INDEX conversations_intents ON conversations USING gin (intents);

-- Events keep the whole bot.Event as JSON in data; the columns beside it
-- are what queries need. tsv indexes the texts people wrote and read, in
-- the event's language.
CREATE TABLE events (
	id              text PRIMARY KEY,
	conversation_id text NOT NULL,
	at              timestamptz NOT NULL,
	idx             integer NOT NULL DEFAULT 0,
	type            text NOT NULL,
	lang            text NOT NULL DEFAULT '',
	text            text NOT NULL DEFAULT '',
	data            jsonb NOT NULL,
	tsv             tsvector GENERATED ALWAYS AS (
		CASE WHEN type IN ('customer', 'bot', 'agent', 'system')
			THEN to_tsvector(sportello_ts_config(lang), text) END
	) STORED
);
CREATE INDEX events_conversation ON events (conversation_id, at, idx);
CREATE INDEX events_tsv ON events USING gin (tsv);
