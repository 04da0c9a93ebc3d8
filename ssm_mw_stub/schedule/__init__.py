"""Schedule expressions (cron, rate, at) -> window start times. Knows nothing of windows."""
