"""The AWS/SageMaker metrics an asynchronous endpoint publishes once a minute."""
