"""kg sub-commands: one module each, thin wrappers over library functions."""
