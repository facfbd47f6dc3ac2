"""User regular expressions under a time limit: a ``re:`` pattern can be slow, never hang.

Python's ``re`` backtracks: ``re:(a+)+$`` on a run of 30 "a"s takes minutes, and nothing can
interrupt it. Patterns written by users (``re:`` phrases in codebooks, lexicons, KWIC queries)
therefore run on the `regex <https://pypi.org/project/regex/>`_ engine, whose every search takes
a ``timeout``: past it, :class:`~diplomacy_lab.errors.PatternTimeoutError` names the pattern, the
text and the fix. Plain phrases (escaped words) cannot backtrack badly and stay on ``re``.

Why ``regex`` and not ``google-re2`` (measured, both on PyPI): RE2 runs in linear time
(``(a+)+$`` on 1,000,000 characters in 5 ms) but refuses lookarounds and backreferences, and the
package's own word-boundary checks are lookarounds, as are shipped patterns such as
``re:(?<!Hunter )Biden``; ``regex`` accepts every pattern ``re`` accepts and stops
``(a+)+$`` on 1,000 characters at the limit.

Same matches as ``re``: a pattern is checked by ``re`` first (same errors as before), then its
class escapes are written out so that ``regex`` reads them as ``re`` does (``regex`` follows
newer Unicode rules: its ``\\w`` takes combining marks, not superscript digits). ``\\w`` becomes
``[\\p{L}\\p{N}_]``, ``\\d`` ``\\p{Nd}``, ``\\s`` ``[\\s\\x1c-\\x1f]``, ``\\b``/``\\B`` lookarounds on
that ``\\w``; these equal ``re``'s on every code point Python's Unicode database assigns
(``tests/test_robustness.py`` checks all of them). Not rewritten: ``\\W``, ``\\S``, ``\\D`` inside a
character class (``[\\W\\d]``), which keep ``regex``'s reading.

>>> rx = compile_guarded(r"(?<!\\w)send(ing)? troops\\b", re.IGNORECASE, label="re:send(ing)? troops")
>>> [m.group() for m in rx.finditer("Sending troops, not sending troopships")]
['Sending troops']
>>> compile_guarded("(a+)+$", timeout=0.05).search("a" * 5000 + "!")
Traceback (most recent call last):
...
diplomacy_lab.errors.PatternTimeoutError: the pattern '(a+)+$' ran over its 0.05 s limit on a text of 5,001 characters ('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'); fix: rewrite it so that no repeated group can match the same text in two ways (e.g. '(a+)+' -> 'a+'), or raise the limit with DIPLOMACY_LAB_REGEX_TIMEOUT=seconds
"""

from __future__ import annotations

import os
import re

import regex

from diplomacy_lab.errors import PatternError, PatternTimeoutError

__all__ = ["REGEX_TIMEOUT_ENV", "GuardedPattern", "compile_guarded", "re_semantics", "regex_timeout"]

#: Seconds one search may take; the environment variable of that name overrides the default.
REGEX_TIMEOUT_ENV = "DIPLOMACY_LAB_REGEX_TIMEOUT"
DEFAULT_TIMEOUT = 2.0

_W = r"\p{L}\p{N}_"
_OUTSIDE = {
    "w": f"[{_W}]", "W": f"[^{_W}]", "d": r"\p{Nd}", "D": r"\P{Nd}", "s": r"[\s\x1c-\x1f]", "S": r"[^\s\x1c-\x1f]",
    "b": f"(?:(?<=[{_W}])(?![{_W}])|(?<![{_W}])(?=[{_W}]))",
    "B": f"(?:(?<=[{_W}])(?=[{_W}])|(?<![{_W}])(?![{_W}]))",
}
_INSIDE = {"w": _W, "d": r"\p{Nd}", "s": r"\s\x1c-\x1f"}
_FLAGS = ((re.IGNORECASE, regex.IGNORECASE), (re.MULTILINE, regex.MULTILINE), (re.DOTALL, regex.DOTALL),
          (re.VERBOSE, regex.VERBOSE), (re.ASCII, regex.ASCII))


def regex_timeout() -> float:
    """The time limit of one search, in seconds: ``$DIPLOMACY_LAB_REGEX_TIMEOUT`` or 2."""
    value = os.environ.get(REGEX_TIMEOUT_ENV)
    if value is None:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise PatternError(f"{REGEX_TIMEOUT_ENV}={value!r} is not a positive number of seconds",
                           fix=f"set it to e.g. 5, or unset it for the default {DEFAULT_TIMEOUT:g}")
    return seconds


def re_semantics(source: str) -> str:
    """``source`` with its class escapes written out so that ``regex`` matches as ``re`` does.

    >>> re_semantics(r"\\w+[\\w-]")
    '[\\\\p{L}\\\\p{N}_]+[\\\\p{L}\\\\p{N}_-]'
    """
    out: list[str] = []
    i, n, in_class, class_start = 0, len(source), False, False
    while i < n:
        ch = source[i]
        if ch == "\\" and i + 1 < n:
            nxt = source[i + 1]
            table = _INSIDE if in_class else _OUTSIDE
            out.append(table.get(nxt, ch + nxt))
            i += 2
            continue
        if in_class:
            if ch == "]" and not class_start:
                in_class = False
            class_start = False
        elif ch == "[":
            in_class, class_start = True, True
            out.append(ch)
            i += 1
            if i < n and source[i] == "^":
                out.append("^")
                i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


class GuardedPattern:
    """A compiled user pattern whose every search stops at ``timeout`` seconds.

    Offers what the package uses of :class:`re.Pattern`: ``search``, ``match``, ``fullmatch``,
    ``finditer``, ``findall``, ``sub``, ``pattern`` and ``flags``.
    """

    __slots__ = ("_rx", "flags", "label", "pattern", "timeout")

    def __init__(self, source: str, flags: int, label: str, timeout: float):
        checked = re.compile(source, flags)  # re's syntax and errors; its flags include inline ones
        self.pattern, self.flags, self.label, self.timeout = source, checked.flags, label, timeout
        engine_flags = 0
        for ours, theirs in _FLAGS:
            if flags & ours:
                engine_flags |= theirs
        written = source if checked.flags & re.ASCII else re_semantics(source)
        try:
            self._rx = regex.compile(written, engine_flags)
        except (regex.error, ValueError) as exc:  # pragma: no cover - re accepted it
            raise PatternError(f"the pattern {label!r} cannot run under the time limit ({exc})",
                               fix="simplify the pattern") from None

    def __repr__(self) -> str:
        return f"GuardedPattern({self.pattern!r}, timeout={self.timeout:g})"

    def _timeout(self, text: str) -> PatternTimeoutError:
        head = text[:30] + ("..." if len(text) > 30 else "")
        return PatternTimeoutError(
            f"the pattern {self.label!r} ran over its {self.timeout:g} s limit on a text of {len(text):,} characters "
            f"({head!r})",
            fix="rewrite it so that no repeated group can match the same text in two ways (e.g. '(a+)+' -> 'a+'), "
                f"or raise the limit with {REGEX_TIMEOUT_ENV}=seconds")

    def _call(self, method, text: str, *args):
        try:
            return method(text, *args, timeout=self.timeout)
        except TimeoutError:
            raise self._timeout(text) from None

    def search(self, text: str, pos: int = 0, endpos: int | None = None):
        return self._call(self._rx.search, text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int | None = None):
        return self._call(self._rx.match, text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int | None = None):
        return self._call(self._rx.fullmatch, text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int | None = None) -> list:
        return self._call(self._rx.findall, text, pos, endpos)

    def sub(self, repl, text: str, count: int = 0) -> str:
        try:
            return self._rx.sub(repl, text, count, timeout=self.timeout)
        except TimeoutError:
            raise self._timeout(text) from None

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        """Matches one by one; the time limit holds for the whole scan of ``text``."""
        scan = self._rx.finditer(text, pos, endpos, timeout=self.timeout)
        while True:
            try:
                m = next(scan)
            except StopIteration:
                return
            except TimeoutError:
                raise self._timeout(text) from None
            yield m


def compile_guarded(source: str, flags: int = 0, label: str | None = None,
                    timeout: float | None = None) -> GuardedPattern:
    """Compile a user pattern to run under a time limit (default :func:`regex_timeout`).

    ``label`` names the pattern in errors (the codebook phrase, e.g. ``"re:(a+)+$"``); a pattern
    ``re`` cannot compile raises ``re.error`` as before.
    """
    return GuardedPattern(source, flags, label or source, regex_timeout() if timeout is None else timeout)
