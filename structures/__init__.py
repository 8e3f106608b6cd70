"""Compiled kernels of dynalgo: state as numpy arrays, no validation.

These modules are private building blocks.  Use the typed API in ``dynalgo``.
"""

#: marks this package as dynalgo's own (checked when ``dynalgo`` is imported)
__dynalgo_package__ = "structures"
