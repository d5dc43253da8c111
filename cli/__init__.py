"""The ``bean-micro`` command line."""
