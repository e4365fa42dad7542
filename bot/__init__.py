"""The running process: settings, wiring and platform adapters."""
