"""Service layer: functions that take a unit of work and do one thing in the hall."""
