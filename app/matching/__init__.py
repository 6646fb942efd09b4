"""The matching engine: pure Python, no I/O, no clock, no web or database code.

Facts (``facts``), the rule language (``rules``), dated parameters (``parameters``), the compiler
(``compile``), the three-valued evaluator (``evaluate``), benefit amounts (``benefits``) and the
immutable ``CatalogSnapshot`` (``snapshot``). Sentences are made outside, in ``app.text``.
"""
