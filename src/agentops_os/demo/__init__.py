"""`ao demo`: a scripted tour over a temporary git repository and bundled sample data."""
