"""Training mode in the console: the live main window over a training service, unmistakably marked."""
