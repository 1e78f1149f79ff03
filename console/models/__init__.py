"""Qt item models: adapters that turn engine state and event batches into table rows."""
