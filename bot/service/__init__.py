"""The application service: `advisor.Advisor` is the object every adapter holds; `outcome`
holds what it hands back (Outcome, Ref, the user-facing messages). Import each name from
the module that defines it."""
