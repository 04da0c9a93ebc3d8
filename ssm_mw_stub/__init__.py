"""ssm-mw-stub: an in-process, schedule-running stub of SSM maintenance windows."""
