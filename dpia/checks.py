"""System checks of the workbench (ids dpia.E0xx)."""
