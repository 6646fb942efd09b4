"""All citizen-facing language (DESIGN §0): sentences for conditions and rules, money, units,
fact questions and option labels. The engine (``app.matching``) returns ids and numbers; only
this package makes sentences."""
