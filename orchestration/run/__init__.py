"""Running the daily job in-process for the command line: instance, progress, report."""
