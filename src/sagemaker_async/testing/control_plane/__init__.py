"""The simulated SageMaker control plane: endpoint lifecycles on the clock, SageMaker's errors."""
