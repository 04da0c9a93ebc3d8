"""The maintenance-window service, speaking the JSON 1.1 wire format; knows nothing of botocore."""
