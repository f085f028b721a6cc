"""The letters app's commands: ``requeue_letters``."""
