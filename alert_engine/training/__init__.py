"""Training mode: scenarios played on a training clock, trainer injections and a debrief."""
