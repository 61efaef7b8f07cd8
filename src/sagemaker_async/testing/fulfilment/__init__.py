"""The simulated asynchronous invocations: the model, results and failures in S3, notifications."""
