"""Qt widgets of the counter: they expose signals and setters, and decide nothing."""
