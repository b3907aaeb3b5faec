"""Events published after commit, fanned out to websockets and device adapters."""
