"""The errors ecosys reports to its users as one line.

Library code raises them; the command line (:mod:`ecosys.cli`) turns them
into an ``Error: ...`` line and a non-zero exit, never a traceback. A message
names the file, the line (or sheet row) and the column at fault, and says
what was expected or what to do.

>>> from ecosys.errors import InputError, EcosysError
>>> issubclass(InputError, EcosysError)
True
>>> str(InputError("data.csv, line 3: 4 fields where the header has 3"))
'data.csv, line 3: 4 fields where the header has 3'
"""

__all__ = ["EcosysError", "EcosysWarning", "InputError"]


class EcosysError(Exception):
    """Base class of the errors ecosys reports to its users as one line."""


class InputError(EcosysError):
    """An input file that cannot be read as a participation table."""


class EcosysWarning(UserWarning):
    """Something ecosys left out or cut to stay within a bound (see :mod:`ecosys.limits`); the run goes on.

    The command line prints each as one ``Warning: ...`` line.
    """
