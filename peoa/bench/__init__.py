"""Benchmarks run by ``peoa bench ...``: timings and quality figures for docs/BENCHMARKS.md."""
