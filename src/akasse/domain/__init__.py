"""The trial's rules as pure Python: no Django, no I/O, no clock (every date is passed in)."""
