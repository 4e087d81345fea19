package postgres

// DocumentEventsSQL is DocumentEvents' query, for a test of its plan.
const DocumentEventsSQL = documentEventsSQL
