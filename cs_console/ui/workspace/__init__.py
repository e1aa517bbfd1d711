"""The agent workspace: a screen composed of parts (see docs/workspace.md)."""
