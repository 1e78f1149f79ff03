"""One incident on screen: which one (`SelectedIncident`) and its panels (`IncidentView`)."""
