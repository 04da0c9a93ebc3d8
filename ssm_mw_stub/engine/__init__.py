"""The discrete-event simulation that runs maintenance windows as the fake clock moves."""
