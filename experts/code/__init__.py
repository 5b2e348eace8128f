"""Code-writing experts: an LLM writes Python against :mod:`peoa.sandbox.api`; the code runs in
:func:`peoa.sandbox.run_code` and the quantities it reports become claims."""

from experts.code.expert import CodeExpert, extract_code

__all__ = ["CodeExpert", "extract_code"]
