"""Compiled kernels: loops over the graph compiled by numba on their first call.

ecosys's inner loops (two-step paths, triangles, breadth-first searches) are
plain Python functions marked with :func:`kernel`. numba is imported, and
the function compiled, only when a kernel first runs, so commands that never
run one (``ecosys --help``, ``ecosys validate``) do not pay for numba.

The machine code is cached on disk (numba's ``cache=True``: beside the
module, in ``NUMBA_CACHE_DIR`` when set, or in the user's cache folder), so
later runs load it instead of compiling. Where none of those can be written
(a read-only install run by a user without a writable home folder), the
kernel is compiled in memory for each run instead: slower to start, never
an error.

Small work never needs numba: a kernel given a ``work`` estimate runs as
plain Python when the estimate is at most :data:`SMALL_WORK` steps (the
demo's graphs, tens of nodes), which saves importing numba and
loading its cache (0.6 s and more) for a loop of milliseconds. The plain
run does the same IEEE double operations in the same order, so the values
are the same bits (tested against the compiled kernels on random graphs).

Example
-------
>>> import numpy as np
>>> from ecosys.compiled import kernel
>>> @kernel
... def total(values):
...     s = 0.0
...     for v in values:
...         s += v
...     return s
>>> total(np.arange(5.0))
10.0
"""

from __future__ import annotations

import functools
import threading

__all__ = ["helper", "kernel", "preload", "prefetch", "SMALL_WORK"]

# The most loop steps (a kernel's ``work`` estimate) run as plain Python rather than compiled:
# 5 to 30 ms of Python a call, against 0.6 s or more to import numba and load the compiled code.
SMALL_WORK = 5_000


def kernel(function=None, *, nogil: bool = False, work=None):
    """Compile ``function`` with numba in nopython mode on its first call, with the disk cache where possible.

    ``nogil=True`` releases Python's global lock while the kernel runs, so
    calls from several threads run in parallel. ``work``, a function of the
    kernel's arguments, estimates its loop steps: calls of at most
    :data:`SMALL_WORK` run the plain Python function instead, without
    numba. Used bare (``@kernel``) or with options
    (``@kernel(nogil=True)``). The original function stays available as
    ``.py_func``; ``.compiled(*args)`` always runs the compiled one.

    Examples
    --------
    >>> @kernel
    ... def total(values):
    ...     s = 0.0
    ...     for v in values:
    ...         s += v
    ...     return s
    >>> import numpy as np
    >>> total(np.arange(4.0)), total.py_func([1.0, 2.0])
    (6.0, 3.0)
    """
    if function is None:
        return functools.partial(kernel, nogil=nogil, work=work)
    return _Kernel(function, nogil, work)


def helper(function):
    """Mark ``function`` as called by kernels: compiled into them, and plain Python everywhere else.

    A kernel's loop may call helpers (numba's ``register_jitable``, done when
    the first kernel compiles after the helper was defined), so that one
    job's kernels share their steps; the helper itself is returned unchanged,
    so the plain Python run of a kernel calls it as it is.

    >>> @helper
    ... def twice(x):
    ...     return 2 * x
    >>> @kernel
    ... def total_twice(values):
    ...     s = 0.0
    ...     for v in values:
    ...         s += twice(v)
    ...     return s
    >>> import numpy as np
    >>> twice(3), total_twice(np.arange(3.0)), total_twice.py_func([1.0])
    (6, 6.0, 2.0)
    """
    with _HELPERS_LOCK:
        _HELPERS.append(function)
    return function


_HELPERS = []  # helpers defined and not yet made known to numba
_HELPERS_LOCK = threading.Lock()


def _register_helpers():
    """Make the helpers defined since the last compilation callable from compiled code."""
    from numba.extending import register_jitable

    with _HELPERS_LOCK:
        while _HELPERS:
            register_jitable(_HELPERS.pop())


def preload(compiled_kernel, *args) -> threading.Thread:
    """Load ``compiled_kernel``'s machine code in a background thread, running it once on ``args``; the thread.

    The first kernel a process runs costs 0.3-0.8 s more than the others
    (numba's import and its compiler's start-up, then the cached code), all
    of it Python holding the global lock only in part: started while a
    table is read (C code that releases the lock), that time is mostly
    hidden. ``args`` are small arguments of the types the kernel will be
    called with (another type loads other code). Join the thread before
    forking a process (:mod:`ecosys.parallel`).

    >>> import numpy as np
    >>> total = kernel(lambda values: values.sum())
    >>> loading = preload(total, np.zeros(2))
    >>> loading.join(); total.compiled(np.ones(3))
    3.0
    """
    thread = threading.Thread(target=compiled_kernel.compiled, args=args, name="ecosys-preload")
    thread.start()
    return thread


def prefetch(array, index) -> None:
    """Ask the processor to bring ``array[index]`` into its cache soon: a hint for a kernel's loop.

    Compiled, it is one prefetch instruction (LLVM's ``llvm.prefetch``) and
    never an error, not even past the end of ``array``; in plain Python it
    does nothing. It changes no value, only how long a loop waits on memory
    that it reads in an order the processor cannot guess (the next nodes of
    a breadth-first search).

    >>> import numpy as np
    >>> @kernel
    ... def first(values):
    ...     prefetch(values, 1)
    ...     return values[0]
    >>> float(first(np.arange(3.0))), float(first.py_func(np.arange(3.0)))
    (0.0, 0.0)
    """


_PREFETCH_READY = False
_PREFETCH_LOCK = threading.Lock()


def _register_prefetch():
    """Teach numba :func:`prefetch` (once, when the first kernel compiles)."""
    with _PREFETCH_LOCK:
        if not _PREFETCH_READY:
            _define_prefetch()


def _define_prefetch():
    global _PREFETCH_READY
    from llvmlite import ir
    from numba import types
    from numba.core import cgutils
    from numba.extending import intrinsic, overload

    @intrinsic
    def hint(typingctx, array, index):
        def codegen(context, builder, signature, args):
            array_type = signature.args[0]
            data = context.make_array(array_type)(context, builder, args[0])
            pointer = cgutils.get_item_pointer(
                context, builder, array_type, data, [args[1]], wraparound=False, boundscheck=False)
            byte = ir.IntType(8).as_pointer()
            i32 = ir.IntType(32)
            function = builder.module.declare_intrinsic(
                "llvm.prefetch", [byte], ir.FunctionType(ir.VoidType(), [byte, i32, i32, i32]))
            # read (0), keep in every cache level (3), data (1)
            builder.call(function, [builder.bitcast(pointer, byte), i32(0), i32(3), i32(1)])
            return context.get_dummy_value()

        return types.void(array, index), codegen

    @overload(prefetch)
    def compiled_prefetch(array, index):
        return lambda array, index: hint(array, index)

    _PREFETCH_READY = True


class _Kernel:
    """A function compiled on first call (see :func:`kernel`)."""

    def __init__(self, function, nogil: bool, work=None):
        functools.update_wrapper(self, function)
        self.py_func = function
        self.nogil = nogil
        self.work = work
        self.cached = None  # True or False once compiled: whether the disk cache is used
        self._compiled = None
        self._lock = threading.Lock()

    def __call__(self, *args):
        if self.work is not None and self.work(*args) <= SMALL_WORK:
            return self.py_func(*args)
        return self.compiled(*args)

    def compiled(self, *args):
        """Run the compiled kernel, whatever the work."""
        compiled = self._compiled
        if compiled is None:
            compiled = self._compile()
        return compiled(*args)

    def _compile(self):
        with self._lock:
            if self._compiled is None:
                import numba

                _register_prefetch()
                _register_helpers()
                try:
                    self._compiled = numba.njit(cache=True, nogil=self.nogil)(self.py_func)
                    self.cached = True
                except RuntimeError:
                    # numba found no folder it may write its cache to ("cannot cache function ...:
                    # no locator available"): compile in memory instead.
                    self._compiled = numba.njit(cache=False, nogil=self.nogil)(self.py_func)
                    self.cached = False
            return self._compiled
