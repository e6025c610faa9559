"""Results a team can keep: the MADR decision record."""
