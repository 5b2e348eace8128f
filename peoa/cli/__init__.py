"""The ``peoa`` command line."""
