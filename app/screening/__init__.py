"""Outreach screening (#14): the rule language compiled to set-based SQL for whole populations.

``columns`` is the input schema (the allowlist), ``stage`` the derived facts in SQL, ``compiler``
the rule AST to sqlglot expressions, ``screen`` the query and the backends (DuckDB, PostgreSQL),
``files`` reads and checks the input, ``problems`` says why it is refused (as data: said in
English to the operator, in the request's language over HTTP).
Equivalence with ``app.matching`` is the contract: every program compiled here gives the verdict
the per-household engine gives; one that cannot yet is listed as not compiled, never guessed.
"""
