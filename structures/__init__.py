"""Compiled kernels of dynalgo: state as numpy arrays, no validation.

These modules are private building blocks.  Use the typed API in ``dynalgo``.
"""
