"""`ao watch`: a live terminal view of running sessions, workflow runs and gates."""
