"""The console's widgets: thin views over the service, the models and the funnel."""
