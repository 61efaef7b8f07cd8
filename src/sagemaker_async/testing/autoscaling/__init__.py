"""Application Auto Scaling and CloudWatch alarms that act, on the simulator's clock."""
