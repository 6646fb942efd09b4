"""The shipped catalog: program, parameter and document YAML under ``data/`` and its loader."""
