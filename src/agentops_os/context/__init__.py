"""Context engineering: token budgets (the 40% rule), live utilisation, prime packets,
bundles and handoffs (Factors II and VI).

Modules used on the hook path (`tokens`, `live`, `lite`, `prime`) import only the
standard library; everything else may import what it needs.
"""
