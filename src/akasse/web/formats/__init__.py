"""Date formats for the web app: every date is shown as dd-mm-åååå in both languages (FORMAT_MODULE_PATH)."""
