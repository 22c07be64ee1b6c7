"""Hall simulator: arrivals, service times and rosters (model), the discrete-event engine, history
fits and replays, and named demo profiles. Plain Python except ``history`` (reads the database)."""
