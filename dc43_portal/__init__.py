"""dc43 portal: a governance portal for ODCS v3 data contracts."""
