"""Why screening input is refused, kept as data where it is found: the table, the column, a
problem code, how many rows, and the few arguments a sentence needs (the registry's bound, the
other column, the column's type). Never a value from the input, which is personal data.

``InputProblem.english()`` is the operator's line (``hanaro screen``, a failed job's
``problems``); the HTTP answer says each problem in the request's language from the message
catalogs (``app.services.screening_inputs.refused_input``).
"""

from __future__ import annotations

from dataclasses import dataclass

# code -> the operator's English, a str.format template over the fields below
ENGLISH: dict[str, str] = {
    # the column names (``columns.schema_problems``)
    "unknown_column": "not a screening column",
    "required": "required",
    # the values, per column (``files._value_problems``)
    "not_type": "{count} row(s) not {kind_lower}",
    "not_whole": "{count} row(s) not a whole number",
    "not_option": "{count} row(s) not one of the options",
    "item_not_option": "{count} row(s) with an item not one of the options",
    "below": "{count} row(s) below {bound}",
    "above": "{count} row(s) above {bound}",
    "above_other": "{count} row(s) above {other}",
    # the keys (``files._key_problems``)
    "empty": "{count} row(s) empty",
    "repeated_id": "{count} id(s) on more than one row",
    "no_household": "{count} row(s) empty or naming no household",
    "empty_or_negative": "{count} row(s) empty or negative",
    "repeated_pair": "{count} (household_id, person_index) pair(s) on more than one row",
    "no_applicant": "{count} household(s) without the applicant (person_index 0)",
    "size_too_small": "{count} household(s) with fewer members than persons listed",
    # whole tables and files
    "no_rows": "no rows",
    "unreadable": "the files cannot be read as their extensions say "
    "(.parquet, .csv, .jsonl, .json)",
    "folder_needs": "needs exactly one of {wanted}",
    "two_inputs": "give a folder, or the households file and the persons file",
    "no_file": "no such file",
    "not_a_format": "not .parquet, .csv, .jsonl or .json",
}


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One reason the input is refused. ``table``/``column``: where (``None`` for a file or the
    whole input); ``code``: what (a key of ``ENGLISH``); ``count``: how many rows (ids, pairs,
    households); ``bound``: the registry's limit; ``other``: the other column (``age_max``);
    ``kind``: the column's SQL type; ``wanted``: the file names a folder may hold; ``path``:
    the file or folder the operator named (the CLI's own argument, never said over HTTP)."""

    code: str
    table: str | None = None
    column: str | None = None
    count: int | None = None
    bound: int | float | None = None
    other: str | None = None
    kind: str | None = None
    wanted: str | None = None
    path: str | None = None

    @property
    def place(self) -> str | None:
        """``households.size``, ``households``, the path, or ``None`` (the whole input)."""
        if self.table and self.column:
            return f"{self.table}.{self.column}"
        return self.table or self.path

    def record(self) -> dict[str, object]:
        """What a failed job keeps of it (its record is read in any language later): every
        field set, but the operator's path (a server's own folder, for a job)."""
        return {
            name: value
            for name in self.__slots__
            if name != "path" and (value := getattr(self, name)) is not None
        }

    @classmethod
    def from_record(cls, kept: dict[str, object]) -> InputProblem:
        return cls(**{name: kept[name] for name in cls.__slots__ if name in kept})  # type: ignore[arg-type]

    def english(self) -> str:
        """``households.housing: 1 row(s) not one of the options``."""
        args = {
            "count": self.count, "bound": self.bound, "other": self.other,
            "kind_lower": (self.kind or "").lower(), "wanted": self.wanted,
        }  # fmt: skip
        said = ENGLISH[self.code].format(**args)
        return f"{self.place}: {said}" if self.place else said


__all__ = ["ENGLISH", "InputProblem"]
