"""One error policy: every failure caused by input is a :class:`DiplomacyLabError`.

Each error names **where** (the file, and the row or line when there is one), **what** is wrong
and the **fix**, so one line is enough to act on it; the command line prints that line and exits
with status 2. The subclasses say which input failed. Those that were ``ValueError`` before
(``CorpusLoadError``, ``CodebookError``, ``ModelLoadError``, ...) still are, so existing
``except ValueError`` code keeps working.

A bad *document* is not an error: ``load_corpus`` skips it and lists it in ``load_report``
(unless ``strict=True``, which raises :class:`CorpusLoadError` at the first problem).

>>> err = CodebookError("the id 'Meloni' is not valid", where="book.yaml: actors", fix="write 'meloni'")
>>> str(err)
"book.yaml: actors: the id 'Meloni' is not valid; fix: write 'meloni'"
>>> isinstance(err, ValueError), isinstance(err, DiplomacyLabError)
(True, True)
>>> str(CodebookError("book.yaml: actors: is empty"))   # a message that already says it all
'book.yaml: actors: is empty'
"""

from __future__ import annotations

__all__ = [
    "CodebookError", "CorpusLoadError", "DiplomacyLabError", "InputLimitError", "LexiconError", "MissingInputError",
    "ModelLoadError",
    "OutputPathError", "PatternError", "PatternTimeoutError", "one_line",
]


class DiplomacyLabError(Exception):
    """An input the package cannot use: the message says where, what and how to fix it.

    ``where``, ``problem`` and ``fix`` are kept as attributes (``where`` and ``fix`` may be None
    when the message was written whole).
    """

    def __init__(self, problem: str, *, where: str | None = None, fix: str | None = None):
        self.where = where
        self.problem_text = problem
        self.fix = fix
        message = f"{where}: {problem}" if where else problem
        if fix:
            message += f"; fix: {fix}"
        super().__init__(message)


class CorpusLoadError(DiplomacyLabError, ValueError):
    """A corpus that cannot be loaded (or, with ``strict=True``, the first problem met)."""


class CodebookError(DiplomacyLabError, ValueError):
    """A codebook that cannot be used; the message names the entry and the fix."""


class LexiconError(DiplomacyLabError, ValueError):
    """A lexicon or YAML file that cannot be used (bad YAML, too deep, too many aliases)."""


class ModelLoadError(DiplomacyLabError, ValueError):
    """A model file that is not a valid skops file of a StanceClassifier; nothing was loaded."""


class PatternError(DiplomacyLabError, ValueError):
    """A ``re:`` pattern that cannot be used."""


class PatternTimeoutError(PatternError):
    """A ``re:`` pattern ran over its time limit on one text (catastrophic backtracking)."""


class InputLimitError(DiplomacyLabError, ValueError):
    """An input past a size limit (columns, nesting, file name length); a parameter raises the limit."""


class MissingInputError(DiplomacyLabError, FileNotFoundError):
    """An input file or folder that does not exist (still a ``FileNotFoundError``)."""


class OutputPathError(DiplomacyLabError, ValueError):
    """An output path that cannot be written: a folder where a file is expected, or the reverse."""


def one_line(error: BaseException) -> str:
    """The error as one line (newlines folded), as the command line prints it.

    >>> one_line(CorpusLoadError("no text\\nin a.txt", where="a.txt"))
    'a.txt: no text / in a.txt'
    """
    return " / ".join(part.strip() for part in str(error).splitlines() if part.strip())
