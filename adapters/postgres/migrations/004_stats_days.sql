-- The dashboard's numbers rolled up by day, so that a period of 90 days
-- reads a few thousand rows instead of every conversation it holds.
--
-- stats_days counts, for each day of the shop's time zone (stats_zone),
-- what report.Stats adds up: the conversations started that day
-- (kind 'conversations'), their customer messages and fallbacks, and how
-- many of them had each outcome, team, CSAT score and intent (kind
-- 'outcome', 'team', 'csat', 'intent', key the value). The archive keeps
-- it as it writes the conversations: every append takes a conversation's
-- previous summary out and puts its new one in, in the same transaction.
CREATE TABLE stats_days (
	day  date   NOT NULL,
	kind text   NOT NULL,
	key  text   NOT NULL DEFAULT '',
	n    bigint NOT NULL,
	PRIMARY KEY (day, kind, key)
);

-- The zone whose days stats_days counts: one row, written when the
-- archive rolls the days up again (postgres.DaysIn).
CREATE TABLE stats_zone (
	one  boolean PRIMARY KEY DEFAULT true CHECK (one),
	zone text NOT NULL
);

-- The medians of the times to claim and to the first agent reply are not
-- sums: they are read from the conversations that have them, through an
-- index that holds what they need.
CREATE INDEX conversations_agent_times ON conversations (started_at) INCLUDE (claim_ms, first_reply_ms)
	WHERE claim_ms IS NOT NULL OR first_reply_ms IS NOT NULL;
