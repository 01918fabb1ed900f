"""The ``sca`` command line."""
